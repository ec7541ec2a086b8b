"""`minsheng health ...`: detection runs, reference data and supplies checks."""

from __future__ import annotations

import datetime

import typer

app = typer.Typer(help="Health: disease surveillance, alerts, beds, supplies",
                  no_args_is_help=True)


@app.command()
def detect(date: str = typer.Option(None, "--date", help="run date YYYY-MM-DD (default today)"),
           lookback: int = typer.Option(None, help="earlier periods to evaluate as well")) -> None:
    """Run outbreak detection for every disease x subdistrict and the district total."""
    from minsheng.core.access import system_actor
    from minsheng.core.console import console, progress_bar
    from minsheng.health.services import detection_run

    try:
        on = datetime.date.fromisoformat(date) if date else None
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    with progress_bar("detection") as bar:
        task = bar.add_task("series", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
        report = detection_run(actor=system_actor(), on=on, lookback=lookback,
                               progress=progress)
    console.print(f"[green]{report['series']} series, {report['evaluated']} evaluated, "
                  f"{report['skipped_empty']} without cases, {report['signals']} signal(s): "
                  f"{report['alerts_created']} new alert(s), {report['alerts_grouped']} "
                  f"grouped into existing ones")
    for error in report["errors"]:
        console.print(f"[yellow]{error['disease']} area {error['area_id']}: {error['error']}")


@app.command("load-diseases")
def load_diseases(reset_configuration: bool = typer.Option(
        False, help="also reset each disease's detection method and parameters")) -> None:
    """Update the notifiable-disease list from the package data file."""
    from minsheng.core.access import system_actor
    from minsheng.health.services import diseases_sync

    created, updated = diseases_sync(actor=system_actor(),
                                     keep_configuration=not reset_configuration)
    typer.echo(f"{created} disease(s) added, {updated} updated")


@app.command("check-supplies")
def check_supplies(date: str = typer.Option(None, "--date")) -> None:
    """Open follow-ups for reserve shortfalls and lots expiring soon."""
    from minsheng.core.access import system_actor
    from minsheng.health.services import supplies_check

    try:
        on = datetime.date.fromisoformat(date) if date else None
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    typer.echo(f"{supplies_check(actor=system_actor(), today=on)['alerts']} supplies alert(s)")
