"""`minsheng assistance ...`: registry imports, the daily sweep, batch verification, due
lists, payment rosters. Runs as the platform (system actor)."""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

from minsheng.core.console import console

app = typer.Typer(help="Social assistance: dibao, temporary assistance, tekun",
                  no_args_is_help=True)


@app.command("import-registry")
def import_registry(source: str, path: Path) -> None:
    """Import a registry extract (social_insurance, housing_fund, real_estate, vehicle,
    business, tax, deposits, death, marriage)."""
    from minsheng.assistance.services import registry_import
    from minsheng.core.access import system_actor

    batch = registry_import(actor=system_actor(), source=source, path=path)
    console.print(f"{batch.rows} rows imported, {len(batch.bad_rows)} bad rows")
    for bad in batch.bad_rows[:50]:
        console.print(f"  line {bad['line']}: {bad['reason']}")


@app.command()
def sweep() -> None:
    """The daily sweep (run it from cron): reminders before deadlines and follow-ups after
    them; gradual exits whose period is over end; tekun support of minors who reached the
    age limit and are not in school ends. Each ending is on the record's timeline and in
    the audit log."""
    from minsheng.assistance.services import (
        dibao_clock_sweep,
        gradual_exits_close,
        tekun_support_end_check,
    )

    clocks = dibao_clock_sweep()
    console.print(f"{clocks['reminders']} reminder(s), {clocks['overdue']} overdue case(s) "
                  "followed up")
    console.print(f"{gradual_exits_close()} gradual exit(s) ended")
    console.print(f"{tekun_support_end_check()} tekun support(s) ended at the age limit")


@app.command("verify-batch")
def verify_batch(kind: str = "review") -> None:
    """Verify every open case in the verification step in one batch."""
    from minsheng.assistance.services import verification_batch
    from minsheng.core.access import system_actor

    run = verification_batch(actor=system_actor(), kind=kind or None)
    console.print(f"run {run.pk}: {run.summary}" if run else "nothing to verify")


@app.command("reviews-due")
def reviews_due(months: int = 1, open_cases: bool = False) -> None:
    """List (or open review cases for) benefits due for re-review."""
    from django.utils import timezone

    from minsheng.assistance import selectors, services
    from minsheng.core import dates
    from minsheng.core.access import system_actor

    until = dates.add_months(timezone.localdate(), months)
    if open_cases:
        console.print(services.reviews_open(actor=system_actor(), until=until))
        return
    for b in selectors.reviews_due(system_actor(), until=until).iterator(chunk_size=2000):
        console.print(f"{b.next_review_due}  {b.household.number}  {b.payee.name}")


@app.command()
def roster(area_code: str, month: str, output: Path) -> None:
    """Build a subdistrict's monthly roster and write the bank xlsx."""
    from minsheng.assistance import selectors, services
    from minsheng.core.access import system_actor

    actor = system_actor()
    r = services.roster_create(actor=actor, area=selectors.area_for(actor, code=area_code),
                               month=datetime.date.fromisoformat(month[:7] + "-01"))
    with output.open("wb") as fh:
        services.roster_write_xlsx(actor=actor, roster=r, target=fh)
    console.print(f"{r.lines_count} payments, total {r.total}, {len(r.excluded)} left out")
