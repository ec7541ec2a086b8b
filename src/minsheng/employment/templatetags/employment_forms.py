"""Rendering a bound form's values back into hand-written inputs, so that a refused form
shows what the user typed (dates as YYYY-MM-DD whatever the locale)."""

import datetime

from django import template

register = template.Library()


@register.filter
def val(bound_field) -> str:
    """The value for an input's value attribute: what was typed, else the initial."""
    value = bound_field.value() if bound_field is not None else None
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


@register.filter
def picked(bound_field, option) -> bool:
    """Whether `option` is the chosen value (or one of the chosen values)."""
    value = bound_field.value() if bound_field is not None else None
    if isinstance(value, list | tuple):
        return str(option) in {str(v) for v in value}
    return value is not None and str(value) == str(option)


@register.filter
def percent(rate) -> str:
    """A share as a percentage with two decimals (0.0312 -> 3.12%)."""
    try:
        return f"{float(rate) * 100:.2f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def can(actor, permission: str) -> bool:
    """Whether the request's actor holds the permission somewhere (menus show only what
    the role may open)."""
    return bool(actor is not None and hasattr(actor, "has") and actor.has(permission))


@register.filter
def checks(reasons) -> list[str]:
    """Reasons that are stated requirements the pair passed ("✓ ...")."""
    return [r[2:] for r in reasons or [] if r.startswith("✓ ")]


@register.filter
def scored(reasons) -> list[str]:
    """Reasons that scored (everything that is neither a requirement nor a warning)."""
    return [r for r in reasons or [] if not r.startswith(("✓ ", "⚠ "))]


@register.filter
def flag_text(flags) -> list[str]:
    """Screening flags as the caseworker reads them."""
    from minsheng.employment.forms import flag_labels

    return flag_labels(flags)


@register.filter
def words_field(name: str) -> str:
    """Which of the seeker's words an occupation suggestion came from."""
    from django.utils.translation import gettext

    return {"wanted": gettext("Wanted work in words"), "skills": gettext("Skills of the seeker"),
            "major": gettext("Major of the seeker"),
            "summary": gettext("Self-description of the seeker")}.get(name, name)
