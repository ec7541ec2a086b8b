from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class AssistanceConfig(MinshengAppConfig):
    name = "minsheng.assistance"
    label = "assistance"
    verbose_name = "Social assistance"
    urls = "minsheng.assistance.urls"
    api_router = "minsheng.assistance.api.router"
    cli = "minsheng.assistance.commands.app"
    demo_builder = "minsheng.assistance.demo.build"
    demo_order = 200
    nav = ((_("Social assistance"), "assistance:worklist", "assistance.view"),)
    public = ((_("Apply for the minimum living guarantee"), "assistance:apply",
               _("Apply online for dibao on behalf of your household")),
              (_("Track my application"), "assistance:status",
               _("See where your application stands with its reference number")))

    def ready(self):
        from minsheng.assistance.facts import register_facts
        from minsheng.assistance.permissions import grant_roles
        from minsheng.assistance.sources import register_sources

        grant_roles()
        register_sources()
        register_facts()
