"""`minsheng eldercare ...`: bed figures for any date, and the monthly allowance run
(proposals, the death check on minsheng.linkage, payment lists, xlsx in the bank layout)."""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

from minsheng.core.console import console

app = typer.Typer(help="Elderly care: beds as history, allowances that stop at death",
                  no_args_is_help=True)


def _date(text: str | None) -> datetime.date:
    from django.utils import timezone

    return datetime.date.fromisoformat(text) if text else timezone.localdate()


@app.command("figures")
def figures(on: str = typer.Option(None, help="YYYY-MM-DD (default today)")) -> None:
    """Beds, nursing-bed share, occupancy and beds per 1,000 aged 60+ on a date."""
    from minsheng.core.access import system_actor
    from minsheng.eldercare import selectors

    data = selectors.figures(system_actor(), on=_date(on))
    t = data["total"]
    pct = lambda v: "—" if v is None else f"{v:.1%}"  # noqa: E731
    console.print(f"{data['on']}: beds {t.beds}, nursing {t.nursing} ({pct(t.nursing_share)}, "
                  f"goal {data['goal']:.0%}), occupied {t.occupied} ({pct(t.occupancy)}), "
                  f"aged 60+ {t.elders}, beds per 1,000 aged 60+ "
                  f"{'—' if t.per_1000_elders is None else f'{t.per_1000_elders:.1f}'}")
    for inst, fig in data["rows"]:
        console.print(f"  {inst}: {fig.beds} beds, {fig.nursing} nursing, {fig.occupied} "
                      "occupied")


@app.command("allowance-run")
def allowance_run(month: str = typer.Argument(..., help="YYYY-MM"),
                  propose: bool = typer.Option(True, help="propose people reaching the age"),
                  out: Path = typer.Option(None, help="directory for the xlsx lists")) -> None:
    """The month's run: proposals, death and move check, one payment list per
    subdistrict (existing lists are kept)."""
    from minsheng.core.access import system_actor
    from minsheng.core.errors import Conflict
    from minsheng.core.models import Area
    from minsheng.eldercare.services import allowances, deaths, payments

    actor = system_actor()
    first = datetime.date.fromisoformat(f"{month[:7]}-01")
    if propose:
        console.print(f"proposed: {allowances.allowances_propose(actor=actor, month=first)}")
    report = deaths.deaths_check(actor=actor)
    console.print(f"death check: {report['recipients']} recipients, {report['records']} "
                  f"registry records, {report['stopped']} stopped (same ID), "
                  f"{report['held']} held for confirmation")
    for area in Area.objects.filter(level="subdistrict").order_by("code"):
        try:
            plist = payments.payment_list_build(actor=actor, area=area, month=first)
        except Conflict:
            console.print(f"  {area.name}: list for {month} exists, kept")
            continue
        console.print(f"  {area.name}: {plist.lines_count} lines, {plist.total} yuan, "
                      f"{len(plist.excluded)} left out")
        if out:
            out.mkdir(parents=True, exist_ok=True)
            target = out / f"eldercare-{area.code}-{first:%Y-%m}.xlsx"
            payments.payment_list_write_xlsx(actor=actor, payment_list=plist, target=target)
            console.print(f"    wrote {target}")
