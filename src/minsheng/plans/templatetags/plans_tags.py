"""Small display helpers for plan pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_LABELS = {"achieved": _("Achieved"), "on_track": _("On track"), "at_risk": _("At risk"),
                 "off_track": _("Off track"), "insufficient_data": _("Insufficient data")}
PROGRESS_LABELS = {"target_achieved": _("target achieved"), "on_track": _("on track"),
                   "acceleration_needed": _("acceleration needed"),
                   "limited_progress": _("limited progress"),
                   "deterioration": _("deterioration"), "not_computable": _("not computable")}


@register.filter
def status_label(code):
    return STATUS_LABELS.get(code, code)


@register.filter
def progress_label(code):
    return PROGRESS_LABELS.get(code, code)


@register.filter
def num(value, decimals=1):
    if value is None or value != value:
        return "—"
    try:
        d = int(decimals)
        return f"{float(value):,.{d}f}"
    except (TypeError, ValueError):
        return value


@register.filter
def pct(value):
    if value is None:
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
