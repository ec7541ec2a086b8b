"""Clocks on pages: `{% clock_status clock as status %}`, `{% clock_summary clock %}`, both
as of the page's `today` (or now)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def clock_status(context, clock):
    return clock.status(context.get("now") or context.get("today"))


@register.simple_tag(takes_context=True)
def clock_summary(context, clock):
    return clock.summary(context.get("now") or context.get("today"))
