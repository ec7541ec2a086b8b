"""What the safety pages share: a page context built only when a refused form is shown
again, forms pre-filled for a record, and the organisation search suggestions."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from minsheng.core.pages import actor
from minsheng.safety import selectors
from minsheng.safety.forms import OrganizationSearchForm


class Later(Mapping):
    """The context of the page a form was posted from, built only if it is shown again
    (a refusal): a successful post redirects and never pays for it."""

    def __init__(self, build: Callable[[], dict]):
        self._build = build
        self._data: dict | None = None

    def _get(self) -> dict:
        if self._data is None:
            self._data = self._build()
        return self._data

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())


def page_forms(classes: dict, bound: dict | None = None, **kwargs) -> dict:
    """One form per action, unbound with `initial` (kwargs), except the one posted."""
    bound = bound or {}
    return {name: bound.get(name) or cls(**kwargs) for name, cls in classes.items()}


# The ingester reports every 2 seconds; a heartbeat older than this means it is down.
INGEST_STALE = datetime.timedelta(minutes=1)


def stale_before() -> datetime.datetime:
    return timezone.now() - INGEST_STALE


KINDS = {"enterprise": ("enterprise",), "owner": ("department", "enterprise")}


@login_required
@require_GET
def organization_options(request):
    """Suggestions for an organisation search field (htmx fills its `<datalist>`): the
    first matches and, when there are more, how many (never a silent cut)."""
    a = actor(request)
    field, q = OrganizationSearchForm(request.GET, actor=a).search()
    rows, total = selectors.organization_options(a, q=q, kinds=KINDS[field])
    names = [o.name for o in rows]
    for o in rows:  # a name two organisations share is offered by its credit code
        o.pick = o.name if names.count(o.name) == 1 else (o.uscc or str(o.pk))
    return render(request, "safety/partials/organization_options.html",
                  {"rows": rows, "total": total, "more": total - len(rows),
                   "field": field})
