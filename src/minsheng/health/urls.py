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
    path("cases/new/", views.case_create, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("life-table/", views.life_table_page, name="life_table"),
    path("records/", views.records, name="records"),
    path("records/beds/", views.bed_record, name="bed_record"),
    path("supplies/", views.supplies, name="supplies"),
    path("supplies/new/", views.supply_item_create, name="supply_new"),
    path("supplies/<int:pk>/", views.supply_item, name="supply"),
    path("supplies/<int:pk>/lots/", views.supply_lot_add, name="supply_lot_add"),
    path("supplies/lots/<int:pk>/issue/", views.supply_lot_issue, name="supply_lot_issue"),
    path("diseases/", views.disease_list, name="diseases"),
    path("diseases/<slug:code>/", views.disease_detail, name="disease"),
]
