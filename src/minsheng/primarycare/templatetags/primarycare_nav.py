"""The module's sub-navigation, showing only the pages the user may open."""

from django import template
from django.utils.translation import gettext_lazy as _

from minsheng.core.access import actor_for
from minsheng.primarycare.permissions import COVERAGE, IMPORT, VIEW

register = template.Library()

LINKS = [
    ("primarycare:home", _("Primary care overview"), VIEW),
    ("primarycare:contracts", _("Family-doctor contracts"), VIEW),
    ("primarycare:teams", _("Teams and alliances"), VIEW),
    ("primarycare:referrals", _("Two-way referrals"), VIEW),
    ("primarycare:coverage", _("Insurance coverage"), COVERAGE),
    ("primarycare:uninsured", _("Uninsured list"), COVERAGE),
    ("primarycare:outreach", _("Outreach cases"), COVERAGE),
    ("primarycare:links", _("Probable links to confirm"), IMPORT),
]


@register.inclusion_tag("primarycare/_nav_links.html", takes_context=True)
def primarycare_nav(context):
    actor = actor_for(context["request"].user)
    return {"links": [(url, label) for url, label, perm in LINKS if actor.has(perm)]}
