from django.utils.translation import pgettext_lazy

from minsheng.core.apps import MinshengAppConfig


class EducationConfig(MinshengAppConfig):
    name = "minsheng.education"
    label = "education"
    verbose_name = "Education"
    urls = "minsheng.education.urls"
    api_router = "minsheng.education.api.router"
    cli = "minsheng.education.commands.app"
    demo_builder = "minsheng.education.demo.build"
    demo_order = 250  # after assistance, whose facts flag low-income families
    nav = ((pgettext_lazy("education", "Education"), "education:home", "education.view"),)

    def ready(self):
        from minsheng.core.access import grant, reserve
        from minsheng.education.config import setting
        from minsheng.education.permissions import DEPARTMENT_ONLY, ROLES
        from minsheng.education.sources import register

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        reserve(setting("DEPARTMENT_CODE"), *DEPARTMENT_ONLY)
        register()
