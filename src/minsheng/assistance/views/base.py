"""What every assistance page shares: its URLs, a resident looked up for a form, and where
a refused form's message goes when its form is not on the page."""

from __future__ import annotations

from django.urls import reverse

from minsheng.assistance import selectors
from minsheng.assistance.permissions import APPLY
from minsheng.core.errors import NotFound, ValidationFailed


def page_url(name: str, *args) -> str:
    return reverse(f"assistance:{name}", args=args)


def person_in_scope(a, id_number: str, field: str):
    """A resident looked up for a form: an unknown number and one outside the area are
    the same refusal, on the field (never an error page, never an existence oracle)."""
    try:
        return selectors.person_by_id_number(a, id_number=id_number, permission=APPLY)
    except NotFound as error:
        raise ValidationFailed(error.message, field=field) from None


def orphan(failed, rendered: set):
    """A refused form whose place is not on the page (an action not offered in this
    state): its message is shown above the actions instead."""
    return failed[1] if failed and failed[0] not in rendered else None
