from django.urls import path

from minsheng.health import views

app_name = "health"
urlpatterns = [
    path("", views.alert_board, name="alerts"),
    path("detect/", views.detection_start, name="detect"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/<slug:action>/", views.alert_action, name="alert_action"),
    path("epicurve/", views.epicurve, name="epicurve"),
    path("cases/", views.case_list, name="cases"),
    path("life-table/", views.life_table_page, name="life_table"),
    path("records/", views.records, name="records"),
]
