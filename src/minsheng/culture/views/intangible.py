"""Intangible heritage pages: items, an item with its inheritors (nominate, notice,
recognise, evaluate, revoke)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.errors import PermissionDenied
from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.culture import forms as F
from minsheng.culture import permissions as P
from minsheng.culture import selectors
from minsheng.culture.services import intangible as svc


@login_required
def item_list(request):
    a = actor(request)
    filters = F.ItemFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.item_list(a, q=f.get("q", "").strip(), category=f.get("category", ""))
    return render(request, "culture/item_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "filters": filters, "can_add": a.has(P.INTANGIBLE)})


@login_required
def item_new(request):
    a = actor(request)
    if not a.has(P.INTANGIBLE):
        raise PermissionDenied()
    areas = selectors.areas_for(a, P.INTANGIBLE)
    if request.method != "POST":
        return render(request, "culture/item_form.html", {"form": F.ItemForm(areas=areas)})
    form = F.ItemForm(request.POST, areas=areas)
    return submit(request, form, lambda d: svc.item_create(
        actor=a, code=d["code"], name=d["name"], category=d["category"], level=d["level"],
        area=selectors.area_for(a, P.INTANGIBLE, code=d["area"]),
        protection_unit=d["protection_unit"], listed_on=d["listed_on"],
        description=d.get("description", "")),
        success_url=lambda i: reverse("culture:item", args=[i.pk]),
        template="culture/item_form.html", message=_("Item registered."))


def _item_context(a, item, **forms) -> dict:
    people = selectors.item_inheritors(a, item)
    today = timezone.localdate()
    for person in people:
        person.moves = person.workflow.allowed(a, person)
        person.act_form = F.InheritorActForm(initial={"version": person.version})
        clock = svc.notice_clock(person)
        person.notice_summary = clock.summary(today) if clock and person.state == "notice" \
            else ""
    return {"item": item, "people": people, "can_manage": a.covers(P.INTANGIBLE, item.area),
            "nominate_form": forms.get("nominate_form") or F.NominateForm(),
            "evaluation_form": forms.get("evaluation_form") or F.EvaluationForm(
                initial={"year": today.year - 1}),
            "failed_form": forms.get("failed_form"), "failed_pk": forms.get("failed_pk")}


@login_required
def item_detail(request, pk: int):
    a = actor(request)
    return render(request, "culture/item_detail.html",
                  _item_context(a, selectors.item_get(a, pk=pk)))


@login_required
@require_POST
def nominate(request, pk: int):
    a = actor(request)
    item = selectors.item_get(a, pk=pk)
    form = F.NominateForm(request.POST)
    return submit(request, form, lambda d: svc.inheritor_nominate(
        actor=a, item=item, name=d["name"], id_number=d["id_number"],
        subsidy=d.get("subsidy") or 0),
        success_url=reverse("culture:item", args=[item.pk]),
        template="culture/item_detail.html",
        context=_item_context(a, item, nominate_form=form) | {"nominate_form": form},
        message=_("Nomination recorded."))


@login_required
@require_POST
def inheritor_act(request, pk: int):
    a = actor(request)
    person = selectors.inheritor_get(a, pk=pk)
    form = F.InheritorActForm(request.POST)
    return submit(request, form, lambda d: svc.inheritor_act(
        actor=a, person=person, version=d["version"], action=d["action"],
        reason=d.get("reason", "")),
        success_url=reverse("culture:item", args=[person.item_id]),
        template="culture/item_detail.html",
        context=_item_context(a, person.item, failed_form=form, failed_pk=person.pk),
        message=_("Saved."))


@login_required
@require_POST
def evaluate(request, pk: int):
    a = actor(request)
    person = selectors.inheritor_get(a, pk=pk)
    form = F.EvaluationForm(request.POST)
    return submit(request, form, lambda d: svc.evaluation_record(
        actor=a, person=person, year=d["year"], apprentices=d["apprentices"],
        shows=d["shows"], grade=d["grade"], note=d.get("note", "")),
        success_url=reverse("culture:item", args=[person.item_id]),
        template="culture/item_detail.html",
        context=_item_context(a, person.item, evaluation_form=form) | {
            "evaluation_form": form, "failed_pk": person.pk},
        message=_("Evaluation recorded."))
