import uuid

from django.shortcuts import render

from minsheng.core.audit import request_context
from minsheng.core.errors import DomainError


class RequestContextMiddleware:
    """Give every request an id and remember the client address for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())
        token = request_context.set({"request_id": request.id,
                                     "ip": request.META.get("REMOTE_ADDR")})
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
