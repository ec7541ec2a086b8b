"""The `minsheng` command. Sub-commands of domain modules come from their AppConfig.cli."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from minsheng.core.console import console, progress_bar  # noqa: F401  (commands use both)

app = typer.Typer(help="minsheng: livelihood plan platform", no_args_is_help=True,
                  add_completion=False)
DEMO_DATABASE = Path("var/demo.sqlite3")


def setup_django(settings_module: str | None = None) -> None:
    if settings_module:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.config.settings.production")
    import django

    django.setup()


def _use_demo_database(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    os.environ.setdefault("MINSHENG_DATA_DIR", str(database.resolve().parent))


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


@app.command()
def migrate() -> None:
    """Create or update the database tables."""
    _manage("migrate", "--no-input", "-v", "0")
    console.print("[green]database is up to date")


@app.command()
def check() -> None:
    """Check configuration and database sanity."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("check")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        console.print(f"[red]{len(pending)} migration(s) not applied: run `minsheng migrate`")
        raise typer.Exit(1)
    from minsheng.core.models import Area

    console.print(f"[green]database {connection.vendor} ok, {Area.objects.count()} areas")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          worker: bool = typer.Option(True, help="also run the background worker"),
          dev: bool = typer.Option(False, "--dev",
                                   help="Django's autoreloading development server")) -> None:
    """Serve the platform with the production server (and its background worker)."""
    _serve(host, port, worker, dev)


def _serve(host: str, port: int, worker: bool, dev: bool = False) -> None:
    from django.conf import settings
    from django.db import connections

    child = None
    if worker:
        child = subprocess.Popen([sys.executable, "-m", "minsheng.cli", "worker"],
                                 env=os.environ.copy())
    try:
        console.print(f"[bold green]minsheng at http://{host}:{port}/ "
                      f"(database: {settings.DATABASES['default']['NAME']}; "
                      f"{'development server' if dev else 'gunicorn'})")
        if dev:
            from django.core.management import call_command

            call_command("runserver", f"{host}:{port}", "--skip-checks")
        else:
            from minsheng.config import server

            connections.close_all()  # the workers fork: none may share the master's
            server.run(host, port)
    finally:
        if child:
            child.terminate()


@app.command()
def worker() -> None:
    """Run background tasks (imports, batch matching, detection runs)."""
    from minsheng.core import readiness

    readiness.start_worker_heartbeat()
    _manage("db_worker", "--no-reload")  # reloading could stop a task halfway


@app.command()
def demo(people: int = typer.Option(20000, help="residents to generate"),
         seed: int = typer.Option(2026, help="random seed: the same seed builds the same district"),
         database: Path = typer.Option(DEMO_DATABASE, help="SQLite file for the demo"),
         no_serve: bool = typer.Option(False, "--no-serve", help="build, then exit"),
         dev: bool = typer.Option(False, "--dev",
                                  help="serve with Django's autoreloading development server"),
         host: str = "127.0.0.1", port: int = 8000) -> None:
    """Build (or reuse) the demo district on SQLite and serve it."""
    from minsheng.demo import build

    _manage("migrate", "--no-input", "-v", "0")
    summary = build.build_demo(people=people, seed=seed, console=console)
    for line in summary:
        console.print(line)
    if not no_serve:
        _serve(host, port, worker=True, dev=dev)


import_app = typer.Typer(help="Import registry records from CSV or XLSX", no_args_is_help=True)
app.add_typer(import_app, name="import")


def _run_import(kind: str, file: Path, sheet: str | None) -> None:
    from minsheng.core.access import system_actor
    from minsheng.core.services.imports import IMPORTERS

    with progress_bar(kind) as bar:
        task = bar.add_task(f"import {kind}", total=None)
        report = IMPORTERS[kind](actor=system_actor(), path=file, sheet=sheet,
                                 progress=lambda done, total: bar.update(task, completed=done,
                                                                         total=total))
    if report.ok:
        console.print(f"[green]imported {report.imported} of {report.rows} rows")
        return
    if report.message:
        console.print(f"[red]{report.message}")
    for error in report.errors[:200]:
        console.print(f"  line {error.line}, column {error.column}: {error.reason}")
    if report.error_count:
        console.print(f"[red]{report.error_count} bad row(s); nothing was imported")
    raise typer.Exit(1)


@import_app.command("persons")
def import_persons(file: Path, sheet: str = typer.Option(None)) -> None:
    _run_import("persons", file, sheet)


@import_app.command("households")
def import_households(file: Path, sheet: str = typer.Option(None)) -> None:
    _run_import("households", file, sheet)


@import_app.command("organizations")
def import_organizations(file: Path, sheet: str = typer.Option(None)) -> None:
    _run_import("organizations", file, sheet)


@import_app.command("disabilities")
def import_disabilities(file: Path, sheet: str = typer.Option(None)) -> None:
    """Disability certificates (残疾人证): 身份证号, 残疾类别, 残疾等级, 发证日期, 有效期至."""
    _run_import("disabilities", file, sheet)


export_app = typer.Typer(help="Export records to xlsx", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("persons")
def export_persons(file: Path, area: str = typer.Option("", help="area code to limit to")) -> None:
    """People (ID and phone masked) to an xlsx file."""
    from minsheng.core import exports, selectors
    from minsheng.core.access import system_actor

    actor = system_actor()
    scope = selectors.area_get(actor, code=area) if area else None
    exports.people_xlsx(actor=actor, people=selectors.person_list(actor, area=scope),
                        target=file, name=file.name, filters={"area": area})
    console.print(f"[green]wrote {file}")


@export_app.command("organizations")
def export_organizations(file: Path) -> None:
    """Organizations to an xlsx file."""
    from minsheng.core import exports, selectors
    from minsheng.core.access import system_actor

    actor = system_actor()
    exports.organizations_xlsx(actor=actor, organizations=selectors.organization_list(actor),
                               target=file, name=file.name)
    console.print(f"[green]wrote {file}")


@app.command()
def backup(file: Path = typer.Argument(None, help="the backup file to write"),
           new_key: bool = typer.Option(False, "--new-key",
                                        help="print a new key for MINSHENG_BACKUP_KEY")) -> None:
    """Back up the whole database, encrypted with MINSHENG_BACKUP_KEY."""
    from minsheng.core import backup as backups

    if new_key:
        console.print(backups.new_key())
        return
    if file is None:
        console.print("[red]give the backup file to write")
        raise typer.Exit(2)
    try:
        with console.status("backing up"):
            result = backups.backup(file)
    except backups.BackupError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(1) from None
    tables = result.manifest["tables"]
    console.print(f"[green]wrote {file}: {len(tables)} tables, "
                  f"{sum(t['rows'] for t in tables.values()):,} rows "
                  f"({result.manifest['vendor']}, encrypted)")


@app.command()
def restore(file: Path, into: str = typer.Option(..., help="a new SQLite file, or the "
                                                 "postgresql:// URL of an empty database")) -> None:
    """Restore a backup into an empty database and check every table against it."""
    from minsheng.core import backup as backups

    try:
        with console.status("restoring"):
            result = backups.restore(file, into)
    except backups.BackupError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(1) from None
    if not result.ok:
        console.print(f"[red]restored, but these tables differ from the backup: "
                      f"{', '.join(result.mismatches)}")
        raise typer.Exit(1)
    console.print(f"[green]restored {result.tables} tables, {result.rows:,} rows; "
                  "every count and content hash matches the backup")


audit_app = typer.Typer(help="The audit log", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; report the first entry that was changed,
    removed or inserted behind the platform's back."""
    from minsheng.core.auditchain import verify

    with console.status("checking the audit chain") as status:
        result = verify(progress=lambda n: status.update(f"checked {n:,} entries"))
    if result.first_break is None:
        console.print(f"[green]audit chain intact: {result.checked:,} entries")
        return
    console.print(f"[red]audit chain broken at entry {result.first_break}: {result.reason} "
                  f"({result.checked:,} entries before it are intact)")
    raise typer.Exit(1)


@app.command()
def createuser(username: str, password: str = typer.Option(..., prompt=True, hide_input=True),
               role: str = "system_admin", area: str = typer.Option(..., help="area code")) -> None:
    """Create a staff account with one role over an area subtree."""
    from minsheng.core import selectors, services
    from minsheng.core.access import system_actor
    from minsheng.core.errors import DomainError

    actor = system_actor()
    try:
        # the password policy (AUTH_PASSWORD_VALIDATORS) applies here as on every path
        services.user_create(actor=actor, username=username, password=password,
                             roles=[(role, selectors.area_get(actor, code=area))])
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(1) from None
    console.print(f"[green]created {username}")


roles_app = typer.Typer(help="Role changes: one person asks, a security administrator "
                        "decides", no_args_is_help=True)
app.add_typer(roles_app, name="roles")


def _person(username: str):
    """The named staff member the CLI acts as (role changes need a person, not the
    platform): their own roles decide what they may do."""
    from minsheng.core.access import actor_for
    from minsheng.core.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        console.print(f"[red]no active user {username!r}")
        raise typer.Exit(1)
    return actor_for(user)


@roles_app.command("request")
def roles_request(username: str, role: str, area: str = typer.Option(..., help="area code"),
                  as_user: str = typer.Option(..., "--as", help="who asks (their roles apply)"),
                  remove: bool = typer.Option(False, help="ask to remove the role"),
                  reason: str = "") -> None:
    """Ask for a role to be granted to (or removed from) a user."""
    from minsheng.core import selectors, services
    from minsheng.core.access import system_actor
    from minsheng.core.errors import DomainError

    actor = _person(as_user)
    try:
        user = selectors.role_change_subject(actor, username=username)
        change = services.role_change_request(
            actor=actor, user=user, role=role, area=selectors.area_get(system_actor(), code=area),
            kind="revoke" if remove else "grant", reason=reason)
    except DomainError as exc:
        console.print(f"[red]{exc.message or 'not found'}")
        raise typer.Exit(1) from None
    console.print(f"[green]request {change.pk} waits for a security administrator")


@roles_app.command("list")
def roles_list(as_user: str = typer.Option(..., "--as")) -> None:
    """Role change requests waiting for a decision."""
    from minsheng.core import selectors

    for c in selectors.role_change_list(_person(as_user), pending=True):
        console.print(f"{c.pk}  {c.kind} {c.role} @ {c.area.code} for {c.user.username}  "
                      f"asked by {c.requested_by.username} {c.requested_at:%Y-%m-%d %H:%M}")


@roles_app.command("approve")
def roles_approve(request_id: int, as_user: str = typer.Option(..., "--as"),
                  reject: bool = typer.Option(False, help="reject instead"),
                  note: str = "") -> None:
    """Approve (or reject) a role change request."""
    from minsheng.core import selectors, services
    from minsheng.core.errors import DomainError

    actor = _person(as_user)
    try:
        change = selectors.role_change_get(actor, pk=request_id)
        decide = services.role_change_reject if reject else services.role_change_approve
        decide(actor=actor, change=change, note=note)
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(1) from None
    console.print(f"[green]request {request_id} {'rejected' if reject else 'approved'}")


token_app = typer.Typer(help="API tokens of staff accounts", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(username: str, name: str = typer.Option(..., help="what will use the token")
                 ) -> None:
    """Create an API token for a user; the key is printed once and stored only hashed."""
    from minsheng.core import selectors, services
    from minsheng.core.access import system_actor
    from minsheng.core.errors import DomainError

    actor = system_actor()
    try:
        user = selectors.user_by_username(actor, username=username)
        key = services.api_token_create(actor=actor, name=name, user=user)
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(1) from None
    console.print(f"[green]token {name!r} for {username} (shown once):")
    print(key)


@token_app.command("list")
def token_list(username: str) -> None:
    """A user's tokens: name, first characters, created, last used, revoked."""
    from minsheng.core import selectors
    from minsheng.core.access import system_actor

    for t in selectors.api_tokens_of(system_actor(), username=username):
        state = "revoked" if t.revoked else "active"
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
        console.print(f"{t.prefix}…  {t.name}  created {t.created_at:%Y-%m-%d}  {used}  {state}")


@token_app.command("revoke")
def token_revoke(username: str, prefix: str = typer.Argument(
        ..., help="the token's first characters, as `minsheng token list` shows")) -> None:
    """Revoke a user's token: its key stops working at once."""
    from minsheng.core import selectors, services
    from minsheng.core.access import system_actor

    actor = system_actor()
    tokens = [t for t in selectors.api_tokens_of(actor, username=username)
              if t.prefix.startswith(prefix) and not t.revoked]
    if len(tokens) != 1:
        console.print(f"[red]{len(tokens)} active token(s) of {username} start with {prefix!r}")
        raise typer.Exit(1)
    services.api_token_revoke(actor=actor, token=tokens[0])
    console.print(f"[green]revoked {tokens[0].name!r}")


calendar_app = typer.Typer(help="The district's working-day calendar", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")


@calendar_app.command("set")
def calendar_set(day: str = typer.Argument(..., help="YYYY-MM-DD"),
                 working: bool = typer.Option(..., "--working/--holiday"),
                 note: str = typer.Option("", help="e.g. the holiday's name")) -> None:
    """Enter one day of the official schedule (a holiday, or a make-up working day)."""
    import datetime

    from minsheng.core import services
    from minsheng.core.access import system_actor

    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        console.print(f"[red]not a date (use YYYY-MM-DD): {day}")
        raise typer.Exit(2) from None
    services.calendar_day_set(actor=system_actor(), date=date, is_working_day=working,
                              note=note)
    console.print(f"[green]{date}: {'working day' if working else 'holiday'}")


@calendar_app.command("confirm")
def calendar_confirm(year: int, source: str = typer.Option(
        ..., help="the notice the schedule comes from")) -> None:
    """Declare a year's schedule complete: other days follow the Monday-Friday week."""
    from minsheng.core import services
    from minsheng.core.access import system_actor
    from minsheng.core.errors import DomainError

    try:
        services.calendar_year_confirm(actor=system_actor(), year=year, source=source)
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(1) from None
    console.print(f"[green]{year} confirmed")


@app.command()
def detect(method: str = typer.Option(..., help="detector name, see --list"),
           input: Path = typer.Option(..., "--input", help="CSV with columns date,count"),
           output: Path = typer.Option(..., "--output", help="CSV to write alarms to"),
           alpha: float = typer.Option(None, help="significance level, for methods with one"),
           param: list[str] = typer.Option([], help="extra parameter as key=value")) -> None:
    """Run an early-warning detector over a count series (daily, weekly or monthly)."""
    from minsheng.detection.csvio import detect_csv
    from minsheng.detection.errors import DetectionInputError

    params = {}
    for item in param:
        key, sep, value = item.partition("=")
        if not sep:
            console.print(f"[red]--param must be key=value, got {item!r}")
            raise typer.Exit(2)
        params[key.strip()] = value.strip()
    try:
        alarms = detect_csv(method, input, output, alpha=alpha, params=params)
    except DetectionInputError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(1) from None
    console.print(f"[green]{alarms} alarm(s); wrote {output}")


def _add_module_commands() -> None:
    from minsheng.core.plugins import declared, load

    for app_config, dotted in declared("cli"):
        app.add_typer(load(dotted), name=app_config.label)


def _demo_database_from_argv(argv: list[str]) -> Path:
    """The demo's database must be known before Django reads its settings."""
    for index, arg in enumerate(argv):
        if arg == "--database" and index + 1 < len(argv):
            return Path(argv[index + 1])
        if arg.startswith("--database="):
            return Path(arg.split("=", 1)[1])
    return DEMO_DATABASE


# Commands that read no database: they never need a secret key or a database.
NO_DATABASE = {"detect"}


def _settings_for(argv: list[str]) -> str | None:
    """Which settings the command runs on. The demo uses its SQLite file; after the demo,
    commands run in the same directory use the demo's database too, unless DATABASE_URL
    or DJANGO_SETTINGS_MODULE say otherwise; help and commands without a database run on
    the demo settings, which need no secret."""
    command = argv[1] if len(argv) > 1 else "--help"
    chosen = "DATABASE_URL" in os.environ or "DJANGO_SETTINGS_MODULE" in os.environ
    if command == "demo":
        if not os.environ.get("DATABASE_URL"):
            _use_demo_database(_demo_database_from_argv(argv))
        return "minsheng.config.settings.demo"
    if not chosen and DEMO_DATABASE.exists():
        _use_demo_database(DEMO_DATABASE)
        print(f"minsheng: using the demo database {DEMO_DATABASE} (set DATABASE_URL to use "
              "another)", file=sys.stderr)
        return "minsheng.config.settings.demo"
    no_data = (command in NO_DATABASE or {"--help", "-h"} & set(argv)
               or (command == "plans" and {"--json", "--dry-run"} & set(argv)))
    if no_data and "DJANGO_SETTINGS_MODULE" not in os.environ:
        return "minsheng.config.settings.demo"
    return None


def main() -> None:
    from django.core.exceptions import ImproperlyConfigured

    try:
        setup_django(_settings_for(sys.argv))
    except ImproperlyConfigured as exc:
        console.print(f"[red]{exc}[/red] See docs/operations.md (configuration).")
        raise SystemExit(2) from None
    _add_module_commands()
    app()


if __name__ == "__main__":
    main()
