from django.urls import path

from minsheng.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("apply/", views.public_apply, name="apply"),
    path("apply/status/", views.public_status, name="status"),
    path("office/new/", views.office_apply, name="office_apply"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/<slug:name>/", views.case_act, name="case_act"),
    path("findings/<int:pk>/resolve/", views.finding_resolve, name="finding_resolve"),
    path("approvals/", views.approvals, name="approvals"),
    path("verification/", views.verification_list, name="verification_list"),
    path("verification/<int:pk>/", views.verification_detail, name="verification"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/open/", views.reviews_open, name="reviews_open"),
    path("payments/", views.payments, name="payments"),
    path("payments/new/", views.roster_create, name="roster_create"),
    path("payments/<int:pk>/", views.roster_detail, name="roster"),
    path("payments/<int:pk>/xlsx/", views.roster_xlsx, name="roster_xlsx"),
]
