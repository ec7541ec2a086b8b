"""One write path: records change only in services (and migrations).

An AST scan of the source fails on `.save(`, `.delete(`, `.create(`, `get_or_create(`,
`update_or_create(`, `bulk_create(`, `bulk_update(` and on a queryset's `.update(` anywhere
else. The allow-list below is short and says why each entry may write."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "minsheng"

ALWAYS = {"save", "delete", "create", "get_or_create", "update_or_create", "bulk_create",
          "bulk_update"}
# `.update(` is a write only on a queryset (dicts and sets have one too)
QUERYSET_STARTS = {"objects", "_default_manager", "filter", "exclude", "all",
                   "select_for_update", "select_related", "only"}

ALLOWED = {
    # the engines' own write paths, called by services inside their transactions
    "core/audit.py": "appends the audit row of the change being made",
    "core/concurrency.py": "the one versioned conditional UPDATE",
    "casework/workflow.py": "the workflow engine: state change, timeline event, audit row",
    # rows that are not records of anyone's decision
    "core/jobs.py": "task progress rows shown while a background job runs",
    "core/bulkload.py": "the raw bulk loader that audited imports call",
    "safety/ingest.py": "IoT telemetry rows stored in batches (alarms go through services)",
    "core/spreadsheets.py": "saves an openpyxl workbook, not a record",
    "core/proof.py": "drops one-time codes from the cache, not records",
    # demo builders write synthetic data set-based; no person acts
    "demo/build.py": "the demo district (synthetic data)",
}


def _is_demo(rel: str) -> bool:
    return rel.endswith("/demo.py") or "/demo/" in rel


def _allowed(path: Path) -> bool:
    rel = path.relative_to(SRC).as_posix()
    parts = path.relative_to(SRC).parts
    return ("migrations" in parts or path.name == "services.py" or "services" in parts[:-1]
            or rel in ALLOWED or _is_demo(rel))


def _chain_names(node) -> list[str]:
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            return names


def writes(tree) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        receiver = node.func.value
        if isinstance(receiver, ast.Call) and getattr(receiver.func, "id", "") == "super":
            continue  # a model's own save()/delete() extending Django's
        if name in ALWAYS or (name == "update"
                              and QUERYSET_STARTS & set(_chain_names(node.func.value))):
            found.append((node.lineno, name))
    return found


def test_records_are_written_only_by_services():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if _allowed(path):
            continue
        for line, name in writes(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(SRC)}:{line}: .{name}(")
    assert not offenders, "writes outside services:\n" + "\n".join(offenders)


def test_allow_list_names_existing_files():
    assert all((SRC / rel).exists() for rel in ALLOWED)
