"""Reader benchmark: time and peak memory to read every batch of a large CSV.

Not a test. Generates (once, cached in a temporary folder) a délibérations-like CSV of N rows ×
17 columns, in UTF-8 and optionally Windows-1252, then reads it with ``socle.io.read_table`` in a
child process so that the peak RSS measured is the reader's own, and compares with a plain
``polars.read_csv`` of the whole file (which types nothing either, but cannot tell absent cells
from empty ones nor stream with exact record numbers).

    .venv/bin/python bench/read.py [--rows 1000000] [--encoding utf-8|cp1252] [--batch-mib 32]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

COLUMNS = [
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
]

OBJETS = [
    "Approbation du compte administratif 2019",
    "Subvention à l'association « Les amis du patrimoine », exercice 2020",
    'Convention de mise à disposition du local dit "La Forge"',
    "Tarifs de la cantine scolaire ; année 2020-2021",
    "Création d'un poste d'adjoint technique\nà temps complet",
    "Décision modificative n°2 — budget annexe de l'eau",
]


def generate(path: Path, rows: int, encoding: str) -> None:
    """Write a délibérations-like CSV with quoted fields, accents and embedded newlines."""
    rng = np.random.default_rng(42)
    idx = np.arange(rows)
    frame = pl.DataFrame(
        {
            "COLL_NOM": pl.Series(["Commune de Saint-Étienne-du-Bois"] * rows),
            "COLL_SIRET": pl.Series((21010345900015 + idx * 7).astype(str)),
            "DELIB_ID": pl.Series([f"DEL-2020-{i:07d}" for i in range(rows)]),
            "DELIB_DATE": pl.Series(["2020-03-12"] * rows),
            "DELIB_MATIERE_CODE": pl.Series(rng.choice(["7.1", "7.5.2", "5.2", "1.1"], rows)),
            "DELIB_MATIERE_NOM": pl.Series(rng.choice(["Décisions budgétaires", "Subventions"], rows)),
            "DELIB_OBJET": pl.Series(rng.choice(OBJETS, rows)),
            "BUDGET_ANNEE": pl.Series(rng.choice(["2019", "2020", ""], rows)),
            "BUDGET_NOM": pl.Series(rng.choice(["Budget principal", "Budget annexe de l'eau"], rows)),
            "PREF_ID": pl.Series([f"001-210103459-2020{i:07d}-DE" for i in range(rows)]),
            "PREF_DATE": pl.Series(["2020-03-15"] * rows),
            "VOTE_EFFECTIF": pl.Series(rng.integers(10, 40, rows).astype(str)),
            "VOTE_REEL": pl.Series(rng.integers(10, 40, rows).astype(str)),
            "VOTE_POUR": pl.Series(rng.integers(0, 40, rows).astype(str)),
            "VOTE_CONTRE": pl.Series(rng.integers(0, 5, rows).astype(str)),
            "VOTE_ABSTENTION": pl.Series(rng.integers(0, 5, rows).astype(str)),
            "DELIB_URL": pl.Series([f"https://www.example.fr/deliberations/{i}.pdf" for i in range(rows)]),
        }
    )
    text = frame.write_csv()
    path.write_bytes(text.encode(encoding))


def _child(path: str, batch_mib: int) -> None:
    """Run in a fresh process: read every batch, print JSON figures."""
    import resource

    from socle.io import read_table
    from socle.limits import Limits

    start, cpu = time.perf_counter(), time.process_time()
    table = read_table(path, limits=Limits(batch_bytes=batch_mib * 1024 * 1024))
    rows = sum(batch.height for batch in table.batches())
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "peak": peak}))


def _child_polars(path: str) -> None:
    import resource

    start, cpu = time.perf_counter(), time.process_time()
    # utf8-lossy: polars cannot decode Windows-1252 (it would replace the accents).
    frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"rows": frame.height, "seconds": seconds, "cpu": cpu, "peak": peak}))


def _baseline_rss() -> int:
    code = "import resource, polars, numpy; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)"
    return int(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--batch-mib", type=int, default=32)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-polars", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.batch_mib)
        return
    if args.child_polars:
        _child_polars(args.child_polars)
        return
    folder = Path(tempfile.gettempdir()) / "socle-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"deliberations-{args.rows}-{args.encoding}.csv"
    if not path.exists():
        print(f"génération de {path}…")
        generate(path, args.rows, args.encoding)
    size = path.stat().st_size
    base = _baseline_rss()
    runs = {}
    for name, flag in (("socle", "--child"), ("polars.read_csv", "--child-polars")):
        out = subprocess.run(
            [sys.executable, __file__, flag, str(path), "--batch-mib", str(args.batch_mib)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs[name] = json.loads(out.stdout)
    print(f"fichier : {path.name}, {size / 1e6:.0f} Mo, {args.rows} lignes")
    print(f"mémoire de base d'un processus (python + polars + numpy) : {base / 1e6:.0f} Mo")
    print(f"charge de la machine (1 min) : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs")
    for name, run in runs.items():
        extra = run["peak"] - base
        print(
            f"{name:16s} {run['seconds']:.2f} s ({run['cpu']:.2f} s CPU), {run['rows']} lignes, "
            f"pic RSS {run['peak'] / 1e6:.0f} Mo "
            f"(+{extra / 1e6:.0f} Mo, {run['peak'] / size:.2f}× la taille du fichier)"
        )


if __name__ == "__main__":
    main()
