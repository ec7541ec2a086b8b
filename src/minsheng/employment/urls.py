from django.urls import path

from minsheng.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.seeker_list, name="seekers"),
    path("seekers/export.xlsx", views.seeker_export, name="seekers_export"),
    path("seekers/<int:pk>/", views.seeker_detail, name="seeker"),
    path("seekers/<int:pk>/refresh/", views.seeker_refresh, name="seeker_refresh"),
    path("seekers/<int:pk>/override/", views.seeker_override, name="seeker_override"),
    path("seekers/<int:pk>/contact/", views.seeker_contact, name="seeker_contact"),
    path("seekers/<int:pk>/plan/", views.seeker_plan, name="seeker_plan"),
    path("postings/", views.posting_list, name="postings"),
    path("postings/export.xlsx", views.posting_export, name="postings_export"),
    path("postings/<int:pk>/", views.posting_detail, name="posting"),
    path("postings/<int:pk>/review/", views.posting_review, name="posting_review"),
    path("review/", views.review_queue, name="review"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/export.xlsx", views.warning_export, name="warnings_export"),
    # public (no login): linked from the portal
    path("public/posts/", views.public_search, name="public_search"),
    path("public/posts/<int:pk>/", views.public_posting, name="public_posting"),
    path("public/submit/", views.public_submit, name="public_submit"),
]
