from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class EmploymentConfig(MinshengAppConfig):
    name = "minsheng.employment"
    label = "employment"
    verbose_name = "Employment services"
    urls = "minsheng.employment.urls"
    api_router = "minsheng.employment.api.router"
    cli = "minsheng.employment.commands.app"
    demo_builder = "minsheng.employment.demo.build"
    demo_order = 30
    nav = ((_("Employment"), "employment:seekers", "employment.view"),
           (_("Unemployment warnings"), "employment:warnings", "employment.view_warnings"))
    public = ((_("Find a job"), "employment:public_search",
               _("Search published job posts of the public employment service")),
              (_("Submit a job post"), "employment:public_submit",
               _("Employers submit a job post; it is published after review")))

    def ready(self):
        from minsheng.core import facts
        from minsheng.core.access import grant
        from minsheng.employment.facts import FACTS
        from minsheng.employment.permissions import ROLES
        from minsheng.employment.sources import SOURCES
        from minsheng.indicators.registry import register_source

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        for source in SOURCES:
            register_source(source)
        for fact in FACTS:
            facts.register(fact)
