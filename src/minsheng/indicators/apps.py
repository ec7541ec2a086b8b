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
        from minsheng.indicators.permissions import GRANTS
        from minsheng.indicators.sources import register_core_sources

        for permission, roles in GRANTS.items():
            for role in roles:
                grant(role, permission)
        register_core_sources()
