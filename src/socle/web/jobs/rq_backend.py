"""A ``django.tasks`` backend on RQ and Redis, for deployments that run their background jobs on several
machines (``SOCLE_TASKS=rq``, see ``docs/taches.md``).

A task becomes an RQ job whose function is :func:`run_task`, a small runner that imports the task by its
module path and calls it; the job's id is the ``TaskResult``'s id, and :meth:`RQBackend.get_result` rebuilds
the result from the job and its latest RQ result. Workers are RQ's own: ``rq worker --with-scheduler -w
socle.web.jobs.rq_backend.DjangoWorker`` (the scheduler moves deferred tasks to their queue when due;
:class:`DjangoWorker` sets Django up once, before it forks a work-horse per job). With RQ's plain worker the
runner sets Django up in each work-horse (``DJANGO_SETTINGS_MODULE``, default Socle's settings), which works
but costs about a second a job.

Written for Django's built-in ``django.tasks`` (the ``django-tasks-rq`` package targets the backport).
"""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import replace
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.tasks import TaskResult, TaskResultStatus, task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskContext, TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.json import normalize_json
from django.utils.module_loading import import_string

try:
    from redis import Redis
    from rq import Queue, Worker
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, get_current_job
    from rq.results import Result
except ImportError as e:  # SOCLE_TASKS=rq without the packages
    raise ImproperlyConfigured(
        f"SOCLE_TASKS=rq demande les paquets de l'option « rq » de Socle (pip install 'socle[rq]') : {e}"
    ) from e

DEFAULT_URL = "redis://127.0.0.1:6379/0"
DEFAULT_RESULT_TTL = 7 * 24 * 3600
"""How long a finished job and its result stay readable (RQ's own default, 500 s, is too short for a page
that shows an import's outcome the next morning)."""

RUNNER = f"{__name__}.run_task"
_META_BACKEND = "socle_backend"
_META_EXCEPTION = "socle_exception_class_path"
_META_RUN_AFTER = "socle_run_after"
_JOB_ID = re.compile(r"[A-Za-z0-9_-]+")  # RQ's; RQ itself would read "a:b" as job "a"

# By value, so that a status missing from an older RQ (the rq extra asks only rq>=2.0) breaks nothing at import.
_STATUS = {
    "created": TaskResultStatus.READY,
    "queued": TaskResultStatus.READY,
    "deferred": TaskResultStatus.READY,
    "scheduled": TaskResultStatus.READY,
    "ready_to_enqueue": TaskResultStatus.READY,
    "rate_limited": TaskResultStatus.READY,
    "started": TaskResultStatus.RUNNING,
    "finished": TaskResultStatus.SUCCESSFUL,
    "failed": TaskResultStatus.FAILED,
    "stopped": TaskResultStatus.FAILED,
    "canceled": TaskResultStatus.FAILED,
}


class RQBackend(BaseTaskBackend):
    """Tasks as RQ jobs. OPTIONS: ``url`` (Redis, default ``redis://127.0.0.1:6379/0``), ``result_ttl``
    (seconds a finished job stays readable, default 7 days), ``job_timeout`` (seconds, default RQ's 180)."""

    supports_defer = True  # RQ's scheduler: workers started with --with-scheduler (socle serve does)
    supports_async_task = True  # the runner goes through Task.call, which runs a coroutine to completion
    supports_get_result = True
    supports_priority = False  # RQ has only "at the front of the queue", not an order of -100..100

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url: str = self.options.get("url") or DEFAULT_URL
        self.result_ttl: int = int(self.options.get("result_ttl", DEFAULT_RESULT_TTL))
        self.job_timeout: int | None = self.options.get("job_timeout")

    @cached_property
    def connection(self) -> Redis:
        return Redis.from_url(self.url)  # connects on first use, not here

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        queue = Queue(task.queue_name, connection=self.connection)
        meta = {_META_BACKEND: self.alias}
        if task.run_after is not None:
            meta[_META_RUN_AFTER] = task.run_after.isoformat()
        job_args = {
            "args": [task.module_path, normalize_json(list(args)), normalize_json(dict(kwargs))],
            "kwargs": {},
            "job_timeout": self.job_timeout,
            "result_ttl": self.result_ttl,
            "failure_ttl": self.result_ttl,
            "meta": meta,
            "description": task.module_path,
        }
        if task.run_after is None:
            job = queue.enqueue(RUNNER, **job_args)
        else:  # moved to the queue, when due, by the scheduler of a worker started with --with-scheduler
            job = queue.enqueue_at(task.run_after, RUNNER, **job_args)
        result = self.result_of(job, task)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        if not isinstance(result_id, str) or not _JOB_ID.fullmatch(result_id):
            raise TaskResultDoesNotExist(result_id)
        try:
            job = Job.fetch(result_id, connection=self.connection)
        except NoSuchJobError as e:
            raise TaskResultDoesNotExist(result_id) from e
        if job.func_name != RUNNER or job.meta.get(_META_BACKEND) != self.alias:
            raise TaskResultDoesNotExist(result_id)  # an RQ job, but not one of this backend's tasks
        return self.result_of(job)

    def result_of(self, job: Job, task: Task | None = None) -> TaskResult:
        """The ``TaskResult`` that an RQ job stands for, as it is now."""
        task_path, args, kwargs = job.args
        if task is None:
            task = _task_of(job, task_path, self.alias)
        status = _STATUS.get(str(job.get_status(refresh=False).value), TaskResultStatus.READY)
        errors: list[TaskError] = []
        value: Any = None
        if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            latest = job.latest_result()
            if latest is not None and latest.type == Result.Type.SUCCESSFUL:
                value = latest.return_value
            elif latest is not None and latest.exc_string:
                errors.append(
                    TaskError(
                        exception_class_path=job.meta.get(_META_EXCEPTION)
                        or _exception_path(latest.exc_string),
                        traceback=latest.exc_string,
                    )
                )
        result = TaskResult(
            task=task,
            id=job.id,
            status=status,
            enqueued_at=job.enqueued_at or job.created_at,
            started_at=job.started_at,
            finished_at=job.ended_at
            if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
            else None,
            last_attempted_at=job.started_at,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=errors,
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        object.__setattr__(result, "_return_value", value)
        return result


def run_task(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The function of every RQ job of :class:`RQBackend`: run the task named by ``task_path``."""
    _setup_django()
    job = get_current_job()
    if job is None:
        raise RuntimeError("run_task est la fonction des tâches RQ de Socle : un worker RQ l'appelle.")
    backend = task_backends[job.meta.get(_META_BACKEND, "default")]
    if not isinstance(backend, RQBackend):
        raise RuntimeError(
            f"le backend de tâches « {backend.alias} » de ce worker n'est pas RQ (SOCLE_TASKS=rq ?)"
        )
    task = _task_of(job, task_path, backend.alias)
    running = backend.result_of(job, task)
    task_started.send(type(backend), task_result=running)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=running), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
        value = normalize_json(value)  # what the database backend keeps too: JSON, or the task fails
    except BaseException as e:
        kind = type(e)
        job.meta[_META_EXCEPTION] = f"{kind.__module__}.{kind.__qualname__}"
        job.save_meta()
        error = TaskError(
            exception_class_path=job.meta[_META_EXCEPTION], traceback="".join(traceback.format_exception(e))
        )
        failed = replace(running, status=TaskResultStatus.FAILED, finished_at=timezone.now(), errors=[error])
        task_finished.send(type(backend), task_result=failed)
        raise
    else:
        done = replace(running, status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
        object.__setattr__(done, "_return_value", value)
        task_finished.send(type(backend), task_result=done)
        return value
    finally:
        _close_connections()


def _task_of(job: Job, task_path: str, alias: str) -> Task:
    """The task as it was enqueued: imported by its path, with the job's backend, queue and date."""
    run_after = job.meta.get(_META_RUN_AFTER)
    return replace(
        import_string(task_path),
        backend=alias,
        queue_name=job.origin,
        run_after=datetime.fromisoformat(run_after) if run_after else None,
    )


class DjangoWorker(Worker):
    """RQ's forking worker, with Django set up once in the worker before its work-horses are forked (they
    inherit the loaded apps; the worker itself never opens a database connection, so none is shared)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _setup_django()
        super().__init__(*args, **kwargs)


def _setup_django() -> None:
    """RQ's plain worker does not set Django up: then the first job of a process does."""
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socle.web.settings")
        django.setup()


def _close_connections() -> None:
    """A forked work-horse exits after its job: close its database connections cleanly (but never one in
    a transaction that is not the job's, as in a test run by a worker inside the test process)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def _exception_path(exc_string: str) -> str:
    """The exception's dotted path from the last line of a traceback (a job that failed outside the
    runner, e.g. killed on its timeout: ``rq.timeouts.JobTimeoutException: …``)."""
    lines = exc_string.strip().splitlines()
    name = lines[-1].split(":", 1)[0].strip() if lines else ""
    if not re.fullmatch(r"[A-Za-z_][\w.]*", name):
        return "builtins.Exception"
    return name if "." in name else f"builtins.{name}"
