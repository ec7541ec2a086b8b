from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class IndicatorsConfig(MinshengAppConfig):
    name = "minsheng.indicators"
    label = "indicators"
    verbose_name = "Indicators"
    urls = "minsheng.indicators.urls"
    api_router = "minsheng.indicators.api.router"
    nav = ((_("Data values"), "indicators:values", "indicators.enter_values"),
           (_("Indicator definitions"), "indicators:definitions", "indicators.manage"))
    public = ((_("Open data: plan indicators"), "indicators:open_data_csv",
               _("Published indicator values by area and period (CSV; JSON at "
                 "indicators.json)")),)

    def ready(self):
        from minsheng.core.access import grant
        from minsheng.indicators.sources import register_core_sources

        for role in ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
                     "plan_supervisor", "data_entry", "auditor"):
            grant(role, "indicators.view")
        for role in ("system_admin", "department_admin", "data_entry"):
            grant(role, "indicators.enter_values")
        for role in ("system_admin", "department_admin", "approver"):
            grant(role, "indicators.approve_values")
        for role in ("system_admin", "plan_supervisor"):
            grant(role, "indicators.manage")
        register_core_sources()
