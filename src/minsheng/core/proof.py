"""Proof that whoever fills a public form holds the phone registered for the resident
they name (issue 20, item 1). A one-time code goes to the registered phone; asking for a
code gets the same answer whether or not the resident exists or has a phone, and a wrong
code the same refusal, so the public pages never tell who is registered.

Codes live in the cache for `CODE_MINUTES`, are compared as keyed digests, and a
challenge dies after `MAX_TRIES` wrong codes; requests are rate-limited per client
address and per ID number."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from minsheng.core import ratelimit, sms
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Person

CODE_MINUTES = 10
MAX_TRIES = 5
CODES_PER_ADDRESS_PER_HOUR = 10
CODES_PER_ID_PER_HOUR = 5


def _key(challenge: str) -> str:
    return f"proof:{challenge}"


def _digest(challenge: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{challenge}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def wrong_code() -> ValidationFailed:
    return ValidationFailed(_("The verification code is wrong or has expired. Ask for a new "
                              "code; if none arrives (for example because your registered "
                              "phone has changed), apply at the subdistrict office."),
                            field="code")


def request_code(*, purpose: str, what: str, name: str, id_number: str,
                 client: str) -> str:
    """Send a code to the phone registered for (name, id_number) if there is one, and
    return the challenge that the code answers — a challenge in every case."""
    ratelimit.hit(f"proof:addr:{purpose}:{client}", CODES_PER_ADDRESS_PER_HOUR, 3600)
    ratelimit.hit(f"proof:id:{purpose}:{id_number}", CODES_PER_ID_PER_HOUR, 3600)
    challenge = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**6):06d}"
    person = (Person.objects.filter(id_number=id_number, name=name.strip(), status="living")
              .exclude(phone="").only("pk", "phone").first())
    cache.set(_key(challenge), {
        "purpose": purpose, "person": person.pk if person else None,
        "digest": _digest(challenge, code), "tries": 0,
        "expires": time.time() + CODE_MINUTES * 60}, CODE_MINUTES * 60)
    if person is not None:
        sms.send(person.phone, _("Your verification code for %(what)s is %(code)s, valid for "
                                 "%(minutes)d minutes. Never tell it to anyone, staff "
                                 "included.") % {"what": what, "code": code,
                                                 "minutes": CODE_MINUTES})
    return challenge


def proven_person(*, purpose: str, challenge: str, code: str) -> Person:
    """The resident whose registered phone received `code` for `challenge`; one refusal
    for a wrong, expired, exhausted or never-sent code."""
    entry = cache.get(_key(challenge or "")) if challenge else None
    if not entry or entry["purpose"] != purpose:
        raise wrong_code()
    if not hmac.compare_digest(entry["digest"], _digest(challenge, (code or "").strip())):
        entry["tries"] += 1
        left = entry["expires"] - time.time()
        if entry["tries"] >= MAX_TRIES or left <= 0:
            cache.delete(_key(challenge))
        else:
            cache.set(_key(challenge), entry, left)
        raise wrong_code()
    if entry["person"] is None:  # a lucky guess of a code that was never sent
        raise wrong_code()
    person = Person.objects.filter(pk=entry["person"], status="living").first()
    if person is None:
        raise wrong_code()
    return person


def consume(challenge: str) -> None:
    """A code proves one submission: drop the challenge once the form is accepted."""
    cache.delete(_key(challenge))
