"""Petition pages: the worklist (with xlsx export), registration, the case page with its
clocks and the moves open to the user, and the public pages (submit online, follow the
case, rate the reply). Thin: parse with a form, call a service or selector, render."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.core.access import R
from minsheng.core.errors import NotFound, ValidationFailed
from minsheng.core.pages import actor, attach_error, paginate, query_without_page, submit
from minsheng.core.ratelimit import client_key, hit
from minsheng.petitions import forms as F
from minsheng.petitions import permissions as P
from minsheng.petitions import selectors, services
from minsheng.petitions.clocks import petition_clocks
from minsheng.petitions.config import setting
from minsheng.petitions.models import Petition
from minsheng.petitions.services import RATED_STATES


class Later(Mapping):
    """A page context built only if a refused form is shown again (a success redirects
    and never pays for it, nor writes the detail page's read to the audit log)."""

    def __init__(self, build: Callable[[], dict]):
        self._build, self._data = build, None

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


@login_required
def petition_list(request):
    a = actor(request)
    today = timezone.localdate()
    filters = F.PetitionFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    department = None
    if f.get("department"):
        department = selectors.department_list(a).filter(pk=f["department"]).first()
    qs = selectors.petition_list(a, state=f.get("state", ""), overdue=bool(f.get("overdue")),
                                 department=department, q=f.get("q", ""),
                                 repeats=bool(f.get("repeats")), channel=f.get("channel", ""),
                                 today=today)
    if request.GET.get("format") == "xlsx":
        return _xlsx(a, qs)
    return render(request, "petitions/list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "filters": filters, "counts": selectors.petition_counts(a, today=today),
        "departments": selectors.department_list(a), "today": today,
        "can_register": a.has(P.REGISTER), "can_export": a.has(P.EXPORT)})


def _xlsx(a, qs):
    from minsheng.core.spreadsheets import write_xlsx

    rows = selectors.petition_export(a, qs)
    buffer = io.BytesIO()
    write_xlsx(buffer, [("信访事项", selectors.EXPORT_HEADER, rows)])
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-"
                            "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="petitions.xlsx"'
    return response


def _new_context(a) -> dict:
    return {"areas": selectors.area_choices(a), "departments": selectors.department_list(a)}


def _register(a, data: dict) -> Petition:
    data = dict(data)
    data["area"] = selectors.area_get(a, pk=data["area"])
    dept = data.pop("department")
    data["department"] = selectors.department_get(a, pk=dept) if dept else None
    return services.petition_register(actor=a, **data)


@login_required
def petition_new(request):
    a = actor(request)
    ctx = _new_context(a)
    if request.method != "POST":
        if not a.has(P.REGISTER):
            raise Http404
        form = F.PetitionForm(areas=ctx["areas"], departments=ctx["departments"],
                              initial={"received_on": timezone.localdate(), "channel": "visit",
                                       "joint_count": 1})
        return render(request, "petitions/new.html", {**ctx, "form": form})
    form = F.PetitionForm(request.POST, areas=ctx["areas"], departments=ctx["departments"])
    return submit(request, form, lambda d: _register(a, d),
                  success_url=lambda p: reverse("petitions:detail", args=[p.pk]),
                  template="petitions/new.html", context=ctx,
                  message=_("Petition registered."))


def _can_reply(a, p: Petition) -> bool:
    return (p.department_id is None or R.SYSTEM_ADMIN in a.roles
            or a.department_code == p.department.department_code)


def _detail_context(a, pk: int, bound: dict | None = None, revealed: dict | None = None):
    ctx = selectors.petition_detail(a, pk=pk)
    p = ctx["p"]
    names = [t.name for t in Petition.workflow.allowed(a, p)]
    if "reply" in names and not _can_reply(a, p):
        names.remove("reply")
    if p.state in ("registered", "accepted") and a.covers(P.ACCEPT, p.area):
        names.insert(0, "assign")
    if p.state in RATED_STATES and a.covers(P.HANDLE, p.area):
        names.append("rate")
    me = getattr(a.user, "pk", None)
    if me in (p.recused or []):
        names = []  # stepped aside: nothing to decide here any more
    elif p.closed_at is None and names:
        names.append("recuse")
    bound = bound or {}
    initial = {"version": p.version, "department": p.department_id,
               "satisfaction": p.satisfaction or None}
    forms = [(n, bound.get(n) or F.ACTION_FORMS[n](initial=initial)) for n in names]
    return {**ctx, "forms": forms, "clocks": petition_clocks(p),
            "departments": selectors.department_list(a), "revealed": revealed or {},
            "can_reveal": a.covers("core.reveal_personal", p.area),
            "can_see_person": p.petitioner_id is not None and a.covers(
                "core.view_registry", p.petitioner.residence_area),
            "today": timezone.localdate(), "recused": me in (p.recused or [])}


@login_required
def petition_detail(request, pk: int):
    return render(request, "petitions/detail.html", _detail_context(actor(request), pk))


def _call(a, p: Petition, action: str) -> Callable[[dict], object]:
    def dept(d):
        return selectors.department_get(a, pk=d["department"]) if d.get("department") else None

    return {
        "assign": lambda d: services.petition_assign(
            actor=a, petition=p, version=d["version"], department=dept(d), note=d["note"]),
        "accept": lambda d: services.petition_accept(
            actor=a, petition=p, version=d["version"], note=d["note"], department=dept(d)),
        "decline": lambda d: services.petition_decline(actor=a, petition=p, **d),
        "extend": lambda d: services.petition_extend(actor=a, petition=p, **d),
        "reply": lambda d: services.petition_reply(actor=a, petition=p, **d),
        "request_review": lambda d: services.petition_request_review(actor=a, petition=p,
                                                                     **d),
        "decide_review": lambda d: services.petition_decide_review(actor=a, petition=p, **d),
        "request_re_review": lambda d: services.petition_request_re_review(
            actor=a, petition=p, **d),
        "decide_re_review": lambda d: services.petition_decide_re_review(
            actor=a, petition=p, **d),
        "conclude": lambda d: services.petition_conclude(actor=a, petition=p, **d),
        "rate": lambda d: services.petition_rate(actor=a, petition=p, **d),
        "recuse": lambda d: services.petition_recuse(actor=a, petition=p, **d),
    }[action]


MESSAGES = {"assign": gettext_lazy("Transferred."), "accept": gettext_lazy("Accepted."),
            "decline": gettext_lazy("Recorded as not accepted."),
            "extend": gettext_lazy("Time limit extended."),
            "reply": gettext_lazy("Reply recorded."),
            "request_review": gettext_lazy("Review request registered."),
            "decide_review": gettext_lazy("Review opinion recorded."),
            "request_re_review": gettext_lazy("Re-review request registered."),
            "decide_re_review": gettext_lazy("Re-review opinion recorded."),
            "conclude": gettext_lazy("Petition concluded."),
            "rate": gettext_lazy("Satisfaction recorded."),
            "recuse": gettext_lazy("You stepped aside from this petition.")}


@login_required
@require_POST
def petition_action(request, pk: int, action: str):
    if action not in F.ACTION_FORMS:
        raise Http404
    a = actor(request)
    p = selectors.petition_get(a, pk=pk)
    form = F.ACTION_FORMS[action](request.POST)
    return submit(request, form, _call(a, p, action),
                  success_url=reverse("petitions:detail", args=[pk]),
                  template="petitions/detail.html",
                  context=Later(lambda: _detail_context(a, pk, {action: form})),
                  message=str(MESSAGES[action]))


@login_required
@require_POST
def petition_reveal(request, pk: int):
    a = actor(request)
    p = selectors.petition_get(a, pk=pk)
    form = F.RevealForm(request.POST)
    if not form.is_valid():
        raise Http404
    field = form.cleaned_data["field"]
    value = services.petition_reveal(actor=a, petition=p, field=field)
    return render(request, "petitions/detail.html",
                  _detail_context(a, pk, revealed={field: value}))


# ------------------------------------------------------------------ public pages
def public_submit(request):
    areas = selectors.public_areas()
    form = F.PublicPetitionForm(request.POST or None, areas=areas)
    if request.method != "POST":
        return render(request, "petitions/public_submit.html", {"form": form})
    hit(f"petitions:submit:{client_key(request)}", setting("PUBLIC_SUBMISSIONS_PER_HOUR"), 3600)

    def send(d):
        d = {k: v for k, v in d.items() if k != "agree"}
        d["area"] = selectors.public_area_get(d["area"])
        petition = services.petition_register(actor=request.user, channel="online", **d)
        request.session["petition_submitted"] = petition.reference
        return petition

    return submit(request, form, send, success_url=reverse("petitions:public_submitted"),
                  template="petitions/public_submit.html")


def public_submitted(request):
    reference = request.session.get("petition_submitted")
    if not reference:
        return redirect("petitions:public_submit")
    return render(request, "petitions/public_submitted.html", {"reference": reference})


def public_status(request):
    """The petitioner's own case: reference and ID number posted (never in a URL)."""
    status, code = None, 200
    rate = request.method == "POST" and "satisfaction" in request.POST
    form = (F.PublicRateForm if rate else F.PublicStatusForm)(request.POST or None)
    if request.method == "POST":
        hit(f"petitions:status:{client_key(request)}",
            setting("PUBLIC_STATUS_LOOKUPS_PER_HOUR"), 3600)
        if form.is_valid():
            d = form.cleaned_data
            try:
                petition = selectors.public_petition(reference=d["reference"],
                                                     id_number=d["id_number"])
            except NotFound:
                form.add_error(None, _("No petition with this reference and ID number."))
                code = 404
            else:
                if rate:
                    try:
                        petition = services.petition_rate_public(
                            actor=request.user, reference=d["reference"],
                            id_number=d["id_number"], satisfaction=d["satisfaction"])
                    except ValidationFailed as error:
                        attach_error(form, error)
                        code = 422
                status = selectors.public_status(petition)
        else:
            code = 422
    return render(request, "petitions/public_status.html",
                  {"form": form, "status": status,
                   "rate_choices": Petition.Satisfaction.choices[1:]}, status=code)
