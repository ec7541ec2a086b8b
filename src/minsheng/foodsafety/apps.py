from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class FoodSafetyConfig(MinshengAppConfig):
    name = "minsheng.foodsafety"
    label = "foodsafety"
    verbose_name = "Food and drug safety"
    urls = "minsheng.foodsafety.urls"
    api_router = "minsheng.foodsafety.api.router"
    cli = "minsheng.foodsafety.commands.app"
    demo_builder = "minsheng.foodsafety.demo.build"
    demo_order = 65
    nav = ((_("Food and drug safety"), "foodsafety:home", "foodsafety.view"),)
    public = ((_("Food safety results"), "foodsafety:public",
               _("Published inspection results and ratings, unqualified sample notices")),)

    def ready(self):
        from minsheng.core.access import grant, reserve
        from minsheng.foodsafety.config import setting
        from minsheng.foodsafety.permissions import DEPARTMENT_ONLY, ROLES
        from minsheng.foodsafety.sources import register

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        reserve(setting("DEPARTMENT_CODE"), *DEPARTMENT_ONLY)
        register()
