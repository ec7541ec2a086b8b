"""Errors raised by the linkage engine."""


class LinkageInputError(ValueError):
    """A table the engine cannot link; the message says what is wrong in plain English."""


class LinkageTooLargeError(ValueError):
    """Blocking would produce more candidate pairs than the caller allowed (max_pairs)."""


class UnsupportedBackendError(ValueError):
    """A backend other than the ones implemented was asked for."""
