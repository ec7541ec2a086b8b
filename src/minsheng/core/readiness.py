"""What `/readyz` checks before a load balancer sends traffic, and the background worker's
heartbeat it reads. The heartbeat is a cache entry the worker refreshes from a thread
(the cache is shared by every process on the machine), so a stopped worker shows."""

from __future__ import annotations

import datetime
import threading
import time

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEARTBEAT_KEY = "minsheng:worker:heartbeat"
HEARTBEAT_SECONDS = 10
STALE_AFTER = datetime.timedelta(seconds=60)
# A task still waiting after this long means the worker is not keeping up (or not there).
BACKLOG_LIMIT = datetime.timedelta(minutes=5)


def beat() -> None:
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), int(STALE_AFTER.total_seconds() * 10))


def start_worker_heartbeat() -> None:
    def loop():
        while True:
            try:
                beat()
            except Exception:  # a cache hiccup must not stop the worker
                pass
            time.sleep(HEARTBEAT_SECONDS)

    threading.Thread(target=loop, name="minsheng-heartbeat", daemon=True).start()


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # reported, never raised: monitoring reads this
        return f"error: {exc.__class__.__name__}"


def _cache() -> str:
    try:
        cache.set("minsheng:readyz", "1", 10)
        return "ok" if cache.get("minsheng:readyz") == "1" else "error: not kept"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def _tasks(now) -> dict:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (now - oldest) if oldest else datetime.timedelta(0)
    return {"waiting": waiting.count(), "oldest_wait_seconds": int(age.total_seconds()),
            "status": "ok" if age <= BACKLOG_LIMIT else "backlog"}


def _worker(now) -> dict:
    seen = cache.get(HEARTBEAT_KEY)
    if not seen:
        return {"status": "not running", "last_seen": None}
    age = now - datetime.datetime.fromisoformat(seen)
    return {"status": "ok" if age <= STALE_AFTER else "not running", "last_seen": seen}


def report() -> dict:
    """Every check with its state; `ready` only when all are ok."""
    now = timezone.now()
    checks = {"database": _database(), "cache": _cache()}
    if checks["database"] == "ok":
        checks["tasks"] = _tasks(now)
    checks["worker"] = _worker(now)
    states = [v if isinstance(v, str) else v["status"] for v in checks.values()]
    return {"ready": all(s == "ok" for s in states), **checks, "time": now.isoformat()}
