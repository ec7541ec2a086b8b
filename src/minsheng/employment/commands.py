import datetime

import typer

app = typer.Typer(help="Employment services: matching and unemployment early warning",
                  no_args_is_help=True)


@app.command()
def match(top: int = typer.Option(10, help="recommendations per seeker"),
          seekers: str = typer.Option("", help="comma-separated seeker ids (default: all "
                                               "active seekers)"),
          background: bool = typer.Option(False, help="queue for the worker and follow it")
          ) -> None:
    """Recompute recommendations for active job seekers, with progress."""
    import time

    from minsheng.core.access import system_actor
    from minsheng.core.console import console, progress_bar
    from minsheng.core.models import JobProgress
    from minsheng.employment import services

    ids = [int(x) for x in seekers.split(",") if x.strip()] or None
    job = services.match_start(actor=system_actor(), top=top, seeker_ids=ids,
                            background=background)
    with progress_bar("matching") as bar:
        task = bar.add_task("matching seekers", total=None)
        if background:
            while True:
                job.refresh_from_db()
                bar.update(task, completed=job.done, total=job.total or None)
                if job.state in (JobProgress.State.DONE, JobProgress.State.FAILED):
                    break
                time.sleep(1)
        else:
            services.match_run(job.pk, top, ids,
                            progress=lambda done, n: bar.update(task, completed=done, total=n))
    job.refresh_from_db()
    colour = "green" if job.state == JobProgress.State.DONE else "red"
    console.print(f"[{colour}]{job.message or job.state}")


@app.command()
def warnings(start: str = typer.Option("", help="first month YYYY-MM (default: last month)"),
             end: str = typer.Option("", help="last month YYYY-MM (default: this month)")
             ) -> None:
    """Evaluate the unemployment early-warning rules and open follow-ups."""
    from django.utils import timezone

    from minsheng.core.access import system_actor
    from minsheng.core.console import console
    from minsheng.core.dates import add_months, month_end, month_start
    from minsheng.employment.services import warnings_scan

    today = timezone.localdate()
    end_d = month_end(datetime.date.fromisoformat(end + "-01")) if end else today
    start_d = datetime.date.fromisoformat(start + "-01") if start else \
        add_months(month_start(today), -1)
    made = warnings_scan(actor=system_actor(), start=start_d, end=min(end_d, today))
    for w in made:
        console.print(f"{w.month:%Y-%m} {w.level:<6} {w.title}", markup=False)
    console.print(f"[green]{len(made)} warning(s)")


@app.command()
def locations(path: str = typer.Argument(..., help="CSV or XLSX: area_code, latitude, "
                                                   "longitude (WGS-84)"),
              source: str = typer.Option("", help="where the coordinates come from")) -> None:
    """Load community locations used to estimate travel time for matching."""
    from minsheng.core.access import system_actor
    from minsheng.core.console import console
    from minsheng.employment.services import area_locations_load

    result = area_locations_load(actor=system_actor(), path=path, source=source)
    for line, reason in result["errors"]:
        console.print(f"[red]line {line}: {reason}", markup=True)
    colour = "green" if not result["errors"] else "red"
    console.print(f"[{colour}]{result['loaded']} location(s) loaded, "
                  f"{len(result['errors'])} line(s) refused")
    if result["errors"]:
        raise typer.Exit(1)
