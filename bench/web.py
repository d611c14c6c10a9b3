"""Benchmark of the web platform, served as in production (``socle serve``: gunicorn and its job worker),
on SQLite and then on PostgreSQL:

1. **load**: ``--users`` people (default 50), each logged in to a commune of their own (all of them
   before the measured period starts), enter rows in the form and read their grid for ``--duration``
   seconds (default 120), with a think time between actions (``--think``, 1 s on average: people
   read what they typed). Per action: p50/p95/p99 latency, errors (any answer that is not the
   expected one), rows lost (rows the server said it added, missing from the database at the end).
   Targets: p95 ≤ 150 ms, 0 errors, 0 lost.
2. **grid**: pages of a 50,000-row draft (first, middle, last, sorted, errors only). Target ≤ 200 ms.
3. **import**: a messy 100,000-row subventions file (``bench/import.py``'s) uploaded, analysed,
   checked and imported through the pages, timed from the upload to the last row in the draft; twice:
   the proposed choices kept (the analysis' rows are imported), then one fix rule refused (the file
   is read again with the person's choices). Target ≤ 10 s.

The load generator is this script: one thread and one keep-alive HTTP connection per person. It runs
on the same 2 cores as the server, which it slows a little (its own CPU time is printed). Usage::

    .venv/bin/python bench/web.py [--users 50] [--duration 120] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

PASSWORD = "banc-d-essai-2026"
TARGET_P95_MS = 150.0
TARGET_GRID_MS = 200.0
TARGET_IMPORT_S = 10.0

SETUP = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from socle.referentials import cog
from socle.schemas.describe import list_schemas
from socle.validation.records import validate_records
from socle.schemas import load_schema
from socle.web.accounts.models import Membership, Role, User
from socle.web.datasets.models import Dataset, DraftRow
from socle.web.datasets import draft
from socle.web.demo import demo_siret
from socle.web.territories.models import Authority, Kind

users, grid_rows, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
version = {s.name: s.latest for s in list_schemas(scdl_only=True)}["scdl/subventions"]
communes = [c for c in cog.communes_of_departement("29") if c.siren][: users + 1]
people = []
for index, commune in enumerate(communes):
    authority = Authority.from_cog(Kind.COMMUNE, commune.code)
    authority.siret = demo_siret(authority.siren)
    authority.save()
    dataset = Dataset.objects.create(
        authority=authority, slug="subventions", schema_name="scdl/subventions", schema_version=version,
        title=f"Subventions de {authority.name}",
    )
    user = User.objects.create_user(f"banc-{index}@exemple.fr", password)
    Membership.objects.create(user=user, authority=authority, role=Role.CONTRIBUTOR)
    people.append({"email": user.email, "slug": authority.slug, "dataset": dataset.slug,
                   "name": authority.name, "siret": authority.siret})

def row(person, k):
    return {
        "nomAttribuant": person["name"], "idAttribuant": person["siret"], "dateConvention": "2026-03-01",
        "referenceDecision": f"DEL-{k}", "nomBeneficiaire": f"Association numéro {k}",
        "idBeneficiaire": person["siret"], "objet": "Fonctionnement annuel", "montant": f"{1000 + k}.50",
        "nature": "aide en numéraire", "conditionsVersement": "unique", "datesPeriodeVersement": "2026-04-01",
        "notificationUE": "non", "pourcentageSubvention": "0.5",
    }

big = people.pop()  # the last commune holds the large draft
schema = load_schema(f"scdl/subventions@{version}")
report = validate_records(schema, [row(big, 1)])
assert report.valid, report.findings.select("field", "message").rows()
DraftRow.objects.bulk_create(
    (DraftRow(dataset_id=Dataset.objects.get(authority__slug=big["slug"]).pk, position=k + 1,
              cells={**row(big, k), "montant": "oups" if k % 37 == 0 else row(big, k)["montant"]})
     for k in range(grid_rows)),
    batch_size=2000,
)
draft.revalidate(Dataset.objects.get(authority__slug=big["slug"]), schema)
print(json.dumps({"people": people, "big": big, "row": row(big, 0)}))
"""

COUNT = r"""
import json, django
django.setup()
from socle.web.datasets.models import DraftRow
print(json.dumps({r["dataset__authority__slug"]: r["n"] for r in
    DraftRow.objects.values("dataset__authority__slug").annotate(n=__import__("django").db.models.Count("id"))}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def django_script(code: str, env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=REPO, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"échec de la préparation :\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    """``socle serve`` in its own process group, stopped with it."""

    def __init__(self, env: dict[str, str], port: int, workers: int | None) -> None:
        self.port = port
        count = [] if workers is None else ["--processus", str(workers)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "socle.cli", "serve", "--port", str(port), *count],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("le serveur ne répond pas sur /healthz")

    def stop(self) -> None:
        import signal

        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


class Session:
    """One person's browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, bytes, float, dict[str, str]]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt:
                    raise
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, elapsed, dict(response.headers)

    def get(self, path: str) -> tuple[int, bytes, float, dict[str, str]]:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, Any]) -> tuple[int, bytes, float, dict[str, str]]:
        body = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}, doseq=True
        ).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def login(self, email: str) -> None:
        self.get("/connexion/")
        status, _, _, _ = self.post("/connexion/", {"username": email, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"connexion impossible pour {email} ({status})")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, action: str, ms: float, ok: bool) -> None:
        with self.lock:
            self.latencies.setdefault(action, []).append(ms)
            if not ok:
                self.errors[action] = self.errors.get(action, 0) + 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def person_loop(
    port: int,
    person: dict[str, str],
    row: dict[str, str],
    period: tuple[threading.Barrier, list[float]],
    think: float,
    tally: Tally,
    seed: int,
) -> None:
    rng = random.Random(seed)
    session = Session(port)
    session.login(person["email"])
    base = f"/c/{person['slug']}/jeux/{person['dataset']}"
    count = 0
    # Everyone is logged in before the measured period starts (50 password checks at the same
    # instant would measure the password hasher, not the entry of rows).
    start, stop = period
    start.wait()
    while time.monotonic() < stop[0]:
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        choice = rng.random()
        try:
            if choice < 0.4:  # enter a row
                cells = {
                    **row,
                    "nomAttribuant": person["name"],
                    "idAttribuant": person["siret"],
                    "idBeneficiaire": person["siret"],
                    "referenceDecision": f"B-{seed}-{count}",
                }
                status, _, ms, headers = session.post(f"{base}/saisie/", {**cells, "garder": "1"})
                ok = status == 302 and "saisie" in headers.get("Location", "")
                if ok:
                    with tally.lock:
                        tally.added[person["slug"]] = tally.added.get(person["slug"], 0) + 1
                count += 1
                tally.note("saisir une ligne (POST)", ms, ok)
            elif choice < 0.7:  # read the grid
                status, _, ms, _ = session.get(f"{base}/grille/")
                tally.note("lire la grille", ms, status == 200)
            elif choice < 0.9:  # open the form
                status, _, ms, _ = session.get(f"{base}/saisie/")
                tally.note("ouvrir le formulaire", ms, status == 200)
            else:
                status, _, ms, _ = session.get(f"{base}/")
                tally.note("page du jeu", ms, status == 200)
        except (OSError, http.client.HTTPException):
            tally.note("exception", 0.0, False)


def run_load(
    port: int, setup: dict[str, Any], users: int, duration: float, think: float, env: dict[str, str]
) -> dict[str, Any]:
    tally = Tally()
    people = setup["people"][:users]
    stop: list[float] = []
    cpu: list[float] = []

    def begin() -> None:  # run by the barrier once everyone is logged in
        stop.append(time.monotonic() + duration)
        cpu.append(time.process_time())

    period = (threading.Barrier(len(people), action=begin), stop)
    threads = [
        threading.Thread(target=person_loop, args=(port, person, setup["row"], period, think, tally, i))
        for i, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = django_script(COUNT, env)
    lost = sum(max(0, added - stored.get(slug, 0)) for slug, added in tally.added.items())
    every = [ms for values in tally.latencies.values() for ms in values]
    return {
        "users": users,
        "duration_s": duration,
        "think_s": think,
        "requests": len(every),
        "errors": sum(tally.errors.values()),
        "rows_added": sum(tally.added.values()),
        "rows_lost": lost,
        "p50_ms": percentile(every, 0.50),
        "p95_ms": percentile(every, 0.95),
        "p99_ms": percentile(every, 0.99),
        "client_cpu_s": round(time.process_time() - cpu[0], 1),
        "by_action": {
            action: {
                "n": len(values),
                "p50_ms": percentile(values, 0.5),
                "p95_ms": percentile(values, 0.95),
                "p99_ms": percentile(values, 0.99),
                "max_ms": max(values, default=0.0),
                "errors": tally.errors.get(action, 0),
            }
            for action, values in sorted(tally.latencies.items())
        },
    }


def run_grid(port: int, setup: dict[str, Any], rows: int, repeat: int = 15) -> dict[str, Any]:
    big = setup["big"]
    session = Session(port)
    session.login(big["email"])
    base = f"/c/{big['slug']}/jeux/{big['dataset']}/grille/"
    last = (rows + 49) // 50
    pages = {
        "page 1": base,
        "page du milieu": f"{base}?page={last // 2}",
        "dernière page": f"{base}?page={last}",
        "triée par montant, page 300": f"{base}?tri=montant&ordre=desc&page=300",
        "lignes en erreur, page 5": f"{base}?erreurs=1&page=5",
    }
    found: dict[str, Any] = {}
    for label, path in pages.items():
        times = []
        for _ in range(repeat):
            status, _body, ms, _ = session.get(path)
            if status != 200:
                raise SystemExit(f"grille {label} : statut {status}")
            times.append(ms)
        found[label] = {"p50_ms": statistics.median(times), "max_ms": max(times)}
    return found


def _multipart(name: str, filename: str, content: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = f"----socle{random.randrange(10**12)}"
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _wait(session: Session, path: str, wanted: set[str], timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, body, _, _ = session.get(path)
        state = json.loads(body)
        if state["status"] in wanted:
            return state
        if state["status"] == "failed":
            raise SystemExit("l'import a échoué")
        time.sleep(0.1)
    raise SystemExit("l'import ne finit pas")


def run_import(port: int, setup: dict[str, Any], rows: int, refuse_one: bool = False) -> dict[str, Any]:
    """Upload, analysis, choices, import. ``refuse_one``: the person refuses one fix rule, so the import
    cannot reuse the analysis' rows and runs the pipeline again with her choices."""
    bench_import = importlib.import_module("import")
    path, _ = bench_import.write_messy(rows, 1)
    person = setup["people"][0]
    session = Session(port)
    session.login(person["email"])
    base = f"/c/{person['slug']}/jeux/{person['dataset']}/import/"
    session.get(base)
    content = path.read_bytes()
    body, content_type = _multipart(
        "fichier",
        path.name,
        content,
        {"csrfmiddlewaretoken": session.cookies["csrftoken"], "mode": "remplacer"},
    )
    started = time.perf_counter()
    status, _, _, headers = session.request("POST", base, body, content_type)
    if status != 302:
        raise SystemExit(f"dépôt refusé ({status})")
    run_path = urllib.parse.urlsplit(headers["Location"]).path
    _wait(session, f"{run_path}etat.json", {"ready"})
    analysed = time.perf_counter() - started
    _, page, _, _ = session.get(run_path)
    html = page.decode()
    choices: dict[str, Any] = {}
    for column, options in re.findall(r'<select name="(colonne-\d+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        choices[column] = selected.group(1) if selected else ""
    choices["regle"] = re.findall(r'name="regle" value="([^"]+)" checked', html)
    if refuse_one:
        choices["regle"] = choices["regle"][1:]
    status, _, _, _ = session.post(run_path, choices)
    if status != 302:
        raise SystemExit(f"choix refusés ({status})")
    _wait(session, f"{run_path}etat.json", {"done"})
    total = time.perf_counter() - started
    return {
        "rows": rows,
        "bytes": len(content),
        "refused_rule": refuse_one,
        "analysis_s": round(analysed, 2),
        "total_s": round(total, 2),
    }


def postgres_database() -> tuple[str, str]:
    """A fresh database for this run on the services' PostgreSQL: (URL, name)."""
    url = subprocess.run(
        [str(REPO / "scripts" / "services.sh"), "postgres"], capture_output=True, text=True, check=True
    ).stdout.strip()
    import psycopg

    name = f"socle_banc_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), url


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="socle-banc-web-") as home:
        env = {**os.environ, "SOCLE_HOME": home, "DJANGO_SETTINGS_MODULE": "socle.web.settings"}
        env.pop("DATABASE_URL", None)
        admin_url = name = ""
        if backend == "postgresql":
            url, admin_url = postgres_database()
            name = urllib.parse.urlsplit(url).path.lstrip("/")
            env["DATABASE_URL"] = url
        try:
            print(
                f"[{backend}] préparation : {args.users} communes, un brouillon de {args.grid_rows} lignes…",
                flush=True,
            )
            setup = django_script(SETUP, env, str(args.users), str(args.grid_rows), PASSWORD)
            server = Server(env, free_port(), args.workers)
            try:
                result: dict[str, Any] = {"backend": backend}
                if not args.skip_load:
                    print(
                        f"[{backend}] charge : {args.users} personnes pendant {args.duration:.0f} s…",
                        flush=True,
                    )
                    result["load"] = run_load(server.port, setup, args.users, args.duration, args.think, env)
                if not args.skip_grid:
                    print(f"[{backend}] grille de {args.grid_rows} lignes…", flush=True)
                    result["grid"] = run_grid(server.port, setup, args.grid_rows)
                if not args.skip_import:
                    print(f"[{backend}] import de {args.import_rows} lignes…", flush=True)
                    result["import"] = run_import(server.port, setup, args.import_rows)
                    result["import_refused_rule"] = run_import(
                        server.port, setup, args.import_rows, refuse_one=True
                    )
                return result
            finally:
                server.stop()
        finally:
            if name:
                drop_postgres(admin_url, name)


def report(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for result in results:
        backend = result["backend"]
        load = result.get("load")
        if load:
            lines.append(
                f"{backend:10s} charge : {load['users']} personnes, {load['duration_s']:.0f} s, {load['requests']} requêtes, "
                f"p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms, p99 {load['p99_ms']:.0f} ms, "
                f"{load['errors']} erreur(s), {load['rows_added']} lignes saisies, {load['rows_lost']} perdue(s) "
                f"(CPU du générateur {load['client_cpu_s']} s)"
            )
            for action, figures in load["by_action"].items():
                lines.append(
                    f"           {action:28s} n={figures['n']:5d}  p50 {figures['p50_ms']:6.0f} ms  "
                    f"p95 {figures['p95_ms']:6.0f} ms  p99 {figures['p99_ms']:6.0f} ms  "
                    f"max {figures['max_ms']:6.0f} ms  erreurs {figures['errors']}"
                )
        for label, figures in (result.get("grid") or {}).items():
            lines.append(
                f"{backend:10s} grille, {label:30s} médiane {figures['p50_ms']:6.0f} ms, max {figures['max_ms']:6.0f} ms"
            )
        for key in ("import", "import_refused_rule"):
            imported = result.get(key)
            if imported:
                how = "une règle refusée" if imported.get("refused_rule") else "choix proposés gardés"
                lines.append(
                    f"{backend:10s} import de {imported['rows']} lignes ({imported['bytes'] / 1e6:.1f} Mo, {how}) : "
                    f"analyse {imported['analysis_s']} s, de bout en bout {imported['total_s']} s"
                )
    lines.append("")
    lines.append("Objectifs :")
    for result in results:
        backend = result["backend"]
        load = result.get("load")
        if load:
            lines.append(
                f"  {'✔' if load['p95_ms'] <= TARGET_P95_MS else '✘'} {backend} p95 ≤ {TARGET_P95_MS:.0f} ms : {load['p95_ms']:.0f}"
            )
            lines.append(f"  {'✔' if load['errors'] == 0 else '✘'} {backend} 0 erreur : {load['errors']}")
            lines.append(
                f"  {'✔' if load['rows_lost'] == 0 else '✘'} {backend} 0 ligne perdue : {load['rows_lost']}"
            )
        if result.get("grid"):
            worst = max(f["p50_ms"] for f in result["grid"].values())
            lines.append(
                f"  {'✔' if worst <= TARGET_GRID_MS else '✘'} {backend} page de grille ≤ {TARGET_GRID_MS:.0f} ms : {worst:.0f}"
            )
        if result.get("import"):
            total = max(result[key]["total_s"] for key in ("import", "import_refused_rule") if key in result)
            lines.append(
                f"  {'✔' if total <= TARGET_IMPORT_S else '✘'} {backend} import de 100k lignes ≤ {TARGET_IMPORT_S:.0f} s : {total}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument(
        "--think", type=float, default=1.0, help="temps de réflexion moyen entre deux actions (s)"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="processus du serveur (défaut : celui de socle serve)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--grid-rows", type=int, default=50_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-grid", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args(argv)
    if args.workers is None:
        from socle.web.cli import default_workers

        args.workers_default = default_workers()
    results = [run_backend(backend.strip(), args) for backend in args.backends.split(",") if backend.strip()]
    lines = report(results)
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"web-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps({"args": vars(args), "results": results}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(f"\nRésultats : {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
