from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class CultureConfig(MinshengAppConfig):
    name = "minsheng.culture"
    label = "culture"
    verbose_name = "Culture and heritage"
    urls = "minsheng.culture.urls"
    api_router = "minsheng.culture.api.router"
    cli = "minsheng.culture.commands.app"
    demo_builder = "minsheng.culture.demo.build"
    demo_order = 70
    nav = ((_("Heritage"), "culture:home", "culture.view"),)

    def ready(self):
        from minsheng.core.access import grant, reserve
        from minsheng.culture.config import setting
        from minsheng.culture.permissions import DEPARTMENT_ONLY, ROLES
        from minsheng.culture.sources import register

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        reserve(setting("DEPARTMENT_CODE"), *DEPARTMENT_ONLY)
        register()
