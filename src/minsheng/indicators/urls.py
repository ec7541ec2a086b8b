from django.urls import path

from minsheng.indicators import views

app_name = "indicators"
urlpatterns = [
    path("values/", views.values, name="values"),
    path("values/enter/", views.value_enter, name="value_enter"),
    path("values/import/", views.values_import, name="values_import"),
    path("values/<int:pk>/", views.value_detail, name="value"),
    path("values/<int:pk>/decide/", views.value_decide, name="value_decide"),
    path("definitions/", views.definitions, name="definitions"),
    path("elements/new/", views.element_new, name="element_new"),
    path("elements/<str:code>/edit/", views.element_edit, name="element_edit"),
    path("indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<str:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("formula/check/", views.formula_check, name="formula_check"),
    path("open-data/indicators.json", views.open_data_json, name="open_data_json"),
    path("open-data/indicators.csv", views.open_data_csv, name="open_data_csv"),
]
