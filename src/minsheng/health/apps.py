from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class HealthConfig(MinshengAppConfig):
    name = "minsheng.health"
    label = "health"
    verbose_name = "Health"
    urls = "minsheng.health.urls"
    api_router = "minsheng.health.api.router"
    cli = "minsheng.health.commands.app"
    demo_builder = "minsheng.health.demo.build"
    demo_order = 40
    nav = ((_("Disease alerts"), "health:alerts", "health.view_surveillance"),)

    def ready(self):
        from minsheng.health import permissions
        from minsheng.health.sources import SOURCES
        from minsheng.indicators.registry import register_source

        # Roles' grants; personal case data and every write reserved to the health
        # department (core.access.reserve).
        permissions.register()
        for source in SOURCES:
            register_source(source)
