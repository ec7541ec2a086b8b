"""`minsheng assistance ...`: registry imports, clock sweep, batch verification, due
lists, payment rosters. Runs as the platform (system actor)."""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

app = typer.Typer(help="Social assistance: dibao, temporary assistance, tekun",
                  no_args_is_help=True)


@app.command("import-registry")
def import_registry(source: str, path: Path) -> None:
    """Import a registry extract (social_insurance, housing_fund, real_estate, vehicle,
    business, tax, deposits, death, marriage)."""
    from minsheng.assistance.verification import registry_import
    from minsheng.core.access import system_actor

    batch = registry_import(actor=system_actor(), source=source, path=path)
    typer.echo(f"{batch.rows} rows imported, {len(batch.bad_rows)} bad rows")
    for bad in batch.bad_rows[:50]:
        typer.echo(f"  line {bad['line']}: {bad['reason']}")


@app.command()
def sweep() -> None:
    """Reminders before deadlines, follow-ups after; closes ended gradual exits."""
    from minsheng.assistance.management import gradual_exits_close
    from minsheng.assistance.services import dibao_clock_sweep

    typer.echo(dibao_clock_sweep())
    typer.echo(f"{gradual_exits_close()} gradual exit(s) ended")


@app.command("verify-batch")
def verify_batch(kind: str = "review") -> None:
    """Verify every open case in the verification step in one batch."""
    from minsheng.assistance.verification import verification_batch
    from minsheng.core.access import system_actor

    run = verification_batch(actor=system_actor(), kind=kind or None)
    typer.echo(f"run {run.pk}: {run.summary}" if run else "nothing to verify")


@app.command("reviews-due")
def reviews_due(months: int = 1, open_cases: bool = False) -> None:
    """List (or open review cases for) benefits due for re-review."""
    from django.utils import timezone

    from minsheng.assistance import management, selectors
    from minsheng.core.access import system_actor

    until = management.add_months(timezone.localdate(), months)
    if open_cases:
        typer.echo(management.reviews_open(actor=system_actor(), until=until))
        return
    for b in selectors.reviews_due(system_actor(), until=until):
        typer.echo(f"{b.next_review_due}  {b.household.number}  {b.payee.name}")


@app.command()
def roster(area_code: str, month: str, output: Path) -> None:
    """Build a subdistrict's monthly roster and write the bank xlsx."""
    from minsheng.assistance import management
    from minsheng.core.access import system_actor
    from minsheng.core.models import Area

    actor = system_actor()
    r = management.roster_create(actor=actor, area=Area.objects.get(code=area_code),
                                 month=datetime.date.fromisoformat(month[:7] + "-01"))
    with output.open("wb") as fh:
        management.roster_write_xlsx(actor=actor, roster=r, target=fh)
    typer.echo(f"{r.lines_count} payments, total {r.total}, {len(r.excluded)} left out")
