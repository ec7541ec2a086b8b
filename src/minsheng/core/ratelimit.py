"""Rate limits for the public pages and endpoints: counts in the cache, per fixed window.
One place for the rule; the client address is the one `requestinfo` trusts (behind the
reverse proxy, the proxy's address would put every resident in one bucket)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from minsheng.core.errors import DomainError
from minsheng.core.requestinfo import client_ip


class TooManyRequests(DomainError):
    code = "rate_limited"
    status = 429


def hit(key: str, limit: int, seconds: int) -> None:
    """Count one request against `key`; refuse past `limit` within the window, saying
    when to try again."""
    now = time.time()
    window = int(now // seconds)
    full = f"rl:{key}:{window}"
    count = 1 if cache.add(full, 1, seconds) else cache.incr(full)
    if count > limit:
        minutes = max(1, round(((window + 1) * seconds - now) / 60))
        raise TooManyRequests(_("Too many requests; please try again in %(minutes)d "
                                "minutes.") % {"minutes": minutes})


def client_key(request) -> str:
    """The bucket name of the request's client."""
    return client_ip(request) or "unknown"
