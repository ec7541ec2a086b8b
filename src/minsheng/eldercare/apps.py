from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class EldercareConfig(MinshengAppConfig):
    name = "minsheng.eldercare"
    label = "eldercare"
    verbose_name = "Elderly care"
    urls = "minsheng.eldercare.urls"
    api_router = "minsheng.eldercare.api.router"
    cli = "minsheng.eldercare.commands.app"
    demo_builder = "minsheng.eldercare.demo.build"
    demo_order = 250  # after assistance (dibao households), before plans
    nav = ((_("Elderly care"), "eldercare:home", "eldercare.view"),)

    def ready(self):
        from minsheng.core.access import grant, reserve
        from minsheng.eldercare.config import setting
        from minsheng.eldercare.permissions import DEPARTMENT_ONLY, ROLES
        from minsheng.eldercare.sources import register

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        reserve(setting("DEPARTMENT_CODE"), *DEPARTMENT_ONLY)
        register()
