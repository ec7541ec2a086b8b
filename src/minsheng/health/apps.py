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
        from minsheng.core.access import grant
        from minsheng.health import models as m
        from minsheng.health.sources import SOURCES
        from minsheng.indicators.registry import register_source

        # Viewing alerts and aggregate figures; personal case data is further limited to
        # health-department staff (minsheng.health.access).
        for role in ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
                     "plan_supervisor", "auditor", "data_entry"):
            grant(role, m.VIEW)
        for role in ("system_admin", "department_admin", "caseworker", "data_entry"):
            grant(role, m.REPORT, m.RECORDS)
        for role in ("system_admin", "department_admin", "caseworker"):
            grant(role, m.RESPOND)
        for role in ("system_admin", "department_admin"):
            grant(role, m.CONFIGURE)
        for source in SOURCES:
            register_source(source)
