"""`minsheng education ...`: the registry comparison, roll import and the daily sweep."""

from __future__ import annotations

import datetime

import typer

app = typer.Typer(help="Education: school rolls and dropout control (控辍保学).",
                  no_args_is_help=True)


def _setup():
    from minsheng.core.access import system_actor
    from minsheng.core.console import console

    return system_actor(), console


@app.command("match-rolls")
def match_rolls(area: str = typer.Option("", help="area code (default: the district)"),
                on: str = typer.Option("", help="as of YYYY-MM-DD (default: today)")):
    """Compare the registry's compulsory-age children with the rolls; open cases."""
    from minsheng.core.selectors import area_list, area_lookup
    from minsheng.education.services.dropout import rolls_match

    actor, console = _setup()
    where = area_lookup(area) if area else area_list(actor, level="district").first()
    if where is None:
        console.print(f"[red]unknown area {area or '(no district)'}")
        raise typer.Exit(1)
    try:
        day = datetime.date.fromisoformat(on) if on else None
    except ValueError:
        console.print("[red]--on must be YYYY-MM-DD")
        raise typer.Exit(2) from None
    run = rolls_match(actor=actor, area=where, on=day)
    console.print(f"{where.name}: {run.children} children, {run.roll_entries} roll entries; "
                  f"{run.exact} by ID, {run.probable} probable, {run.unmatched} not found; "
                  f"{run.opened} case(s) opened in {run.seconds} s")


@app.command("import-roll")
def import_roll(school_id: int, path: str):
    """Import a school's roll (xlsx/csv); every bad row is listed, nothing half-imported."""
    from minsheng.core.errors import NotFound, ValidationFailed
    from minsheng.education.selectors import school_get
    from minsheng.education.services.rolls import roll_import

    actor, console = _setup()
    try:
        school = school_get(actor, pk=school_id)
    except NotFound:
        console.print(f"[red]no school {school_id}")
        raise typer.Exit(1) from None
    try:
        n = roll_import(actor=actor, school=school, path=path)
    except ValidationFailed as error:
        console.print(f"[red]{error.message}")
        for row in (error.details or {}).get("rows", []):
            console.print(f"  line {row['line']} {row['field']}: {row['reason']}")
        raise typer.Exit(1) from None
    console.print(f"[green]{n} children imported into {school.name}")


@app.command("escalate")
def escalate():
    """Flag out-of-school cases whose step is late and open follow-ups for the bureau."""
    from minsheng.education.services.dropout import cases_escalate

    _actor, console = _setup()
    console.print(f"{cases_escalate()} case(s) escalated")
