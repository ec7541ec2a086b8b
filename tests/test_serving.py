"""Production serving (issue 19): the application server, readiness, and a CLI that works
where the operator is."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from minsheng import cli
from minsheng.core import readiness

SRC = str(Path(__file__).resolve().parents[1] / "src")


def env(**extra) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    return {**clean, "PYTHONPATH": SRC, **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_readyz_reports_each_check(client):
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["worker"]["status"] == "not running"
    readiness.beat()
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["ready"] and r.json()["tasks"]["waiting"] == 0
    from django_tasks_db.models import DBTaskResult, get_date_max

    # a task queued nine minutes ago that no worker has taken
    DBTaskResult.objects.create(task_path="minsheng.core.jobs.run_import", args_kwargs={},
                                backend_name="default", run_after=get_date_max())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=9))
    body = client.get("/readyz").json()
    assert body["tasks"]["status"] == "backlog" and body["tasks"]["waiting"] == 1
    assert body["tasks"]["oldest_wait_seconds"] >= 9 * 60 and not body["ready"]


def test_production_refuses_debug():
    r = subprocess.run([sys.executable, "-c", "import django; from django.conf import "
                        "settings; django.setup()"], capture_output=True, text=True,
                       env=env(DJANGO_SETTINGS_MODULE="minsheng.config.settings.production",
                               SECRET_KEY="x" * 50, DEBUG="1"), timeout=60)
    assert r.returncode != 0 and "DEBUG may only be on" in r.stderr


def test_commands_without_a_database_need_no_secret(tmp_path):
    for args in (["--help"], ["detect", "--help"]):
        r = subprocess.run([sys.executable, "-m", "minsheng.cli", *args], cwd=tmp_path,
                           capture_output=True, text=True, env=env(), timeout=120)
        assert r.returncode == 0 and "SECRET_KEY" not in r.stdout + r.stderr, r.stderr
    r = subprocess.run([sys.executable, "-m", "minsheng.cli", "check"], cwd=tmp_path,
                       capture_output=True, text=True, env=env(), timeout=120)
    assert r.returncode == 2 and "SECRET_KEY must be set" in r.stdout


def test_after_the_demo_commands_use_its_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        monkeypatch.delenv(name, raising=False)
    assert cli._settings_for(["minsheng", "check"]) is None  # no demo here: production
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "demo.sqlite3").touch()
    assert cli._settings_for(["minsheng", "check"]) == "minsheng.config.settings.demo"
    assert os.environ["DATABASE_URL"] == f"sqlite:///{tmp_path / 'var' / 'demo.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://elsewhere/db")
    assert cli._settings_for(["minsheng", "check"]) is None  # the operator's choice wins


def test_serve_runs_gunicorn_with_request_ids(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "minsheng.cli", "serve", "--no-worker", "--port", str(port)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", SECRET_KEY="s" * 50,
                MINSHENG_LOCAL_ONLY="1", MINSHENG_DATA_DIR=str(tmp_path),
                MINSHENG_WORKERS="2"))
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as r:
                    server, request_id = r.headers["Server"], r.headers["X-Request-ID"]
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not answer")
        assert server.startswith("gunicorn")
    finally:
        process.send_signal(signal.SIGTERM)  # graceful: finishes requests in flight
        output = process.communicate(timeout=60)[0]
    assert process.returncode == 0, output[-2000:]
    assert f"request_id={request_id}" in output and "gthread" in output
