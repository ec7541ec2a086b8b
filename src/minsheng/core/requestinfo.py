"""Who sent a request, as far as the platform can trust it.

Behind the recommended reverse proxy every connection comes from the proxy, so the
client's own address is read from `X-Forwarded-For` — but only when the connection comes
from a proxy the district configured (`MINSHENG_TRUSTED_PROXIES`); otherwise anyone could
claim any address. The audit log, rate limits and the login lock-out all use this."""

from __future__ import annotations

import ipaddress
import re
import uuid

from django.conf import settings

# A client's request id is kept only when it is short and plain (it is logged and stored).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _networks():
    return [ipaddress.ip_network(entry, strict=False)
            for entry in getattr(settings, "MINSHENG_TRUSTED_PROXIES", ())]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address: the connection's, or — when the connection comes from a
    trusted proxy — the last address in X-Forwarded-For that is not itself a trusted
    proxy (addresses further left were written by the client and prove nothing)."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks()
    if not remote or not networks or not _trusted(remote, networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed header: fall back to what we know
    return remote


def request_id(request) -> str:
    """The client's X-Request-ID when it is plain and short, else a new one."""
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.match(given) else str(uuid.uuid4())
