"""Background jobs: a real task run by the database backend's worker (``db_worker``) and by the RQ backend
against the real Redis server (an RQ worker in the test process), results read back through
``django.tasks``; the choice of backend from the environment; the worker ``socle serve`` starts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.tasks import TaskContext, TaskResultStatus, task
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.utils import timezone
from pytest_django.fixtures import Settings
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from socle.web.datasets.models import DraftRow
from socle.web.jobs import RQ_BACKEND, worker_command
from socle.web.jobs.tasks import count_draft_rows
from tests.web.conftest import World

ROOT = Path(__file__).resolve().parents[2]
MISSING = 10**9  # no dataset has this id


def _draft(world: World) -> dict[str, int]:
    """Three draft rows, one of them with errors; what ``count_draft_rows`` must answer."""
    for position, errors in enumerate([0, 2, 0], start=1):
        DraftRow.objects.create(
            dataset=world.dataset, position=position, cells={"nomAttribuant": "x"}, errors=errors
        )
    return {"dataset": world.dataset.pk, "rows": 3, "with_errors": 1}


def _keeping_signals(work: object) -> None:
    """Workers install their own SIGINT/SIGTERM handlers: put pytest's back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        work()  # type: ignore[operator]
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


# The database backend (the default) ------------------------------------------------------------------


def _db_worker() -> None:
    """``db_worker --batch``: run every waiting task, then return."""
    _keeping_signals(
        lambda: call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_runs_a_task_and_keeps_its_result(world: World) -> None:
    expected = _draft(world)
    enqueued = count_draft_rows.enqueue(world.dataset.pk)
    assert enqueued.backend == "default" and enqueued.status == TaskResultStatus.READY

    _db_worker()

    result = count_draft_rows.get_result(enqueued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value == expected and result.errors == []
    assert result.started_at is not None and result.finished_at is not None
    enqueued.refresh()
    assert enqueued.status == TaskResultStatus.SUCCESSFUL and enqueued.return_value == expected


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_records_a_failed_task_with_its_error(world: World) -> None:
    enqueued = count_draft_rows.enqueue(MISSING)

    _db_worker()

    result = count_draft_rows.get_result(enqueued.id)
    assert result.status == TaskResultStatus.FAILED
    [error] = result.errors
    assert error.exception_class_path == "socle.web.datasets.models.Dataset.DoesNotExist"
    assert "Traceback" in error.traceback and "does not exist" in error.traceback
    with pytest.raises(ValueError, match="failed"):
        result.return_value  # noqa: B018


# The RQ backend, against the real Redis server ------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of the Redis server that ``scripts/services.sh redis`` starts (``./test`` starts it)."""
    run = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), "redis"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if run.returncode != 0 or not run.stdout.strip():
        pytest.fail(
            f"Redis est nécessaire à ces tests : « scripts/services.sh redis » a échoué (code {run.returncode}).\n"
            f"{run.stderr.strip()}\nLancez « scripts/services.sh install » puis relancez les tests.",
            pytrace=False,
        )
    url = run.stdout.strip().splitlines()[-1]
    try:
        Redis.from_url(url, socket_timeout=5).ping()
    except RedisError as e:
        pytest.fail(f"Redis ne répond pas à {url} : {e}", pytrace=False)
    return url


@pytest.fixture
def rq_queue(redis_url: str, settings: Settings) -> Iterator[str]:
    """A backend ``rq`` on a queue of its own (parallel runs never take each other's jobs), emptied after."""
    name = f"socle-test-{uuid.uuid4().hex}"
    settings.TASKS = {
        **settings.TASKS,
        "rq": {"BACKEND": RQ_BACKEND, "QUEUES": [name], "OPTIONS": {"url": redis_url, "result_ttl": 600}},
    }
    yield name
    _forget_queue(redis_url, name)


def _forget_queue(url: str, name: str) -> None:
    """Delete a test queue, its jobs and their results from Redis."""
    connection = Redis.from_url(url)
    Queue(name, connection=connection).delete(delete_jobs=True)
    for registry in ("finished", "failed", "started", "scheduled"):
        for job_id in connection.zrange(f"rq:{registry}:{name}", 0, -1):
            job = job_id.decode().split(":")[0]
            connection.delete(f"rq:job:{job}", f"rq:results:{job}", f"rq:executions:{job}")
    for key in connection.scan_iter(match=f"rq:*{name}*"):
        connection.delete(key)


def _rq_burst(queue_name: str, url: str) -> None:
    """An RQ worker in this process (``SimpleWorker`` does not fork) runs the queue's jobs, those deferred
    ones that are due included, then returns."""
    connection = Redis.from_url(url)
    worker = SimpleWorker([Queue(queue_name, connection=connection)], connection=connection)
    _keeping_signals(lambda: worker.work(burst=True, logging_level="WARNING", with_scheduler=True))


def test_the_rq_backend_runs_a_task_and_gives_its_result(world: World, rq_queue: str, redis_url: str) -> None:
    expected = _draft(world)
    task = count_draft_rows.using(backend="rq", queue_name=rq_queue)
    enqueued = task.enqueue(world.dataset.pk)
    assert enqueued.backend == "rq" and enqueued.status == TaskResultStatus.READY
    assert enqueued.args == [world.dataset.pk] and enqueued.kwargs == {}
    waiting = task.get_result(enqueued.id)
    assert waiting.status == TaskResultStatus.READY and waiting.started_at is None

    _rq_burst(rq_queue, redis_url)

    result = task.get_result(enqueued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.id == enqueued.id and result.task.queue_name == rq_queue
    assert result.return_value == expected and result.errors == []
    assert result.enqueued_at is not None and result.started_at is not None and result.finished_at is not None
    assert result.enqueued_at <= result.started_at <= result.finished_at
    assert result.attempts == 1
    enqueued.refresh()
    assert enqueued.status == TaskResultStatus.SUCCESSFUL and enqueued.return_value == expected


def test_the_rq_backend_records_a_failed_task_with_its_error(
    world: World, rq_queue: str, redis_url: str
) -> None:
    task = count_draft_rows.using(backend="rq", queue_name=rq_queue)
    enqueued = task.enqueue(dataset_id=MISSING)

    _rq_burst(rq_queue, redis_url)

    result = task.get_result(enqueued.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.kwargs == {"dataset_id": MISSING}
    [error] = result.errors
    assert error.exception_class_path == "socle.web.datasets.models.Dataset.DoesNotExist"
    assert "Traceback" in error.traceback and "does not exist" in error.traceback
    assert result.finished_at is not None
    with pytest.raises(ValueError, match="failed"):
        result.return_value  # noqa: B018


def test_the_rq_backend_defers_a_task_until_it_is_due(world: World, rq_queue: str, redis_url: str) -> None:
    task = count_draft_rows.using(backend="rq", queue_name=rq_queue)
    later = task.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(world.dataset.pk)
    due = task.using(run_after=timezone.now() - timedelta(seconds=1)).enqueue(world.dataset.pk)
    assert later.status == due.status == TaskResultStatus.READY

    _rq_burst(rq_queue, redis_url)

    later.refresh()
    due.refresh()
    assert later.status == TaskResultStatus.READY and later.started_at is None
    assert task.get_result(later.id).task.run_after == later.task.run_after
    assert due.status == TaskResultStatus.SUCCESSFUL, due.errors
    assert due.return_value == {"dataset": world.dataset.pk, "rows": 0, "with_errors": 0}


@task(takes_context=True)
async def doubled(context: TaskContext, value: int) -> dict[str, object]:
    """An async task that takes the context (the backend says it supports both)."""
    return {"value": 2 * value, "id": context.task_result.id, "attempt": context.attempt}


def test_the_rq_backend_runs_async_tasks_with_their_context(rq_queue: str, redis_url: str) -> None:
    enqueued = doubled.using(backend="rq", queue_name=rq_queue).enqueue(21)

    _rq_burst(rq_queue, redis_url)

    enqueued.refresh()
    assert enqueued.status == TaskResultStatus.SUCCESSFUL, enqueued.errors
    assert enqueued.return_value == {"value": 42, "id": enqueued.id, "attempt": 1}


def test_the_rq_backend_knows_only_its_own_jobs(rq_queue: str, redis_url: str, settings: Settings) -> None:
    from django.tasks import task_backends

    backend = task_backends["rq"]
    for unknown in (uuid.uuid4().hex, "pas:un-identifiant", ""):
        with pytest.raises(TaskResultDoesNotExist):
            backend.get_result(unknown)
    # A job of the same Redis that is not one of this backend's tasks.
    other = Queue(rq_queue, connection=Redis.from_url(redis_url)).enqueue("builtins.len", "abc")
    with pytest.raises(TaskResultDoesNotExist):
        backend.get_result(other.id)
    with pytest.raises(InvalidTask, match="priority"):
        count_draft_rows.using(backend="rq", queue_name=rq_queue, priority=10)


def test_every_rq_status_has_its_task_status() -> None:
    from rq.job import JobStatus

    from socle.web.jobs.rq_backend import _STATUS

    assert {status.value for status in JobStatus} <= set(_STATUS)


def test_a_failure_outside_the_task_is_named_from_the_traceback() -> None:
    """A job killed on its timeout or with its work-horse never reaches the runner's own record."""
    from socle.web.jobs.rq_backend import _exception_path

    timeout = "Traceback (most recent call last):\n  ...\nrq.timeouts.JobTimeoutException: Task exceeded maximum timeout value (1 seconds)\n"
    assert _exception_path(timeout) == "rq.timeouts.JobTimeoutException"
    assert _exception_path("Traceback…\nValueError: x: y\n") == "builtins.ValueError"
    assert (
        _exception_path("Work-horse terminated unexpectedly; waitpid returned 9 (signal 9); ")
        == "builtins.Exception"
    )
    assert _exception_path("") == "builtins.Exception"


# Configuration: the backend chosen by the environment, the worker that ``socle serve`` starts --------


def _tasks_setting(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SOCLE_")}
    code = "from socle.web import settings; print(settings.TASKS['default']['BACKEND'], settings.TASKS['default'].get('OPTIONS'))"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "SOCLE_HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_environment_chooses_the_backend(tmp_path: Path) -> None:
    default = _tasks_setting(tmp_path)
    assert default.returncode == 0, default.stderr
    assert default.stdout.split()[0] == "django_tasks_db.DatabaseBackend"
    rq = _tasks_setting(tmp_path, SOCLE_TASKS="rq", SOCLE_REDIS_URL="redis://127.0.0.1:6390/3")
    assert rq.returncode == 0, rq.stderr
    assert rq.stdout.strip() == f"{RQ_BACKEND} {{'url': 'redis://127.0.0.1:6390/3'}}"
    wrong = _tasks_setting(tmp_path, SOCLE_TASKS="celery")
    assert wrong.returncode != 0 and "SOCLE_TASKS : « celery » inconnu" in wrong.stderr


def test_rq_without_its_packages_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['rq'] = None\n"  # as if the rq extra were not installed
        "from socle.web.cli import setup; setup()\n"
        "from django.tasks import task_backends; task_backends['default']"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SOCLE_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "SOCLE_HOME": str(tmp_path), "SOCLE_TASKS": "rq"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert (
        "SOCLE_TASKS=rq demande les paquets de l'option « rq » de Socle (pip install 'socle[rq]')"
        in done.stderr
    )


def test_socle_serve_starts_the_worker_of_the_configured_backend(settings: Settings) -> None:
    command, env = worker_command()
    assert command[1:] == ["-m", "socle.web.manage", "db_worker", "--interval", "0.25"] and env == {}
    settings.TASKS = {
        "default": {
            "BACKEND": RQ_BACKEND,
            "QUEUES": ["default", "imports"],
            "OPTIONS": {"url": "redis://h:6379/2"},
        }
    }
    command, env = worker_command()
    assert command[1:] == [
        "-m",
        "rq.cli",
        "worker",
        "--with-scheduler",
        "--worker-class",
        "socle.web.jobs.rq_backend.DjangoWorker",
        "default",
        "imports",
    ]
    assert env == {"RQ_REDIS_URL": "redis://h:6379/2"}


# The documented way: ``rq worker`` (forking work-horses) with a settings module ---------------------------

_ENQUEUE = """
import sys
from socle.web.cli import setup
setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from socle.web.datasets.models import Dataset, DraftRow
from socle.web.jobs.tasks import count_draft_rows
from socle.web.territories.models import Authority, Kind
authority = Authority.from_cog(Kind.COMMUNE, "35076")
authority.save()
dataset = Dataset.objects.create(
    authority=authority, slug="s", schema_name="scdl/subventions", schema_version="2.1.1", title="t"
)
DraftRow.objects.create(dataset=dataset, position=1, errors=1)
task = count_draft_rows.using(queue_name=sys.argv[1])
print(task.enqueue(dataset.pk).id, task.enqueue(dataset.pk + 1).id)
"""

_READ = """
import json, sys
from socle.web.cli import setup
setup()
from socle.web.jobs.tasks import count_draft_rows
done, failed = (count_draft_rows.get_result(i) for i in sys.argv[1:])
print(json.dumps([done.status, done.return_value, failed.status, failed.errors[0].exception_class_path]))
"""


@pytest.mark.slow
def test_rq_worker_runs_the_tasks_with_the_settings_module(tmp_path: Path, redis_url: str) -> None:
    queue = f"socle-test-{uuid.uuid4().hex}"
    (tmp_path / "rq_settings.py").write_text(
        "from socle.web.settings import *  # noqa: F403\n"
        f"TASKS = {{'default': {{'BACKEND': {RQ_BACKEND!r}, 'QUEUES': ['default', {queue!r}], 'OPTIONS': {{'url': {redis_url!r}}}}}}}\n",
        encoding="utf-8",
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SOCLE_", "DATABASE_URL"))}
    env = {
        **environ,
        "SOCLE_HOME": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "rq_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }

    def run(*argv: str) -> str:
        done = subprocess.run(
            argv, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    try:
        ids = run(sys.executable, "-c", _ENQUEUE, queue).split()
        rq = str(Path(sys.executable).parent / "rq")
        # RQ's plain worker for the first job (Django set up in the work-horse), Socle's for the second.
        run(rq, "worker", "--burst", "--max-jobs", "1", "--url", redis_url, queue)
        run(
            rq,
            "worker",
            "--burst",
            "--with-scheduler",
            "-w",
            f"{RQ_BACKEND.rsplit('.', 1)[0]}.DjangoWorker",
            "--url",
            redis_url,
            queue,
        )
        assert json.loads(run(sys.executable, "-c", _READ, *ids)) == [
            "SUCCESSFUL",
            {"dataset": 1, "rows": 1, "with_errors": 1},
            "FAILED",
            "socle.web.datasets.models.Dataset.DoesNotExist",
        ]
    finally:
        _forget_queue(redis_url, queue)
