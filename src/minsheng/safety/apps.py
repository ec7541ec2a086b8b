from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class SafetyConfig(MinshengAppConfig):
    name = "minsheng.safety"
    label = "safety"
    verbose_name = "Work safety"
    urls = "minsheng.safety.urls"
    api_router = "minsheng.safety.api.router"
    cli = "minsheng.safety.commands.app"
    demo_builder = "minsheng.safety.demo.build"
    demo_order = 60
    nav = ((_("Work safety"), "safety:home", "safety.view"),)
    public = ((_("Work safety information"), "safety:public_releases",
               _("Accident information releases, listed supervision and write-off notices")),)

    def ready(self):
        from minsheng.core.access import grant, reserve
        from minsheng.safety.config import setting
        from minsheng.safety.permissions import DEPARTMENT_ONLY, ROLES
        from minsheng.safety.sources import register

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        reserve(setting("DEPARTMENT_CODE"), *DEPARTMENT_ONLY)
        register()
