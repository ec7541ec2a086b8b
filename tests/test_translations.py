"""Chinese first: every message of every app is translated and the compiled catalogue
(.mo, which is what Django reads) matches its source (.po)."""

import ast
import gettext
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "minsheng"
CATALOGUES = sorted(SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def entries(po: Path):
    """(msgid, msgstr, fuzzy, context) for each entry of a .po file, header and obsolete
    skipped."""
    current: dict = {}
    key = None
    fuzzy = False
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid"):
                yield (current["msgid"], current.get("msgstr", current.get("msgstr[0]", "")),
                       fuzzy, current.get("msgctxt"))
            current, key, fuzzy = {}, None, False


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_complete_and_compiled(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"compile it: msgfmt -o {mo} {po}"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    untranslated = [m for m, s, fuzzy, _ in entries(po) if not s or fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"
    stale = [m for m, s, _, context in entries(po)
             if (compiled.pgettext(context, m) if context else compiled.gettext(m)) != s]
    assert not stale, f"{mo} is older than {po}: {stale[:5]}"


def test_every_app_with_templates_has_a_catalogue():
    apps_with_pages = {p.parts[-3] for p in SRC.glob("*/templates/*")}
    with_catalogue = {p.parts[-5] for p in CATALOGUES}
    assert apps_with_pages <= with_catalogue, apps_with_pages - with_catalogue
