"""Account security pages: the second factor (enrol, verify) and role change requests.
Thin: a form parses, a service in `core.services` writes and audits."""

from __future__ import annotations

import base64

import segno
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from minsheng.core import selectors
from minsheng.core.access import needs_second_factor, require
from minsheng.core.account_forms import (
    DecisionForm,
    OneTimeCodeForm,
    RoleChangeForm,
    SecondFactorResetForm,
)
from minsheng.core.errors import DomainError
from minsheng.core.pages import actor, attach_error, done, paginate, refused, submit
from minsheng.core.services import roles as role_services
from minsheng.core.services import second_factor as factor_services


def _next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return reverse("home")


def _verified(request) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request):
    """Show a new device's QR code and secret; a code from the app confirms it."""
    a = actor(request)
    device = factor_services.second_factor_enrol_start(actor=a, verified=_verified(request))
    form = OneTimeCodeForm(request.POST or None,
                           initial={"next": request.GET.get("next", "")})
    context = {"qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
               "secret": base64.b32encode(device.bin_key).decode(),
               "required": needs_second_factor(a)}
    if request.method == "POST":
        if form.is_valid():
            try:
                device = factor_services.second_factor_enrol_confirm(
                    actor=a, token=form.cleaned_data["token"], verified=_verified(request))
            except DomainError as error:
                attach_error(form, error)
            else:
                otp_login(request, device)
                return done(request, _next(request, form.cleaned_data["next"]),
                            _("Second factor enrolled. Keep the app on your phone."))
        return refused(request, form, "core/second_factor_enrol.html", context)
    return render(request, "core/second_factor_enrol.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    """After the password: the code the app shows now."""
    a = actor(request)
    form = OneTimeCodeForm(request.POST or None,
                           initial={"next": request.GET.get("next", "")})
    if request.method == "POST":
        if form.is_valid():
            try:
                device = factor_services.second_factor_verify(
                    actor=a, token=form.cleaned_data["token"])
            except DomainError as error:
                attach_error(form, error)
            else:
                otp_login(request, device)
                return done(request, _next(request, form.cleaned_data["next"]))
        return refused(request, form, "core/second_factor_verify.html")
    return render(request, "core/second_factor_verify.html", {"form": form})


def _role_context(request, a) -> dict:
    return {"pending": selectors.role_change_list(a, pending=True),
            "decided": paginate(request, selectors.role_change_list(a, pending=False)),
            "can_request": a.has("core.request_role_change"),
            "can_decide": a.has("core.decide_role_change"),
            "decision_form": DecisionForm()}


@login_required
@require_http_methods(["GET", "POST"])
def role_changes(request):
    """Role change requests: ask for one (system administrators), decide one (security
    administrators), read them (auditors)."""
    a = actor(request)
    form = RoleChangeForm(request.POST or None, actor=a)
    if request.method == "POST":
        return submit(request, form, lambda d: role_services.role_change_request(
            actor=a, user=d["username"], role=d["role"], area=d["area"], kind=d["kind"],
            reason=d["reason"]), success_url=reverse("role_changes"),
            template="core/role_changes.html", context=_role_context(request, a),
            message=_("Request filed: a security administrator decides it."))
    return render(request, "core/role_changes.html", {**_role_context(request, a),
                                                      "form": form})


@login_required
@require_POST
def role_change_decide(request, pk: int, decision: str):
    a = actor(request)
    change = selectors.role_change_get(a, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return refused(request, form, "core/role_changes.html", _role_context(request, a))
    decide = (role_services.role_change_approve if decision == "approve"
              else role_services.role_change_reject)
    decide(actor=a, change=change, note=form.cleaned_data["note"])
    return done(request, reverse("role_changes"),
                _("Request approved.") if decision == "approve" else _("Request rejected."))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_reset(request):
    """A security administrator removes a user's second factor (a lost phone); the user
    enrols again at the next login."""
    a = actor(request)
    require(a, "core.reset_second_factor")
    form = SecondFactorResetForm(request.POST or None, actor=a)
    if request.method == "POST":
        return submit(request, form, lambda d: factor_services.second_factor_reset(
            actor=a, user=d["username"]), success_url=reverse("second_factor_reset"),
            template="core/second_factor_reset.html",
            message=_("Second factor removed: the user enrols again at the next login."))
    return render(request, "core/second_factor_reset.html", {"form": form})
