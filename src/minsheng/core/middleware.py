import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.core.audit import request_context
from minsheng.core.errors import DomainError
from minsheng.core.requestinfo import client_ip, request_id


class RequestContextMiddleware:
    """Give every request an id and remember the client address for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request)
        token = request_context.set({"request_id": request.id, "ip": client_ip(request)})
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request.id
        return response


class DomainErrorMiddleware:
    """Render domain errors raised by page views: a fragment for htmx, a page otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        template = ("core/partials/error.html" if getattr(request, "htmx", False)
                    else "core/error.html")
        response = render(request, template, {"error": exception}, status=exception.status)
        if getattr(request, "htmx", False):
            # show the message in place even though the status is an error
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
        return response


class IdleSessionMiddleware:
    """Log a staff session out after `MINSHENG_SESSION_IDLE_MINUTES` without a request
    (MLPS level 3: idle timeout). The absolute lifetime is SESSION_COOKIE_AGE. The last
    activity is written at most once a minute, not on every request."""

    KEY = "minsheng_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def started(cls, sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __call__(self, request):
        user = getattr(request, "user", None)
        idle = getattr(settings, "MINSHENG_SESSION_IDLE_MINUTES", 30) * 60
        if idle and user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY, now)
            if now - last > idle:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"code": "unauthenticated",
                                         "message": str(_("Your session ended after a "
                                                          "period without activity.")),
                                         "details": {}}, status=401)
                messages.info(request, _("Your session ended after a period without "
                                         "activity. Please log in again."))
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - last >= 60 or self.KEY not in request.session:
                request.session[self.KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Hold staff who must use a second factor (`core.access.needs_second_factor`) at the
    verify page until this session has confirmed a one-time code (after django-otp's
    OTPMiddleware, which tells whether it has). Pages redirect to the verify page (or the
    enrol page when the user has no device yet); API requests on a session get a 403 JSON
    error. Bearer-token requests are not sessions and pass (the token is the credential).
    Off when MINSHENG_REQUIRE_SECOND_FACTOR is False."""

    OPEN = ("/account/2fa/", "/login/", "/logout/", "/static/", "/i18n/", "/healthz",
            "/readyz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "MINSHENG_REQUIRE_SECOND_FACTOR", True) and self.held(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "second_factor_required",
                                     "message": str(_("Confirm your one-time code (second "
                                                      "factor) on the web page first.")),
                                     "details": {}}, status=403)
            from minsheng.core.services.second_factor import confirmed_device

            name = ("second_factor_verify" if confirmed_device(request.user) is not None
                    else "second_factor_enrol")
            return redirect(f"{reverse(name)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    def held(self, request) -> bool:
        from minsheng.core.access import actor_for, needs_second_factor

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.OPEN):
            return False
        authorization = request.headers.get("Authorization", "")
        if request.path.startswith("/api/") and authorization.lower().startswith("bearer "):
            from minsheng.core.selectors import api_token_valid

            # a valid token authenticates the request, not the session; an invalid one
            # would fall back to the session, which is then held like any other
            if api_token_valid(authorization[7:].strip()):
                return False
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return False
        return needs_second_factor(actor_for(user))
