"""IoT monitoring: the live board, a source's charts, alarm incidents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.safety import forms as F
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.services import iot as iot_svc
from minsheng.safety.views.common import Later, page_forms, stale_before


@login_required
def board(request):
    a = actor(request)
    filters = F.BoardFilterForm(request.GET or None, actor=a)
    level = filters.cleaned_data.get("level", "") if filters.is_valid() else ""
    context = {"sources": selectors.board(a, level=level), "now": timezone.now(),
               "status": selectors.ingest_status(a), "stale_before": stale_before(),
               "level": level}
    if not request.htmx and a.has(P.SOURCES):  # what vendors ask the district about
        context["rejects"] = selectors.ingest_rejects(a)
    template = "safety/partials/board.html" if request.htmx else "safety/board.html"
    return render(request, template, context)


@login_required
def source_detail(request, pk: int):
    a = actor(request)
    filters = F.SourceHoursForm(request.GET or None, actor=a)
    hours = (filters.cleaned_data.get("hours") if filters.is_valid() else None) or 1.0
    return render(request, "safety/source_detail.html", {
        **selectors.source_detail(a, pk=pk, hours=hours), "hours": hours, "filters": filters})


@login_required
def alarm_list(request):
    a = actor(request)
    filters = F.AlarmFilterForm(request.GET or None, actor=a)
    f = filters.cleaned_data if filters.is_valid() else {}
    source = selectors.source_get(a, pk=f["source"]) if f.get("source") else None
    # no state asked for: the alarms still to handle
    state = f.get("state", "") if "state" in request.GET and f else "open"
    qs = selectors.alarm_list(a, state=state, source=source)
    return render(request, "safety/alarm_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "filters": filters, "source": source, "can_handle": a.has(P.ALARMS),
        "now": timezone.now()})


def _alarm_context(a, pk: int, bound: dict | None = None) -> dict:
    alarm = selectors.alarm_get(a, pk=pk)
    allowed = {t.name for t in alarm.workflow.allowed(a, alarm)}
    wanted = {key: cls for key, cls in F.ALARM_FORMS.items()
              if {"ack": "acknowledge", "close": "close"}[key] in allowed}
    return {"alarm": alarm, "now": timezone.now(), "clocks": iot_svc.alarm_clocks(alarm),
            "forms": page_forms(wanted, bound, initial={"version": alarm.version}, actor=a),
            "events": selectors.alarm_timeline(a, alarm)}


@login_required
def alarm_detail(request, pk: int):
    a = actor(request)
    return render(request, "safety/alarm_detail.html", _alarm_context(a, pk))


MESSAGES = {"ack": gettext_lazy("Alarm acknowledged."), "close": gettext_lazy("Alarm closed.")}


@login_required
@require_POST
def alarm_action(request, pk: int, action: str):
    """Acknowledge or close an alarm, from its page or from a row of the alarm list (htmx:
    a refusal shows in the page's messages with the row as it was)."""
    if action not in F.ALARM_FORMS:
        raise Http404
    a = actor(request)
    alarm = selectors.alarm_get(a, pk=pk)
    form = F.ALARM_FORMS[action](request.POST, actor=a)
    if action == "ack":
        def call(d):
            return iot_svc.alarm_acknowledge(actor=a, alarm=alarm, **d)
    else:
        def call(d):
            return iot_svc.alarm_close(actor=a, alarm=alarm, **d)
    back = (reverse("safety:alarms") if request.htmx
            else reverse("safety:alarm", args=[alarm.pk]))
    return submit(request, form, call, success_url=back, template="safety/alarm_detail.html",
                  context=Later(lambda: _alarm_context(a, pk, {action: form})),
                  message=str(MESSAGES[action]))
