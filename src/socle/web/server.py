"""The platform's processes: gunicorn (threads, several processes) for the pages, and one worker
process for background jobs (``django_tasks_db``'s ``db_worker``, or ``rq worker`` with ``SOCLE_TASKS=rq``)."""

from __future__ import annotations

import os
import subprocess
from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from socle.web.wsgi import application

        return application


def run(host: str, port: int, workers: int) -> int:
    """Serve until interrupted; the job worker stops with the server."""
    from socle.web.jobs import worker_command

    command, worker_env = worker_command()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "socle.web.settings", **worker_env}
    worker = subprocess.Popen(command, env=env)
    try:
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": max(1, workers),
                "worker_class": "gthread",
                "threads": 8,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "timeout": 120,
            }
        ).run()
    except KeyboardInterrupt:
        pass
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0
