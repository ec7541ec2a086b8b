from django.urls import path

from minsheng.eldercare import views

app_name = "eldercare"
urlpatterns = [
    path("", views.home, name="home"),
    path("institutions/new/", views.institution_new, name="institution_new"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution"),
    path("institutions/<int:pk>/<slug:what>/", views.institution_post,
         name="institution_post"),
    path("beds/<int:pk>/", views.bed_detail, name="bed"),
    path("stays/<int:pk>/", views.stay_detail, name="stay"),
    path("allowances/", views.allowance_list, name="allowances"),
    path("allowances/new/", views.allowance_new, name="allowance_new"),
    path("allowances/propose/", views.allowances_propose, name="allowances_propose"),
    path("allowances/<int:pk>/", views.allowance_detail, name="allowance"),
    path("allowances/<int:pk>/<slug:action>/", views.allowance_act, name="allowance_act"),
    path("payments/", views.payment_lists, name="payment_lists"),
    path("payments/<int:pk>/", views.payment_list_detail, name="payment_list"),
    path("payments/<int:pk>/export.xlsx", views.payment_list_export,
         name="payment_list_export"),
    path("payments/<int:pk>/<slug:action>/", views.payment_list_act, name="payment_list_act"),
    path("matches/", views.matches, name="matches"),
    path("matches/check/", views.deaths_check, name="deaths_check"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("recoveries/", views.recoveries, name="recoveries"),
    path("recoveries/<int:pk>/", views.recovery_detail, name="recovery"),
]
