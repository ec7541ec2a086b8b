"""Accidents with their statutory clocks, and the public information releases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.safety import forms as F
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.services import accidents as svc
from minsheng.safety.views.common import Later, page_forms


@login_required
def accident_list(request):
    a = actor(request)
    return render(request, "safety/accident_list.html", {
        "page": paginate(request, selectors.accident_list(a)),
        "query": query_without_page(request), "can_report": a.has(P.ACCIDENTS)})


@login_required
def accident_new(request):
    a = actor(request)
    if request.method != "POST":
        return render(request, "safety/accident_new.html",
                      {"form": F.AccidentReportForm(actor=a)})
    form = F.AccidentReportForm(request.POST, actor=a)
    return submit(request, form, lambda d: svc.accident_report(actor=a, **d),
                  success_url=lambda acc: reverse("safety:accident", args=[acc.pk]),
                  template="safety/accident_new.html", message=_("Accident recorded."))


# The accident forms that are not workflow moves, and the states they are offered in
# (the moves, `investigate` and `close`, are offered when the workflow allows them).
OPEN = ("reported", "investigating")


def _detail_context(a, pk: int, bound: dict | None = None) -> dict:
    accident = selectors.accident_detail(a, pk=pk)
    relays = list(accident.relays.all())
    can_act = a.covers(P.ACCIDENTS, accident.area)
    allowed = {t.name for t in accident.workflow.allowed(a, accident)}
    wanted = {name: cls for name, cls in F.ACCIDENT_FORMS.items()
              if name in allowed or (name not in accident.workflow.transitions
                                     and can_act and accident.state in OPEN)}
    if accident.investigation_extended:
        wanted.pop("extend", None)
    releases = list(accident.releases.all())
    can_release = a.covers(P.RELEASE_APPROVE, accident.area)
    for r in releases:  # the moves of each release this actor may make
        r.moves = [t.name for t in r.workflow.allowed(a, r)] if can_release else []
        r.form = (bound or {}).get(f"release-{r.pk}") or F.ReleaseMoveForm(
            initial={"version": r.version}, actor=a)
    forms = page_forms(wanted, bound, initial={
        "version": accident.version, "deaths": accident.deaths,
        "serious_injuries": accident.serious_injuries,
        "report_submitted_on": timezone.localdate()}, actor=a)
    if can_act:
        forms["draft"] = (bound or {}).get("draft") or F.ReleaseDraftForm(actor=a)
    return {"acc": accident, "now": timezone.now(), "today": timezone.localdate(),
            "clocks": svc.accident_clocks(accident, relays), "relays": relays,
            "casualty_until": svc.casualty_deadline(accident),
            "updates": list(accident.updates.all()), "releases": releases,
            "forms": forms, "events": selectors.accident_timeline(a, accident)}


@login_required
def accident_detail(request, pk: int):
    a = actor(request)
    return render(request, "safety/accident_detail.html", _detail_context(a, pk))


MESSAGES = {"relay": gettext_lazy("Relay recorded."),
            "casualties": gettext_lazy("Casualty figures updated."),
            "extend": gettext_lazy("Investigation period extended."),
            "investigate": gettext_lazy("Investigation started."),
            "close": gettext_lazy("Accident closed."),
            "draft": gettext_lazy("Release drafted."),
            "approve": gettext_lazy("Release approved."),
            "publish": gettext_lazy("Release published."),
            "withdraw": gettext_lazy("Release back to draft.")}


@login_required
@require_POST
def accident_action(request, pk: int, action: str):
    if action not in F.ACCIDENT_FORMS:
        raise Http404
    a = actor(request)
    accident = selectors.accident_get(a, pk=pk)
    form = F.ACCIDENT_FORMS[action](request.POST, actor=a)
    call = {
        "relay": lambda d: svc.accident_relay(actor=a, accident=accident, **d),
        "casualties": lambda d: svc.accident_update_casualties(actor=a, accident=accident,
                                                               **d),
        "extend": lambda d: svc.accident_extend_investigation(actor=a, accident=accident,
                                                              **d),
        "investigate": lambda d: svc.accident_investigate(actor=a, accident=accident, **d),
        "close": lambda d: svc.accident_close(actor=a, accident=accident, **d),
    }[action]
    return submit(request, form, call, success_url=reverse("safety:accident", args=[pk]),
                  template="safety/accident_detail.html",
                  context=Later(lambda: _detail_context(a, pk, {action: form})),
                  message=str(MESSAGES[action]))


@login_required
@require_POST
def release_action(request, pk: int, action: str):
    """`draft` on an accident (pk: the accident); approve, publish, withdraw on a release."""
    a = actor(request)
    if action == "draft":
        accident = selectors.accident_get(a, pk=pk)
        form = F.ReleaseDraftForm(request.POST, actor=a)
        key, call = "draft", lambda d: svc.release_draft(actor=a, accident=accident, **d)
    elif action in ("approve", "publish", "withdraw"):
        release = selectors.release_get(a, pk=pk)
        accident = release.accident
        form = F.ReleaseMoveForm(request.POST, actor=a)
        key = f"release-{release.pk}"
        service = {"approve": svc.release_approve, "publish": svc.release_publish,
                   "withdraw": svc.release_withdraw}[action]
        if action == "withdraw":
            def call(d):
                return service(actor=a, release=release, **d)
        else:
            def call(d):
                return service(actor=a, release=release, version=d["version"])
    else:
        raise Http404
    return submit(request, form, call,
                  success_url=reverse("safety:accident", args=[accident.pk]),
                  template="safety/accident_detail.html",
                  context=Later(lambda: _detail_context(a, accident.pk, {key: form})),
                  message=str(MESSAGES[action]))


def public_releases(request):
    """Public page (no login) for the portal: published releases and notices."""
    return render(request, "safety/public_releases.html", {
        "releases": paginate(request, selectors.public_releases(), 20),
        "notices": paginate(request, selectors.public_publications(), 20, param="notices"),
        "query": query_without_page(request),
        "notices_query": query_without_page(request, "notices")})
