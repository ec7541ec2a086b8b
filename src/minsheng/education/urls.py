from django.urls import path

from minsheng.education import views

app_name = "education"

urlpatterns = [
    path("", views.home, name="home"),
    path("schools/", views.school_list, name="schools"),
    path("schools/new/", views.school_new, name="school_new"),
    path("schools/<int:pk>/", views.school_detail, name="school"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("schools/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("schools/<int:pk>/import/", views.roll_import, name="roll_import"),
    path("rolls/<int:pk>/", views.enrolment_detail, name="enrolment"),
    path("rolls/<int:pk>/<slug:action>/", views.enrolment_act, name="enrolment_act"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:action>/", views.case_act, name="case_act"),
    path("match/", views.match, name="match"),
    path("figures/", views.figures_index, name="figures"),
    path("figures/<slug:figure>/", views.figure_people, name="figure"),
    path("aid/", views.aid_list, name="aids"),
    path("aid/<int:pk>/", views.aid_detail, name="aid"),
    path("aid/<int:pk>/<slug:action>/", views.aid_act, name="aid_act"),
    path("rolls/<int:pk>/aid/apply/", views.aid_apply, name="aid_apply"),
]
