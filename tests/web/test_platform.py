"""The platform as a whole: health check, error pages, demo data, datasets and their audit trail,
SQLite's settings, and ``socle serve`` for real."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from socle.web.datasets.models import AuditEvent, Dataset
from socle.web.demo import DEMO_PASSWORD, load_demo
from socle.web.territories.models import Authority
from tests.web.conftest import World, client_of


def test_healthz_answers_when_the_database_does(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_unknown_pages_are_french_404(db: None) -> None:
    response = Client().get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_demo_data_gives_working_logins(db: None) -> None:
    logins = load_demo()
    assert len(logins) == 3 and load_demo() == []  # once only
    atd = Authority.objects.get(is_atd=True)
    assert atd.name == "Ille-et-Vilaine" and atd.accompanied.count() == 12
    assert all(a.siret.startswith(a.siren) and len(a.siret) == 14 for a in Authority.objects.all())
    client = Client()
    assert (
        client.post(
            "/connexion/", {"username": "animateur@demo.socle.fr", "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )
    body = client.get("/").content.decode()
    assert "Ille-et-Vilaine" in body and "Rennes" in body
    assert Dataset.objects.count() == 3


def test_a_contributor_creates_a_dataset_and_the_trail_says_so(world: World) -> None:
    client = client_of(world.people["contrib-chavagne"])
    form = client.get(f"/c/{world.chavagne.slug}/jeux/nouveau/").content.decode()
    assert "scdl/subventions" in form and "Socle commun des données locales" in form
    schema = next(value for value in _options(form) if value.startswith("scdl/deliberations@"))
    bad = client.post(
        f"/c/{world.chavagne.slug}/jeux/nouveau/",
        {
            "schema": schema,
            "title": "",
            "licence": "etalab-2.0",
            "frequency": "annual",
            "temporal_start": "2026-01-01",
            "temporal_end": "2025-01-01",
        },
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Ce champ est obligatoire." in text and "avant son début" in text
    done = client.post(
        f"/c/{world.chavagne.slug}/jeux/nouveau/",
        {
            "schema": schema,
            "title": "Délibérations 2026",
            "licence": "etalab-2.0",
            "frequency": "monthly",
            "keywords": "conseil, délibérations",
        },
    )
    assert done.status_code == 302
    dataset = world.chavagne.datasets.get(slug="deliberations-2026")
    assert dataset.schema_name == "scdl/deliberations" and dataset.keywords == ["conseil", "délibérations"]
    event = AuditEvent.objects.get(dataset=dataset)
    assert event.user == world.people["contrib-chavagne"] and event.action == "created"
    # The authority's trail shows it, to the ATD's animator too.
    trail = client_of(world.people["animateur"]).get(f"/c/{world.chavagne.slug}/journal/").content.decode()
    assert "Délibérations 2026" in trail and "contrib-chavagne@exemple.fr" in trail


def _options(html: str) -> list[str]:
    import re

    return re.findall(r'<option value="([^"]+)"', html)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socle.web import config

    monkeypatch.delenv("DATABASE_URL", raising=False)  # the default: SQLite in SOCLE_HOME
    settings = config.database(tmp_path)
    import sqlite3

    conn = sqlite3.connect(settings["NAME"])
    for command in settings["OPTIONS"]["init_command"].split(";"):
        if command.strip():
            conn.execute(command)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_socle_serve_starts_the_platform_with_demo_data(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "SOCLE_HOME": str(tmp_path / "etat")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # SQLite in SOCLE_HOME, never the database of another run
    process = subprocess.Popen(
        [sys.executable, "-m", "socle.cli", "serve", "--demo", "--port", str(port), "--processus", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    assert json.loads(answer.read()) == {"status": "ok"}
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(
                        process.stdout.read() if process.poll() is not None else "délai"
                    ) from None
                time.sleep(0.3)
        assert (tmp_path / "etat" / "socle.sqlite3").exists()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "secretaire@demo.socle.fr" in output and f"http://127.0.0.1:{port}/" in output


def test_validating_a_file_does_not_import_django() -> None:
    # The core's commands never load the web platform (nor pay for importing Django).
    code = (
        "import sys; from socle.cli import main; main(['demo', '--format', 'json']); "
        "print('django' in sys.modules, 'socle.web' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert json.loads(result.stdout)["valid"] is False  # the sample has errors, on purpose
    assert result.stderr.strip().splitlines()[-1] == "False False"


def test_database_url_selects_postgresql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from socle.web import config

    monkeypatch.setenv("DATABASE_URL", "postgresql://moi:secr%C3%A8t@db.exemple.fr:6543/socle")
    settings = config.database(tmp_path)
    assert (
        settings["ENGINE"],
        settings["USER"],
        settings["PASSWORD"],
        settings["HOST"],
        settings["PORT"],
    ) == ("django.db.backends.postgresql", "moi", "secrèt", "db.exemple.fr", "6543")
    monkeypatch.setenv("DATABASE_URL", "mysql://x@y/z")
    with pytest.raises(ImproperlyConfigured, match="inconnu"):
        config.database(tmp_path)


def test_the_database_is_the_configured_one(db: None) -> None:
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
