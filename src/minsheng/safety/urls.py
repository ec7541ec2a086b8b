from django.urls import path

from minsheng.safety import views

app_name = "safety"
urlpatterns = [
    path("", views.home, name="home"),
]
