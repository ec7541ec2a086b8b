from django.urls import path

from minsheng.foodsafety import views as v

app_name = "foodsafety"
urlpatterns = [
    path("", v.home, name="home"),
    path("operators/", v.operator_list, name="operators"),
    path("operators/export.xlsx", v.operator_export, name="operators_export"),
    path("operators/<int:pk>/", v.operator_detail, name="operator"),
    path("operators/<int:pk>/<slug:action>/", v.operator_action, name="operator_action"),
    path("licences/<int:pk>/<slug:action>/", v.licence_action, name="licence_action"),
    path("plans/", v.plan_list, name="plans"),
    path("plans/<int:pk>/", v.plan_detail, name="plan"),
    path("plans/<int:pk>/<slug:action>/", v.plan_action, name="plan_action"),
    path("inspections/", v.inspection_list, name="inspections"),
    path("inspections/<int:pk>/", v.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/<slug:action>/", v.inspection_action, name="inspection_action"),
    path("rectifications/", v.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", v.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/reinspect/", v.rectification_reinspect,
         name="rectification_reinspect"),
    path("inspectors/", v.inspectors, name="inspectors"),
    path("samples/", v.sample_list, name="samples"),
    path("samples/<int:pk>/", v.sample_detail, name="sample"),
    path("samples/<int:pk>/handle/", v.sample_handle, name="sample_handle"),
    path("cases/", v.case_list, name="cases"),
    path("cases/<int:pk>/", v.case_detail, name="case"),
    path("cases/<int:pk>/<slug:action>/", v.case_action, name="case_action"),
    path("operators/<int:pk>/case/new/", v.case_open, name="case_open"),
    path("public/", v.public, name="public"),
    path("public/ratings.json", v.public_feed, name="public_feed"),
]
