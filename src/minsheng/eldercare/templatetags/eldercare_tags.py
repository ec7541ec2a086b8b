"""Template helpers of the eldercare pages: which links the user may follow, and
figures shown as percentages."""

from django import template

from minsheng.core.access import actor_for
from minsheng.eldercare import permissions as P

register = template.Library()


@register.simple_tag(takes_context=True)
def eldercare_people(context) -> bool:
    """Whether the user sees residents, allowances and payment lists."""
    return actor_for(context["request"].user).has(P.VIEW_PEOPLE)


@register.filter
def share(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@register.filter
def num1(value) -> str:
    return "—" if value is None else f"{value:.1f}"
