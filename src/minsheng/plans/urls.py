from django.urls import path

from minsheng.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/cascade/", views.target_cascade, name="target_cascade"),
    path("league/", views.league, name="league"),
    path("report/", views.monthly_report, name="report"),
    path("export/tasks.xlsx", views.export_tasks, name="export_tasks"),
    path("export/targets.xlsx", views.export_targets, name="export_targets"),
    path("import/", views.import_plan, name="import"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/activate/", views.plan_activate, name="activate"),
    path("drafts/<int:pk>/", views.draft_decide, name="draft_decide"),
    path("items/<int:pk>/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/report/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/review/", views.review_targets, name="review_targets"),
    path("supervision/<int:pk>/close/", views.followup_close, name="followup_close"),
]
