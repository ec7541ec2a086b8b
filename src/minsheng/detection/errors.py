"""Errors raised by the detection module."""


class DetectionInputError(ValueError):
    """Input that a detector cannot be run on; the message says what is wrong in plain English."""
