"""What every page view shares: the actor of a request, the end of a successful form, and
a refusal shown in place with the user's input kept.

A page view parses its input with a Django form, calls a service and renders; the
services raise `core.errors` exceptions, which `submit()` (forms) or the page middleware
(everything else) turn into a message where the user is."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from minsheng.core.access import Actor, actor_for
from minsheng.core.errors import DomainError, NotFound, PermissionDenied
from minsheng.core.pagination import paginate, query_without_page  # noqa: F401  (re-export)


def actor(request) -> Actor:
    return actor_for(request.user)


def done(request, url: str, message: str | None = None):
    """After a successful form: a confirmation message, then htmx follows HX-Redirect and
    a plain form gets a redirect (so a reload never posts twice)."""
    if message:
        messages.success(request, message)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def attach_error(form, error: DomainError) -> None:
    """Put a service's refusal on the form: on its field when the error names one the
    form has, otherwise above the form."""
    field = (error.details or {}).get("field") if isinstance(error.details, dict) else None
    form.add_error(field if field in form.fields else None, str(error.message))


def refused(request, form, template: str, context: dict | None = None, status: int = 422):
    """Show the form's errors where the user is, input kept: for htmx, the messages go to
    `#messages` (the page and what was typed stay); otherwise the page is rendered again
    with the bound form."""
    if getattr(request, "htmx", False):
        response = render(request, "core/partials/form_errors.html", {"form": form},
                          status=status)
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, template, {**(context or {}), "form": form}, status=status)


def submit(request, form, action: Callable[[dict], object], *,
           success_url: str | Callable[[object], str], template: str,
           context: dict | None = None, message: str | None = None):
    """The whole POST of a page form: validate, call the service with the cleaned data,
    then go on, or show the refusal in place. Not-found and permission errors are not
    form errors: they propagate to the page middleware."""
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            attach_error(form, error)
        else:
            url = success_url(result) if callable(success_url) else success_url
            return done(request, url, message)
    return refused(request, form, template, context)
