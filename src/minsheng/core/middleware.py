from django.shortcuts import render

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
