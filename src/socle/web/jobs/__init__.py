"""Background jobs: ``django.tasks`` on the database by default (``django_tasks_db``, nothing to install),
on RQ and Redis with ``SOCLE_TASKS=rq`` (:mod:`socle.web.jobs.rq_backend`). See ``docs/taches.md``."""

from __future__ import annotations

import sys

RQ_BACKEND = "socle.web.jobs.rq_backend.RQBackend"


def worker_command() -> tuple[list[str], dict[str, str]]:
    """The command (and the environment it adds) of the job worker that ``socle serve`` starts next to
    the web server: RQ's ``rq worker`` on the default backend's Redis and queues when it is RQ (the URL in
    the environment, where ``ps`` does not show its password), else ``db_worker``."""
    from django.conf import settings

    backend = settings.TASKS["default"]
    if backend["BACKEND"] == RQ_BACKEND:
        from socle.web.jobs.rq_backend import DEFAULT_URL

        url = backend.get("OPTIONS", {}).get("url") or DEFAULT_URL
        queues = backend.get("QUEUES") or ["default"]
        # --with-scheduler: tasks deferred with run_after join their queue when they are due.
        worker = ["worker", "--with-scheduler", "--worker-class", f"{__name__}.rq_backend.DjangoWorker"]
        return [sys.executable, "-m", "rq.cli", *worker, *queues], {"RQ_REDIS_URL": url}
    # Polled four times a second when idle: a cheap query, and an import waits a quarter of a second.
    return [sys.executable, "-m", "socle.web.manage", "db_worker", "--interval", "0.25"], {}
