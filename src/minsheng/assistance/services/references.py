"""Case references: a prefix and ten characters that cannot be misread (no 0/O, 1/I)."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(10))
