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
    path("temporary/", views.temporary_list, name="temporary_list"),
    path("temporary/new/", views.temporary_new, name="temporary_new"),
    path("temporary/level/", views.temporary_level, name="temporary_level"),
    path("temporary/<int:pk>/", views.temporary_detail, name="temporary"),
    path("temporary/<int:pk>/act/<slug:name>/", views.temporary_act, name="temporary_act"),
    path("tekun/", views.tekun_list, name="tekun_list"),
    path("tekun/new/", views.tekun_new, name="tekun_new"),
    path("tekun/check/", views.tekun_check, name="tekun_check"),
    path("tekun/<int:pk>/", views.tekun_detail, name="tekun"),
    path("tekun/<int:pk>/act/<slug:name>/", views.tekun_act, name="tekun_act"),
    path("tekun/supported/<int:pk>/", views.tekun_person, name="tekun_person"),
    path("tekun/supported/<int:pk>/adl/", views.tekun_adl, name="tekun_adl"),
    path("tekun/supported/<int:pk>/change/", views.tekun_change, name="tekun_change"),
    path("tekun/spot-checks/", views.spot_check_list, name="spot_checks"),
    path("tekun/spot-checks/new/", views.spot_check_create, name="spot_check_create"),
    path("tekun/spot-checks/<int:pk>/", views.spot_check_detail, name="spot_check"),
]
