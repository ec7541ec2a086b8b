"""The JSON API: one NinjaAPI, one error format, routers contributed by the apps."""

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from minsheng.core import services
from minsheng.core.errors import DomainError
from minsheng.core.plugins import declared, load


class SessionAuth(APIKeyCookie):
    """Browser session, with Django's CSRF check for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = services.api_token_use(key=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="minsheng API", version="1", urls_namespace="api",
               # a bearer token is tried first: token clients are not browsers and carry no
               # CSRF token; a browser session keeps Django's CSRF check
               auth=[TokenAuth(), SessionAuth(csrf=True)], docs_url="/docs")


def _error(request, status: int, code: str, message, details=None):
    return api.create_response(request, {"code": code, "message": str(message),
                                         "details": details or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    return _error(request, 422, "validation_failed", "The request is not valid.",
                  {"errors": exc.errors})


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return _error(request, 401, "unauthenticated", "Log in or send a valid API token.")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", exc.message)


for app_config, dotted in declared("api_router"):
    api.add_router(f"/{app_config.label}/", load(dotted))
