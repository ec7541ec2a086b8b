"""Module settings: a district's value from `settings.MINSHENG_<MODULE>`, else the
national default from the module's `defaults.py` (which names the source of each number).
One lookup for every module; each module binds it once in its `config.py`."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from django.conf import settings


def module_settings(module: str, defaults: ModuleType) -> Callable[[str], object]:
    """`setting(name)` for one module: `module_settings("assistance", defaults)` reads
    `settings.MINSHENG_ASSISTANCE[name]`, falling back to `defaults.<name>`.

    An unknown name is an error (a typo must not silently read None)."""
    key = f"MINSHENG_{module.upper()}"

    def setting(name: str):
        overrides = getattr(settings, key, {}) or {}
        if name in overrides:
            return overrides[name]
        try:
            return getattr(defaults, name)
        except AttributeError:
            raise KeyError(f"{key} has no setting {name!r}") from None

    setting.__doc__ = f"A district's value from settings.{key}, else the national default."
    return setting
