import time

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
