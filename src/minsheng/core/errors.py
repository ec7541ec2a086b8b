"""The one domain exception hierarchy. The API handler and the page middleware render it."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, details=None, field: str | None = None):
        self.message = message or self.default_message
        self.details = details if details is not None else ({"field": field} if field else {})
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422


class NotFound(DomainError):
    """Also raised for objects outside the user's scope, so existence does not leak."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409


class StaleVersion(Conflict):
    code = "stale_version"
    default_message = _(
        "Someone else changed this record after you opened it. Reload it and apply your "
        "change again."
    )


class CalendarUnknown(DomainError):
    code = "calendar_unknown"
    status = 409
