"""Abuse resistance for the public pages without a CAPTCHA: per-IP and per-employer rate
limits in the cache, a honeypot field, a signed form token that must be at least a few
seconds old (bots post instantly), a valid and registered credit code, and review before
anything is published."""

from __future__ import annotations

import time

from django.core import signing
from django.utils.translation import gettext as _

from minsheng.core import ratelimit
from minsheng.core.errors import ValidationFailed
from minsheng.employment.config import setting

SALT = "employment.public.form"


def client_ip(request) -> str:
    return ratelimit.client_key(request)


def hit(key: str, limit: int, seconds: int) -> None:
    """Count one request against `key`; refuse past `limit` within the window."""
    ratelimit.hit(f"employment:{key}", limit, seconds)


def form_token() -> str:
    return signing.dumps({"t": time.time()}, salt=SALT)


def check_form(token: str, honeypot: str) -> None:
    if honeypot:
        raise ValidationFailed(_("The form could not be accepted."))
    try:
        data = signing.loads(token or "", salt=SALT, max_age=3600)
    except signing.BadSignature:
        raise ValidationFailed(_("The form has expired; reload the page.")) from None
    if time.time() - float(data.get("t", 0)) < setting("PUBLIC_SUBMIT_MIN_SECONDS"):
        raise ValidationFailed(_("The form was sent too quickly; please check it and send "
                                 "it again."))
