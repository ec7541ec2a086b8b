from django.urls import path

from minsheng.safety import views

app_name = "safety"
urlpatterns = [
    path("", views.home, name="home"),
    path("hazards/", views.hazard_list, name="hazards"),
    path("hazards/new/", views.hazard_new, name="hazard_new"),
    path("hazards/<int:pk>/", views.hazard_detail, name="hazard"),
    path("hazards/<int:pk>/<slug:action>/", views.hazard_action, name="hazard_action"),
    path("publications/<int:pk>/publish/", views.publication_publish, name="publish"),
    path("board/", views.board, name="board"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("alarms/", views.alarm_list, name="alarms"),
    path("alarms/<int:pk>/<slug:action>/", views.alarm_action, name="alarm_action"),
    path("accidents/", views.accident_list, name="accidents"),
    path("accidents/<int:pk>/", views.accident_detail, name="accident"),
    path("releases/<int:pk>/<slug:action>/", views.release_action, name="release_action"),
    path("emergency/", views.emergency, name="emergency"),
    path("public/releases/", views.public_releases, name="public_releases"),
]
