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
        from minsheng.core.access import grant

        for role in ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
                     "plan_supervisor", "auditor"):
            grant(role, "casework.view_followups")
        for role in ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
                     "plan_supervisor"):
            grant(role, "casework.handle_followups")
