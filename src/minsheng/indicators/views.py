"""Data value pages (entry, import, approval) and the open-data export."""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core import selectors as core_selectors
from minsheng.core.access import require
from minsheng.core.errors import ValidationFailed
from minsheng.core.pages import actor, paginate
from minsheng.indicators import opendata, selectors, services
from minsheng.indicators.models import DataValue


@login_required
def values(request):
    a = actor(request)
    require(a, selectors.VIEW)
    code = request.GET.get("element", "")
    element = selectors.element_get(code=code) if code else None
    qs = selectors.value_list(a, element=element, state=request.GET.get("state", ""))
    return render(request, "indicators/values.html", {
        "page": paginate(request, qs), "elements": selectors.element_list(),
        "element": element,
        "areas": core_selectors.area_list(a).filter(id__in=a.area_ids(services.ENTER)),
        "pending": selectors.value_list(a, state=DataValue.State.PENDING)[:100],
        "can_enter": a.has(services.ENTER), "can_approve": a.has(services.APPROVE)})


@login_required
@require_POST
def value_enter(request):
    a = actor(request)
    element = selectors.element_get(code=request.POST.get("element", ""))
    area = core_selectors.area_lookup(request.POST.get("area", ""))
    if area is None:
        raise ValidationFailed(_("Choose an area"), field="area")
    try:
        period = services.parse_period(request.POST.get("period", ""), element.period)
        number = float(request.POST.get("value", ""))
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    version = request.POST.get("version", "")
    value = services.value_enter(actor=a, element=element, area=area, period=period,
                                 value=number, version=int(version) if version else None,
                                 note=request.POST.get("note", ""))
    if value.flag:
        messages.warning(request, value.flag)
    messages.success(request, _("Saved; it counts once approved"))
    return redirect(f"{request.path.rsplit('/', 2)[0]}/")


@login_required
@require_POST
def value_decide(request, pk: int):
    a = actor(request)
    value = selectors.value_get(a, pk=pk)
    services.value_decide(actor=a, value=value, version=int(request.POST.get("version", 0)),
                          approve=request.POST.get("action") == "approve",
                          accept_flag=request.POST.get("accept_flag") == "1")
    return redirect("indicators:values")


@login_required
@require_POST
def values_import(request):
    a = actor(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(_("Choose a file"), field="file")
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        report = services.values_import(actor=a, path=tmp.name)
    if report.ok:
        messages.success(request, _("Imported %(n)d value(s); they count once approved")
                         % {"n": report.imported})
    else:
        messages.error(request, _("Nothing was imported: %(errors)s") % {
            "errors": "; ".join(f"{_('line')} {line}: {reason}"
                                for line, reason in report.errors[:20])})
    return redirect("indicators:values")


def open_data_json(request):
    return HttpResponse(json.dumps(opendata.as_json(), ensure_ascii=False, default=str),
                        content_type="application/json; charset=utf-8")


def open_data_csv(request):
    response = HttpResponse(opendata.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indicators-{datetime.date.today():%Y%m%d}.csv"')
    return response
