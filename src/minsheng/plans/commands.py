"""`minsheng plans ...`: import a plan, review targets, export the task breakdown."""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Plan monitoring: import, review, export", no_args_is_help=True)


@app.command("import")
def import_plan(file: Path,
                as_json: bool = typer.Option(False, "--json",
                                             help="print what the importer reads, as JSON, "
                                                  "without storing anything"),
                dry_run: bool = typer.Option(False, "--dry-run", help="parse only")) -> None:
    """Read a plan (.txt, .docx, text-layer .pdf) and store it as a draft for review."""
    from minsheng.core.errors import ValidationFailed
    from minsheng.plans import services, textparse

    try:
        parsed = services.read_plan(file)
    except ValidationFailed as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        data = textparse.to_json(parsed)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{len(parsed.walk())} items, {len(parsed.targets)} targets, "
               f"{len(parsed.skipped)} line(s) skipped")
    for s in parsed.skipped:
        typer.echo(f"  skipped line {s.line}: {s.reason}: {s.text[:60]}")
    for t in parsed.targets:
        flag = " [needs review: " + "; ".join(t.review_reasons) + "]" if t.needs_review else ""
        value = f"{t.value:g}" if t.value is not None else "?"
        if t.value_high is not None:
            value += f"–{t.value_high:g}"
        extra = "".join([f" ({t.periodicity})" if t.periodicity else "",
                         f" per {t.per} {t.per_population}" if t.per else "",
                         f" from the {t.base_year} level" if t.base_year else ""])
        typer.echo(f"  target {t.item_number}: {t.indicator} {t.comparator or '?'} "
                   f"{value}{t.unit or ''}{extra}{flag}")
    for item in parsed.walk():
        if item.lead_units or item.deadline_text:
            typer.echo(f"  task {item.path}: lead {'、'.join(item.lead_units) or '?'}"
                       + (f", with {'、'.join(item.co_units)}" if item.co_units else "")
                       + f", due {item.deadline or item.deadline_text or '?'}")
    if dry_run:
        return
    from minsheng.core.access import system_actor

    plan = services.plan_import(actor=system_actor(), path=file)
    typer.echo(f"stored draft plan #{plan.pk} “{plan.title}”: "
               f"review it at /plans/{plan.pk}/review/")


@app.command()
def review(as_of: str = typer.Option("", help="assess with data up to YYYY-MM-DD")) -> None:
    """Assess every target, open supervision items for at-risk/off-track ones, escalate."""
    import datetime

    from minsheng.core.access import system_actor
    from minsheng.plans import services

    day = datetime.date.fromisoformat(as_of) if as_of else None
    counts = services.targets_review(actor=system_actor(), as_of=day)
    typer.echo(json.dumps(counts))


@app.command()
def compute(start: str = typer.Argument(..., help="YYYY-MM-DD"),
            end: str = typer.Argument(..., help="YYYY-MM-DD")) -> None:
    """Compute every registered indicator source for a period range and store the values."""
    import datetime

    from minsheng.core.access import system_actor
    from minsheng.indicators.services import values_compute

    report = values_compute(actor=system_actor(), start=datetime.date.fromisoformat(start),
                            end=datetime.date.fromisoformat(end))
    for code, counts in report.computed.items():
        typer.echo(f"{code}: {counts}")
    for code, error in report.errors.items():
        typer.echo(f"error {code}: {error}", err=True)


@app.command()
def export(file: Path,
           plan: int = typer.Option(0, help="plan id (default: the active one)")) -> None:
    """Write the task breakdown table (任务分解表) to an xlsx file."""
    from minsheng.core.access import system_actor
    from minsheng.plans import exports, selectors

    actor = system_actor()
    the_plan = selectors.plan_get(actor, pk=plan) if plan else selectors.plan_current(actor)
    if the_plan is None:
        typer.echo("no plan", err=True)
        raise typer.Exit(1)
    with open(file, "wb") as fh:
        exports.task_breakdown_xlsx(actor, the_plan, fh)
    typer.echo(f"wrote {file}")
