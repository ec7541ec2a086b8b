"""The production application server: gunicorn with threaded workers (decision 0007).

One worker process per core, each with a few threads (the work is database-bound, so
threads overlap the waits); `kill -HUP <master>` reloads the code gracefully, finishing
requests in flight. The access log carries each request's id (the X-Request-ID the
platform answers with), so a log line leads to the audit entries of the same request."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication

ACCESS_LOG_FORMAT = ('%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s')


def options(host: str, port: int) -> dict:
    cores = os.cpu_count() or 1
    return {
        "bind": f"{host}:{port}",
        "workers": int(os.environ.get("MINSHENG_WORKERS", cores)),
        "worker_class": "gthread",
        "threads": int(os.environ.get("MINSHENG_THREADS", 4)),
        "timeout": 60,
        "graceful_timeout": 30,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        # logs in the district's logging, not a second format
        "capture_output": False,
    }


class Server(BaseApplication):
    def __init__(self, host: str, port: int):
        self._options = options(host, port)
        super().__init__()

    def load_config(self):
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        from minsheng.config.wsgi import application

        return application


def run(host: str, port: int) -> None:
    Server(host, port).run()
