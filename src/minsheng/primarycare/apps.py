from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class PrimaryCareConfig(MinshengAppConfig):
    name = "minsheng.primarycare"
    label = "primarycare"
    verbose_name = "Primary care and insurance coverage"
    urls = "minsheng.primarycare.urls"
    api_router = "minsheng.primarycare.api.router"
    cli = "minsheng.primarycare.commands.app"
    demo_builder = "minsheng.primarycare.demo.build"
    demo_order = 250
    nav = ((_("Primary care"), "primarycare:home", "primarycare.view"),)

    def ready(self):
        from minsheng.core import facts
        from minsheng.core.access import grant, reserve
        from minsheng.primarycare.config import setting
        from minsheng.primarycare.facts import FACTS
        from minsheng.primarycare.permissions import HEALTH_ONLY, INSURANCE_ONLY, ROLES
        from minsheng.primarycare.sources import register

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        reserve(setting("HEALTH_DEPARTMENT"), *HEALTH_ONLY)
        reserve(setting("INSURANCE_DEPARTMENT"), *INSURANCE_ONLY)
        for fact in FACTS:
            facts.register(fact)
        register()
