from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class PetitionsConfig(MinshengAppConfig):
    name = "minsheng.petitions"
    label = "petitions"
    verbose_name = "Petitions"
    urls = "minsheng.petitions.urls"
    api_router = "minsheng.petitions.api.router"
    cli = "minsheng.petitions.commands.app"
    demo_builder = "minsheng.petitions.demo.build"
    demo_order = 70
    nav = ((_("Petitions"), "petitions:list", "petitions.view"),)
    public = ((_("Submit a petition"), "petitions:public_submit",
               _("Letters and visits online: submit a petition and follow its handling")),)

    def ready(self):
        from minsheng.core.access import grant
        from minsheng.petitions.permissions import ROLES
        from minsheng.petitions.sources import register

        for role, permissions in ROLES.items():
            grant(role, *permissions)
        register()
