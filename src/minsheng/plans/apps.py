from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class PlansConfig(MinshengAppConfig):
    name = "minsheng.plans"
    label = "plans"
    verbose_name = "Plans"
    urls = "minsheng.plans.urls"
    api_router = "minsheng.plans.api.router"
    cli = "minsheng.plans.commands.app"
    demo_builder = "minsheng.plans.demo.build"
    demo_order = 900  # after the domain modules, whose sources it must not shadow
    nav = ((_("Plan"), "plans:overview", "plans.view"),
           (_("Supervision"), "plans:supervision", "plans.view"))

    def ready(self):
        from minsheng.core.access import grant
        from minsheng.plans.permissions import GRANTS

        for permission, roles in GRANTS.items():
            for role in roles:
                grant(role, permission)
