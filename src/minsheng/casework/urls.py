from django.urls import path

from minsheng.casework import views

app_name = "casework"
urlpatterns = [
    path("followups/", views.followup_list, name="followups"),
    path("followups/<int:pk>/close/", views.followup_close, name="followup_close"),
]
