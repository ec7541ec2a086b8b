"""`minsheng culture ...`: check projects from a file, import zones from a file. Both run
as the platform (system actor) and print every refusal with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from minsheng.core.console import console

app = typer.Typer(help="Culture and heritage: protection zones and construction checks",
                  no_args_is_help=True)


@app.command("import-zones")
def import_zones(file: Path, site: str = typer.Option("", help="register number, if the "
                                                      "file does not name it per feature"),
                 kind: str = typer.Option("", help="protection or control, likewise"),
                 layer: str = typer.Option("", help="the KML layer to import"),
                 repair: bool = typer.Option(False, help="repair invalid polygons"),
                 crs: str = typer.Option("", help="coordinate system if not WGS-84")) -> None:
    """Import zones from GeoJSON, KML or a zipped Shapefile: all or nothing."""
    from minsheng.core.access import system_actor
    from minsheng.core.errors import DomainError
    from minsheng.culture import geometry, selectors
    from minsheng.culture.services import register

    actor = system_actor()
    try:
        shapes = geometry.read_file(file.name, file.read_bytes(), crs=crs or None,
                                    layer=layer, repair=repair)
        target = selectors.site_get_by_code(actor, code=site) if site else None
        zones = register.zones_import(actor=actor, shapes=shapes, site=target, kind=kind,
                                      source=file.suffix.lstrip(".").lower()[:20])
    except DomainError as error:
        details = error.details if isinstance(error.details, dict) else {}
        for line in details.get("errors") or [str(error.message)]:
            console.print(f"[red]{line}")
        raise typer.Exit(1) from None
    for zone in zones:
        note = f" ({zone.repair_note})" if zone.repair_note else ""
        console.print(f"[green]{zone.site.code} {zone.site.name}: {zone.get_kind_display()} "
                      f"{zone.area_m2:,.0f} m²{note}")
    console.print(f"{len(zones)} zones imported")


@app.command("check-project")
def check_project(file: Path, area: str = typer.Option(..., help="area code of the "
                                                       "projects"),
                  buffer: float = typer.Option(None, help="buffer in metres"),
                  crs: str = typer.Option("", help="coordinate system if not WGS-84"),
                  as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """Check every feature of a GeoJSON file (properties: name, applicant, reference)
    against the zones; each check is recorded and opens its consent case when needed."""
    from minsheng.core.access import system_actor
    from minsheng.core.errors import DomainError
    from minsheng.culture import geometry, selectors
    from minsheng.culture import permissions as P
    from minsheng.culture.services import checks

    actor = system_actor()
    try:
        place = selectors.area_for(actor, P.CHECK, code=area)
        shapes = geometry.read_file(file.name, file.read_bytes(), crs=crs or None,
                                    polygon_only=False)
    except DomainError as error:
        console.print(f"[red]{error.message}")
        raise typer.Exit(1) from None
    results = []
    for n, shape in enumerate(shapes, 1):
        props = shape.properties
        try:
            done = checks.project_check(
                actor=actor, project_name=str(props.get("name") or f"{file.stem}-{n}"),
                applicant=str(props.get("applicant") or "—"),
                reference=str(props.get("reference") or "")[:60], area=place, shape=shape,
                buffer_m=buffer)
        except DomainError as error:
            console.print(f"[red]feature {n}: {error.message}")
            raise typer.Exit(1) from None
        consent = selectors.consent_of(done)
        results.append({"number": done.number, "project": done.project_name,
                        "result": done.result, "zones": done.matches,
                        "consent": consent.number if consent else None,
                        "decide_by": consent.due_on.isoformat() if consent else None})
        if not as_json:
            colour = {"clear": "green", "nearby": "yellow"}.get(done.result, "red")
            console.print(f"[{colour}]{done.number} {done.project_name}: "
                          f"{done.get_result_display()}"
                          + (f" → {consent.number}, decide by {consent.due_on}"
                             if consent else ""))
            for line in done.explanation.splitlines():
                console.print(f"    {line}")
    if as_json:
        console.print_json(json.dumps(results, ensure_ascii=False))
