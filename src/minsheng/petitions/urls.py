from django.urls import path

from minsheng.petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_new, name="new"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/reveal/", views.petition_reveal, name="reveal"),
    path("<int:pk>/<slug:action>/", views.petition_action, name="action"),
    path("public/submit/", views.public_submit, name="public_submit"),
    path("public/submitted/", views.public_submitted, name="public_submitted"),
    path("public/status/", views.public_status, name="public_status"),
]
