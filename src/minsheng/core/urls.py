from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from minsheng.core import security_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("areas/", views.area_tree, name="areas"),
    path("people/", views.person_list, name="people"),
    path("people/export.xlsx", views.person_export, name="people_export"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/reveal/<str:field>/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/disabilities/new/", views.disability_create,
         name="disability_create"),
    path("households/", views.household_list, name="households"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/person/", views.person_access, name="person_access"),
    path("import/", views.import_page, name="import"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("account/tokens/", views.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("account/2fa/", security_views.second_factor_enrol, name="second_factor_enrol"),
    path("account/2fa/verify/", security_views.second_factor_verify,
         name="second_factor_verify"),
    path("account/roles/", security_views.role_changes, name="role_changes"),
    path("account/2fa/reset/", security_views.second_factor_reset,
         name="second_factor_reset"),
    re_path(r"^account/roles/(?P<pk>[0-9]+)/(?P<decision>approve|reject)/$",
            security_views.role_change_decide, name="role_change_decide"),
]
