"""`minsheng safety ...` commands. The IoT group reads naturally both ways:
`minsheng safety iot ingest` (the issue's `minsheng iot ingest`)."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from minsheng.core.console import console

app = typer.Typer(help="Work safety: hazards, IoT monitoring, accidents, emergencies",
                  no_args_is_help=True)
iot = typer.Typer(help="IoT monitoring of major hazard sources over MQTT", no_args_is_help=True)
app.add_typer(iot, name="iot")


@iot.command("ingest")
def ingest(seconds: float = typer.Option(0, help="stop after this many seconds (0: run)"),
           host: str = typer.Option(None), port: int = typer.Option(None),
           client_id: str = typer.Option(None, help="fixed id of the persistent session"),
           protocol: str = typer.Option(None, help="MQTT 5 or 3.1.1 (RabbitMQ 3.10)"),
           share_group: str = typer.Option(None, help="share the subscription ($share)"),
           alarm_lane: bool = typer.Option(None, help="threshold alarms on their own "
                                           "session, on arrival"),
           verbose: bool = False) -> None:
    """Subscribe to sensor readings (QoS 1, persistent session), store and alarm."""
    from minsheng.safety.ingest import Ingester

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    ingester = Ingester(host=host, port=port, client_id=client_id, protocol=protocol,
                        share_group=share_group, alarm_lane=alarm_lane)
    console.print(f"[green]ingesting from {ingester.host}:{ingester.port} as "
                  f"{ingester.client_id} (Ctrl-C to stop)")
    try:
        ingester.run(seconds=seconds or None)
    except KeyboardInterrupt:
        pass
    c = ingester.pipeline.counters
    console.print(f"received {c.received}, stored {c.stored}, duplicates {c.duplicates}, "
                  f"rejected {c.rejected} {dict(c.reasons)}, dropped {c.dropped}, "
                  f"db retries {c.db_retries}, alarms opened {c.alarms}")


@iot.command("simulate")
def simulate(sources: int = typer.Option(5, help="major hazard sources to simulate"),
             rate: float = typer.Option(1.0, help="readings per second per sensor"),
             seconds: float = typer.Option(60), seed: int = 1,
             faults: float = typer.Option(0.01, help="share of faulty messages per kind"),
             leak: float = typer.Option(0.0005, help="chance per gas reading to start a leak"),
             host: str = typer.Option(None), port: int = typer.Option(None)) -> None:
    """Publish realistic readings of the registered sensors, with injected faults."""
    from minsheng.safety import simulate as sim
    from minsheng.safety.config import setting
    from minsheng.safety.models import Sensor

    rows = list(Sensor.objects.filter(active=True, source__in=list(
        Sensor.objects.values_list("source_id", flat=True).distinct().order_by(
            "source_id")[:sources])).values_list("code", "kind", "unit", "oel"))
    if not rows:
        console.print("[red]no sensors registered: build the demo or add sources first")
        raise typer.Exit(1)
    sensors = [sim.SimSensor(code, kind, unit, oel) for code, kind, unit, oel in rows]
    plan = sim.FaultPlan(malformed=faults, unknown=faults, skew=faults, duplicate=faults,
                         leak=leak)
    console.print(f"publishing {len(sensors)} sensors at {rate}/s for {seconds:g} s")
    stats = sim.run(sensors=sensors, rate=rate, seconds=seconds,
                    host=host or setting("MQTT_HOST"), port=port or setting("MQTT_PORT"),
                    prefix=setting("MQTT_TOPIC_PREFIX"), faults=plan, seed=seed,
                    client_id=f"minsheng-sim-{seed}")
    console.print(f"[green]published {stats.published} messages; injected {stats.faults}")


@iot.command("prune")
def prune(days: int = typer.Option(None, help="raw retention in days (default: setting)")):
    """Downsample and delete raw readings older than the retention."""
    from minsheng.safety.services.iot import readings_prune

    console.print(readings_prune(days=days))


@app.command("escalate")
def escalate() -> None:
    """Daily: escalate overdue follow-ups (hazard deadlines, alarms) yellow/red."""
    from minsheng.casework.services import followups_escalate

    console.print(f"{followups_escalate()} follow-up item(s) changed level")


@app.command("stats")
def stats(year: int, quarter: int = typer.Option(0, help="1-4; 0 for the whole year"),
          file: Path = typer.Option(None, help="write an xlsx file")) -> None:
    """Hazard statistics per enterprise and area, with the reporting due date."""
    from minsheng.core.access import system_actor
    from minsheng.safety import statistics

    report = statistics.hazard_statistics(system_actor(), year=year, quarter=quarter or None)
    console.print(f"{report.label}: due {report.due_on}")
    for row in report.by_area:
        console.print(f"  {row['area_name']}: found {row['found']}, major {row['major']}, "
                      f"rectified {row['rectified']}, on time {row['on_time']}, "
                      f"overdue {row['overdue']}")
    if file:
        statistics.write_xlsx_report(report, file)
        console.print(f"[green]wrote {file}")
