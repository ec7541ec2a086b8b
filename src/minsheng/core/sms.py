"""Text messages to a resident's registered phone. A district connects its SMS gateway by
naming a class in `MINSHENG_SMS_GATEWAY` whose instances have `send(phone, text)`; the
demo's gateway prints the message on the server's console, the tests' keeps an outbox."""

from __future__ import annotations

import sys

from django.conf import settings
from django.utils.module_loading import import_string

from minsheng.core.identifiers import mask_phone


class ConsoleGateway:
    """The demo's gateway: the message on the server console, the phone masked."""

    def send(self, phone: str, text: str) -> None:
        print(f"[SMS → {mask_phone(phone)}] {text}", file=sys.stderr, flush=True)


class MemoryGateway:
    """The tests' gateway: messages kept in `outbox` as (phone, text)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def send(phone: str, text: str) -> None:
    import_string(settings.MINSHENG_SMS_GATEWAY)().send(phone, text)
