"""Small display helpers for plan pages."""

import re

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


PERIODICITY_LABELS = {"annual": _("each year"), "quarterly": _("each quarter"),
                      "monthly": _("each month"), "semiannual": _("each half-year"),
                      "weekly": _("each week")}


@register.filter
def periodicity_label(code):
    return PERIODICITY_LABELS.get(code, code)


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


# The importer (textparse) records why it skipped a line or flagged a target in plain
# English (it has no Django); pages show the reason in the page's language.
_IMPORTER_REASONS = [
    (re.compile(r"^page number$"), _("page number")),
    (re.compile(r"^advertisement or contact prompt \((?P<x>.*)\)$"),
     _("advertisement or contact prompt (%(x)s)")),
    (re.compile(r"^advertisement \(contains emoji\)$"), _("advertisement (contains emoji)")),
    (re.compile(r"^text after the closing paragraph; not recognised as part of the plan$"),
     _("text after the closing paragraph; not recognised as part of the plan")),
    (re.compile(r"^deadline year is redacted \((?P<x>.*)\)$"),
     _("deadline year is redacted (%(x)s)")),
    (re.compile(r"^no deadline year stated$"), _("no deadline year stated")),
    (re.compile(r"^value is redacted \((?P<x>.*)\)$"), _("value is redacted (%(x)s)")),
    (re.compile(r"^value is a change \((?P<x>.*)\), not a level; baseline needed$"),
     _("value is a change (%(x)s), not a level; baseline needed")),
    (re.compile(r"^range (?P<x>.*): choose how to track it$"),
     _("range %(x)s: choose how to track it")),
    (re.compile(r"^value is a change \((?P<x>.*)\) from the (?P<y>\d{4}) level; enter that "
                r"year's value as the baseline$"),
     _("value is a change (%(x)s) from the %(y)s level; enter that year's value as the "
       "baseline")),
    (re.compile(r"^task table row (?P<x>\d+) matches no item of the plan$"),
     _("task table row %(x)s matches no item of the plan")),
    (re.compile(r"^no numeric value: benchmark only \((?P<x>.*)\)$"),
     _("no numeric value: benchmark only (%(x)s)")),
]


@register.filter
def importer_reason(reason: str) -> str:
    """An importer's reason in words of the page's language (unknown ones as they are)."""
    for pattern, words in _IMPORTER_REASONS:
        m = pattern.match(reason or "")
        if m:
            return str(words) % m.groupdict() if pattern.groupindex else str(words)
    return reason
