from django.urls import path

from minsheng.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.seeker_list, name="seekers"),
    path("seekers/export.xlsx", views.seeker_export, name="seekers_export"),
    path("seekers/new/", views.seeker_new, name="seeker_new"),
    path("seekers/lookup/", views.seeker_lookup, name="seeker_lookup"),
    path("seekers/<int:pk>/", views.seeker_detail, name="seeker"),
    path("seekers/<int:pk>/edit/", views.seeker_edit, name="seeker_edit"),
    path("seekers/<int:pk>/register/", views.seeker_register, name="seeker_register"),
    path("seekers/<int:pk>/registrations/<int:registration>/close/",
         views.seeker_register_close, name="seeker_register_close"),
    path("seekers/<int:pk>/registrations/<int:registration>/benefit/",
         views.seeker_benefit, name="seeker_benefit"),
    path("seekers/<int:pk>/placement/", views.seeker_placement, name="seeker_placement"),
    path("seekers/<int:pk>/training/", views.seeker_training, name="seeker_training"),
    path("seekers/<int:pk>/refresh/", views.seeker_refresh, name="seeker_refresh"),
    path("seekers/<int:pk>/override/", views.seeker_override, name="seeker_override"),
    path("seekers/<int:pk>/contact/", views.seeker_contact, name="seeker_contact"),
    path("seekers/<int:pk>/plan/", views.seeker_plan, name="seeker_plan"),
    path("postings/", views.posting_list, name="postings"),
    path("postings/export.xlsx", views.posting_export, name="postings_export"),
    path("postings/<int:pk>/", views.posting_detail, name="posting"),
    path("postings/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("employers/", views.employer_list, name="employers"),
    path("employers/<int:pk>/", views.employer_detail, name="employer"),
    path("employers/<int:employer>/postings/new/", views.posting_new, name="posting_new"),
    path("employers/<int:pk>/headcount/", views.employer_headcount, name="headcount"),
    path("postings/<int:pk>/review/", views.posting_review, name="posting_review"),
    path("review/", views.review_queue, name="review"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/export.xlsx", views.warning_export, name="warnings_export"),
    # public (no login): linked from the portal
    path("public/posts/", views.public_search, name="public_search"),
    path("public/posts/<int:pk>/", views.public_posting, name="public_posting"),
    path("public/submit/", views.public_submit, name="public_submit"),
]
