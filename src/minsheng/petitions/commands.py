"""`minsheng petitions ...`: the nightly clock sweep, figures and the xlsx export."""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

from minsheng.core.console import console

app = typer.Typer(help="Petitions (letters and visits): clock sweep, figures, export",
                  no_args_is_help=True)


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


@app.command("sweep")
def sweep(date: str = typer.Option(None, help="run as of this day (YYYY-MM-DD)")) -> None:
    """Conclude cases whose review window passed; escalate overdue ones to follow-ups."""
    from minsheng.petitions.services import petitions_sweep

    result = petitions_sweep(today=_date(date))
    console.print(f"concluded {result['concluded']}, escalated {result['escalated']}")


@app.command("stats")
def stats(date: str = typer.Option(None)) -> None:
    """Petitions by state, and how many are past their limit."""
    from minsheng.core.access import system_actor
    from minsheng.petitions.selectors import petition_counts

    counts = petition_counts(system_actor(), today=_date(date))
    for key, value in counts.items():
        console.print(f"{key:14} {value}")


@app.command("export")
def export(out: Path, state: str = typer.Option("", help="a state, or 'open'"),
           overdue: bool = False) -> None:
    """Write the petitions list (IDs masked) to an xlsx file."""
    from minsheng.core.access import system_actor
    from minsheng.core.spreadsheets import write_xlsx
    from minsheng.petitions import selectors

    actor = system_actor()
    rows = selectors.petition_export(actor, selectors.petition_list(actor, state=state,
                                                                    overdue=overdue))
    write_xlsx(out, [("信访事项", selectors.EXPORT_HEADER, rows)])
    console.print(f"[green]{len(rows)} petitions written to {out}")
