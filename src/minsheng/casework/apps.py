from django.utils.translation import gettext_lazy as _

from minsheng.core.apps import MinshengAppConfig


class CaseworkConfig(MinshengAppConfig):
    name = "minsheng.casework"
    label = "casework"
    verbose_name = "Casework"
    urls = "minsheng.casework.urls"
    cli = "minsheng.casework.commands.app"
    nav = ((_("Follow-ups"), "casework:followups", "casework.view_followups"),)

    def ready(self):
        from minsheng.casework.permissions import GRANTS
        from minsheng.core.access import grant

        for permission, roles in GRANTS.items():
            for role in roles:
                grant(role, permission)
