"""Extreme-poverty (tekun) pages: recognition cases, supported persons with their
self-care assessments, and the district's spot checks."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.assistance import eligibility, forms, selectors, services
from minsheng.assistance.config import setting
from minsheng.assistance.labels import ADL_LABELS, CARE_LABELS, DISABILITY_LABELS
from minsheng.assistance.models import TekunCase
from minsheng.assistance.permissions import APPLY, MANAGE
from minsheng.assistance.services import clocks
from minsheng.assistance.views.base import orphan, page_url, person_in_scope
from minsheng.casework.workflow import timeline
from minsheng.core import dates
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.identifiers import mask
from minsheng.core.pages import actor, paginate, query_without_page, submit


# ------------------------------------------------------------------ extreme-poverty support
def _tekun_rules() -> dict:
    return {"elder": setting("TEKUN_ELDER_AGE"), "minor": setting("TEKUN_MINOR_AGE"),
            "support_to": setting("TEKUN_SUPPORT_TO_AGE"),
            "standard": eligibility.standard(),
            "grades": [(DISABILITY_LABELS.get(k, k), "、".join(str(g) for g in v))
                       for k, v in setting("TEKUN_DISABILITY").items()]}


@login_required
def tekun_list(request):
    a = actor(request)
    f = forms.TekunFilter(request.GET).values()
    tab = f["tab"]
    today = timezone.localdate()
    state = f["state"] if f["state"] in ("open", "", *TekunCase.workflow.states) else "open"
    if tab == "supported":
        page = paginate(request, selectors.tekun_persons(a))
    elif tab == "reassess":
        page = paginate(request, selectors.tekun_persons(a, reassess=True))
    else:
        page = paginate(request, selectors.tekun_cases(a, state=state))
    return render(request, "assistance/tekun_list.html", {
        "page": page, "tab": tab, "today": today, "state": state,
        "states": list(TekunCase.workflow.states.items()), "query": query_without_page(request),
        "reassess_count": selectors.tekun_persons(a, reassess=True).count(),
        "can_apply": a.has(APPLY), "can_manage": a.has(MANAGE)})


@login_required
@require_POST
def tekun_check(request):
    """htmx: the recognition checks for the person and answers typed so far."""
    a = actor(request)
    selectors.apply_areas(a)
    form = forms.TekunCheckForm(request.POST)
    result, error = None, None
    if not form.is_valid():
        error = next(iter(e for errors in form.errors.values() for e in errors),
                     _("Check the figures"))
    else:
        d = form.cleaned_data
        try:
            result = selectors.tekun_recognition_preview(a, id_number=d["id_number"],
                                                         **form.recognition_args(d))
        except (ValidationFailed, NotFound) as exc:
            error = exc.message
    return render(request, "assistance/_tekun_checks.html",
                  {"r": result, "error": error, "rules": _tekun_rules()})


@login_required
def tekun_new(request):
    a = actor(request)
    selectors.apply_areas(a)
    form = forms.TekunForm(request.POST or None)
    context = {"rules": _tekun_rules()}
    if request.method != "POST":
        return render(request, "assistance/tekun_new.html", {**context, "form": form})

    def create(d):
        person = person_in_scope(a, d["id_number"], "id_number")
        return services.tekun_apply(actor=a, person=person, **form.recognition_args(d),
                                    in_school=d["in_school"],
                                    support_mode=d["support_mode"] or "home")

    return submit(request, form, create, success_url=lambda case: page_url("tekun", case.pk),
                  template="assistance/tekun_new.html", context=context)


def _tekun_context(a, case, failed=None) -> dict:
    today = timezone.localdate()

    def form(name):
        if failed and failed[0] == name:
            return failed[1]
        return forms.StepForm(initial={"version": case.version})

    allowed = TekunCase.workflow.allowed(a, case)
    return {"case": case, "r": case.recognition, "clocks": clocks.tekun_clocks(case, today),
            "actions": [(t, form(t.name)) for t in allowed],
            "orphan": orphan(failed, {t.name for t in allowed}),
            "failed": failed[0] if failed else "",
            "events": timeline(case), "person_id": mask(case.person.id_number),
            "support": selectors.tekun_person_for_case(a, case), "today": today,
            "disability": DISABILITY_LABELS.get(case.disability_kind, case.disability_kind)}


@login_required
def tekun_detail(request, pk: int):
    a = actor(request)
    case = selectors.tekun_case_detail(a, pk=pk)
    return render(request, "assistance/tekun_detail.html", _tekun_context(a, case))


@login_required
@require_POST
def tekun_act(request, pk: int, name: str):
    a = actor(request)
    case = selectors.tekun_case_get(a, pk=pk)
    if name not in TekunCase.workflow.transitions:
        raise NotFound()
    form = forms.StepForm(request.POST)
    return submit(request, form, lambda d: services.tekun_step(
        actor=a, case=case, name=name, version=d["version"]),
        success_url=page_url("tekun", case.pk), template="assistance/tekun_detail.html",
        context=_tekun_context(a, case, failed=(name, form)))


TEKUN_PERSON_FORMS = {"adl": forms.AdlForm, "change": forms.ChangeReportForm,
                      "end": forms.SupportEndForm}


def _tekun_person_context(a, tekun, failed=None) -> dict:
    def form(name):
        if failed and failed[0] == name:
            return failed[1]
        return TEKUN_PERSON_FORMS[name](initial={"version": tekun.version})

    active = tekun.state == "active"
    can_apply = active and a.covers(APPLY, tekun.area)
    can_manage = active and a.covers(MANAGE, tekun.area)
    rendered = ({"adl", "change"} if can_apply else set()) | ({"end"} if can_manage else set())
    return {"t": tekun, "orphan": orphan(failed, rendered),
            "person_id": mask(tekun.person.id_number),
            "today": timezone.localdate(), "assessments": selectors.adl_assessments(a, tekun),
            "activities": list(ADL_LABELS.items()), "care_labels": CARE_LABELS,
            "forms": {name: form(name) for name in TEKUN_PERSON_FORMS},
            "failed": failed[0] if failed else "", "events": timeline(tekun),
            "reassess_days": setting("TEKUN_REASSESS_WORKING_DAYS"),
            "can_apply": can_apply, "can_manage": can_manage}


@login_required
def tekun_person(request, pk: int):
    a = actor(request)
    tekun = selectors.tekun_person_get(a, pk=pk)
    return render(request, "assistance/tekun_person.html", _tekun_person_context(a, tekun))


def _tekun_person_post(request, pk: int, name: str, call, message=None):
    a = actor(request)
    tekun = selectors.tekun_person_get(a, pk=pk)
    form = TEKUN_PERSON_FORMS[name](request.POST)
    return submit(request, form, lambda d: call(a, tekun, d),
                  success_url=page_url("tekun_person", tekun.pk),
                  template="assistance/tekun_person.html",
                  context=_tekun_person_context(a, tekun, failed=(name, form)),
                  message=message)


@login_required
@require_POST
def tekun_adl(request, pk: int):
    return _tekun_person_post(request, pk, "adl", lambda a, tekun, d: services.adl_assess(
        actor=a, tekun=tekun, failed=d["failed"], version=d["version"]),
        message=_("Self-care assessment recorded"))


@login_required
@require_POST
def tekun_change(request, pk: int):
    return _tekun_person_post(request, pk, "change", lambda a, tekun, d:
                              services.tekun_change_reported(actor=a, tekun=tekun,
                                                             note=d["note"],
                                                             version=d["version"]))


@login_required
@require_POST
def tekun_end(request, pk: int):
    return _tekun_person_post(request, pk, "end", lambda a, tekun, d:
                              services.tekun_support_end(actor=a, support=tekun,
                                                         reason=d["reason"],
                                                         version=d["version"]))



# ------------------------------------------------------------------ spot checks
def _spot_check_context(request, a, form=None) -> dict:
    today = timezone.localdate()
    last_month = dates.month_start(today) - datetime.timedelta(days=1)
    areas = list(selectors.spot_check_areas(a))
    return {"page": paginate(request, selectors.spot_checks(a)),
            "form": form or forms.SpotCheckForm(areas=areas, initial={
                "start": dates.month_start(last_month), "end": last_month}),
            "can_draw": bool(areas), "share_pct": round(setting("SPOT_CHECK_SHARE") * 100)}


@login_required
def spot_check_list(request):
    a = actor(request)
    return render(request, "assistance/spot_checks.html", _spot_check_context(request, a))


@login_required
@require_POST
def spot_check_create(request):
    a = actor(request)
    form = forms.SpotCheckForm(request.POST, areas=selectors.spot_check_areas(a, strict=True))

    def create(d):
        area = selectors.area_for(a, code=d["area"], permission=MANAGE)
        return services.spot_check_draw(actor=a, area=area, start=d["start"], end=d["end"],
                                        seed=d["seed"])

    return submit(request, form, create, success_url=lambda r: page_url("spot_check", r.pk),
                  template="assistance/spot_checks.html",
                  context=_spot_check_context(request, a, form))


@login_required
def spot_check_detail(request, pk: int):
    a = actor(request)
    record = selectors.spot_check_get(a, pk=pk)
    return render(request, "assistance/spot_check.html", {
        "d": record, "cases": selectors.spot_check_cases(a, record),
        "reproduced": selectors.spot_check_reproduced(a, record),
        "share_pct": round(record.share * 100),
        "drawn_pct": (round(100 * len(record.drawn) / len(record.population), 1)
                      if record.population else 0)})
