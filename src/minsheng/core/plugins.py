"""Reads what each minsheng app declares on its AppConfig (see MinshengAppConfig)."""

from django.apps import apps
from django.utils.module_loading import import_string

from minsheng.core.apps import MinshengAppConfig


def minsheng_apps() -> list[MinshengAppConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, MinshengAppConfig)]


def declared(attribute: str) -> list[tuple[MinshengAppConfig, str]]:
    return [(c, getattr(c, attribute)) for c in minsheng_apps() if getattr(c, attribute)]


def load(dotted: str):
    return import_string(dotted)
