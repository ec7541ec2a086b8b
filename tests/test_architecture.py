"""House rules that are easy to break without noticing."""

import re
from pathlib import Path

from django.apps import apps

from minsheng.core.plugins import minsheng_apps

SRC = Path(__file__).resolve().parents[1] / "src" / "minsheng"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "registries.md"
THIN = ("views.py", "api.py")


def thin_modules():
    for path in SRC.rglob("*.py"):
        if path.name in THIN or path.parent.name in {"views", "api"}:
            yield path


def test_views_and_endpoints_read_through_selectors():
    """Nothing in a view or endpoint calls Model.objects: reads go through selectors,
    which apply the user's scope."""
    offenders = []
    for path in thin_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\b[A-Z]\w*\.objects\b", line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_every_plugin_and_source_is_documented():
    from minsheng.core.facts import FACTS
    from minsheng.indicators.registry import SOURCES

    text = DOCS.read_text(encoding="utf-8")
    missing = [code for code in SOURCES if f"| {code} |" not in text]
    missing += [f"fact {name}" for name in FACTS if f"| fact | {name} |" not in text]
    for app in minsheng_apps():
        for attribute in ("urls", "api_router", "cli"):
            if getattr(app, attribute) and f"| {attribute} | {app.label} |" not in text:
                missing.append(f"{attribute} of {app.label}")
    assert not missing, f"add these to docs/registries.md: {missing}"


def test_no_module_named_utils():
    assert not [p for p in SRC.rglob("utils.py")]


def test_every_app_has_its_config_class_installed():
    for config in apps.get_app_configs():
        if config.name.startswith("minsheng."):
            assert type(config).__name__ != "AppConfig", config.name


def test_models_and_migrations_agree(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        raise AssertionError(f"models changed without a migration:\n{out.getvalue()}") from None
