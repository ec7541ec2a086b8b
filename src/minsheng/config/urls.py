"""URL wiring: core pages, the API, and each app's `urls` declared on its AppConfig."""

from django.contrib import admin
from django.urls import include, path

from minsheng.config.api import api
from minsheng.core import views as core_views
from minsheng.core.plugins import declared

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("minsheng.core.urls")),
]
urlpatterns += [path(f"{app.label}/", include(dotted)) for app, dotted in declared("urls")]
