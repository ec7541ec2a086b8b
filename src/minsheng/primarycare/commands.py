"""`minsheng primarycare ...`: enrolment imports, the daily sweeps, coverage figures."""

from __future__ import annotations

import datetime

import typer

app = typer.Typer(help="Primary care: family-doctor contracts, referrals, insurance coverage",
                  no_args_is_help=True)


@app.command("import-enrolments")
def import_enrolments(path: str, as_of: str = typer.Option(..., "--as-of",
                                                           help="extract date YYYY-MM-DD")):
    """Import an enrolment extract (all or nothing) and link it to the registry."""
    from minsheng.core.access import system_actor
    from minsheng.core.console import console
    from minsheng.core.errors import ValidationFailed
    from minsheng.primarycare.services import enrolments_import

    try:
        day = datetime.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    try:
        batch = enrolments_import(actor=system_actor(), path=path, as_of=day)
    except ValidationFailed as error:
        console.print(f"[red]{error.message}")
        for row in (error.details or {}).get("rows", [])[:50]:
            console.print(f"  line {row['line']} {row['field']}: {row['reason']}")
        raise typer.Exit(1) from None
    console.print(f"[green]{batch.rows} rows: {batch.exact} same ID, {batch.probable} "
                  f"probable, {batch.unmatched} not found ({batch.seconds} s)")


@app.command()
def sweep(date: str = typer.Option(None, "--date", help="YYYY-MM-DD (default today)")):
    """Expire ended contracts and escalate referrals not acknowledged in time."""
    from django.utils import timezone

    from minsheng.core.console import console
    from minsheng.primarycare.services import contracts_expire, referrals_escalate

    day = datetime.date.fromisoformat(date) if date else timezone.localdate()
    expired = contracts_expire(today=day)
    escalated = referrals_escalate()
    console.print(f"[green]{expired} contract(s) expired, {escalated} referral(s) escalated")


@app.command()
def coverage():
    """Insured and uninsured working-age residents per community."""
    from minsheng.core.access import system_actor
    from minsheng.core.console import console
    from minsheng.primarycare.selectors import insured_rates

    for r in insured_rates(system_actor()):
        if r["n"]:
            console.print(f"{r['area'].name}\t{r['n']}\tpension {r['pension']}\t"
                          f"medical {r['medical']}\tuninsured {r['uninsured']}")
