"""Enterprise safety profiles: list, profile page, edit, certificates and training."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from minsheng.core.errors import ValidationFailed
from minsheng.core.pages import actor, paginate, query_without_page, submit
from minsheng.safety import forms as F
from minsheng.safety import permissions as P
from minsheng.safety import selectors
from minsheng.safety.services import enterprise as svc
from minsheng.safety.views.common import Later, page_forms


@login_required
def enterprise_list(request):
    a = actor(request)
    filters = F.EnterpriseFilterForm(request.GET or None, actor=a)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.enterprise_search(a, q=f.get("q", "").strip(), risk=f.get("risk", ""),
                                     category=f.get("category", ""))
    return render(request, "safety/enterprise_list.html", {
        "page": paginate(request, qs), "query": query_without_page(request),
        "filters": filters})


def _detail_context(a, pk: int, bound: dict | None = None) -> dict:
    context = selectors.enterprise_profile(a, pk=pk)
    can_edit = a.covers(P.INSPECT, context["enterprise"].area)
    today = timezone.localdate()
    forms = page_forms(F.ENTERPRISE_FORMS if can_edit and context["profile"] else {}, bound,
                       initial={"held_on": today}, actor=a)
    return {**context, "today": today, "can_edit": can_edit, "forms": forms}


@login_required
def enterprise_detail(request, pk: int):
    a = actor(request)
    return render(request, "safety/enterprise_detail.html", _detail_context(a, pk))


def _profile_initial(enterprise, profile) -> dict:
    if profile is None:
        return {"industry_code": enterprise.industry_code, "risk_level": "general"}
    return {"version": profile.version,
            **{name: getattr(profile, name) for name in svc.PROFILE_FIELDS}}


@login_required
def enterprise_edit(request, pk: int):
    a = actor(request)
    enterprise, profile = selectors.profile_edit(a, pk=pk)
    context = {"enterprise": enterprise, "profile": profile}
    if request.method != "POST":
        form = F.ProfileForm(initial=_profile_initial(enterprise, profile), actor=a)
        return render(request, "safety/enterprise_edit.html", {**context, "form": form})
    form = F.ProfileForm(request.POST, actor=a)
    return submit(request, form,
                  lambda d: svc.profile_save(actor=a, enterprise=enterprise, **d),
                  success_url=reverse("safety:enterprise", args=[enterprise.pk]),
                  template="safety/enterprise_edit.html", context=context,
                  message=_("Safety profile saved."))


MESSAGES = {"certificate": gettext_lazy("Certificate added."),
            "training": gettext_lazy("Training record added.")}


@login_required
@require_POST
def enterprise_add(request, pk: int, what: str):
    if what not in F.ENTERPRISE_FORMS:
        raise Http404
    a = actor(request)
    enterprise = selectors.enterprise_get(a, pk=pk)
    form = F.ENTERPRISE_FORMS[what](request.POST, actor=a)

    def call(d):
        profile = selectors.profile_for(a, enterprise)
        if profile is None:
            raise ValidationFailed(_("Save the safety profile first."))
        if what == "certificate":
            return svc.certificate_add(actor=a, profile=profile, **d)
        return svc.training_add(actor=a, profile=profile, **d)

    return submit(request, form, call,
                  success_url=reverse("safety:enterprise", args=[enterprise.pk]),
                  template="safety/enterprise_detail.html",
                  context=Later(lambda: _detail_context(a, pk, {what: form})),
                  message=str(MESSAGES[what]))
