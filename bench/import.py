"""Benchmark: ``socle import`` end to end on a large messy subventions file.

The file is generated from a valid one (``bench/datagen.py``, no injected error), then written the way
real files of the corpus are (``../shared/corpus/scdl/subventions/real-2018/``): Windows-1252, ``;``,
two title lines above a header of French titles instead of field names, ``08/09/2017`` dates,
``26 956,00 €`` amounts, ``0,81`` percentages, ``Aide en numéraire`` for an enum value, ``Oui``/``Non``,
SIRETs written ``228 000 014 00016``, periods written ``2017/09/08_2021/09/07``, blank rows at the end.

It runs ``socle import`` in its own process (``drivers/measure.py``: wall time and peak RSS), checks
that the clean file is valid and that every messy cell was fixed, and prints the figures against the
target (100k rows in at most 5 s on this 2-core machine). Usage::

    .venv/bin/python bench/import.py [--rows 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = BENCH / ".cache"
sys.path.insert(0, str(BENCH))

import datagen  # noqa: E402  (a sibling script, importable once bench/ is on the path)

TARGET_SECONDS = 5.0
TARGET_ROWS = 100_000

# The header: each field's French title from the schema, as many files write it.
_SCHEMA_REF = "scdl/subventions"


def titles() -> dict[str, str]:
    from socle.schemas import load_schema

    return {f.name: f.title or f.name for f in load_schema(_SCHEMA_REF).fields}


def messy(clean: pl.DataFrame) -> pl.DataFrame:
    """The same rows written as the corpus files write them."""
    date = pl.col("dateConvention")
    french_date = date.str.slice(8, 2) + "/" + date.str.slice(5, 2) + "/" + date.str.slice(0, 4)
    amount = pl.col("montant").str.replace(".", ",", literal=True)
    # Thousands grouped with spaces: 1234567,89 -> 1 234 567,89.
    grouped = (
        amount.str.replace(r"^([0-9]+)([0-9]{3})([0-9]{3}),", "$1 $2 $3,")
        .str.replace(r"^([0-9]+)([0-9]{3})([0-9]{3})$", "$1 $2 $3")
        .str.replace(r"^([0-9]{1,3})([0-9]{3})(,|$)", "$1 $2$3")
    )
    period = pl.col("datesPeriodeVersement")
    return clean.with_columns(
        french_date.alias("dateConvention"),
        (grouped + " €").alias("montant"),
        pl.col("pourcentageSubvention").str.replace(".", ",", literal=True),
        pl.col("nature").str.slice(0, 1).str.to_uppercase() + pl.col("nature").str.slice(1),
        pl.col("notificationUE").replace({"oui": "Oui", "non": "Non", "true": "Oui", "false": "Non"}),
        (
            pl.col("idAttribuant").str.slice(0, 3)
            + " "
            + pl.col("idAttribuant").str.slice(3, 3)
            + " "
            + pl.col("idAttribuant").str.slice(6, 3)
            + " "
            + pl.col("idAttribuant").str.slice(9)
        ).alias("idAttribuant"),
        # 2017-09-08/2021-09-07 -> 2017/09/08_2021/09/07
        pl.when(period.str.contains("/", literal=True))
        .then(period.str.replace("/", "_", literal=True).str.replace_all("-", "/", literal=True))
        .otherwise(period)
        .alias("datesPeriodeVersement"),
    )


def write_messy(rows: int, seed: int) -> tuple[Path, int]:
    """The messy file (cached) and its number of data rows."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"subventions-messy-{rows}-s{seed}.csv"
    if path.exists():
        return path, rows
    with tempfile.TemporaryDirectory() as tmp:
        valid = Path(tmp) / "valid.csv"
        datagen.generate("subventions", rows, valid, error_rate=0.0, seed=seed)
        clean = pl.read_csv(valid, infer_schema=False)
    header = titles()
    frame = messy(clean).select(list(header))
    body = frame.rename(header).write_csv(separator=";", quote_style="necessary")
    blank = ";" * (len(header) - 1) + "\n"
    text = "Subventions attribuées\n\n" + body + blank + blank
    path.write_bytes(text.encode("cp1252", errors="replace"))
    return path, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    source, rows = write_messy(args.rows, args.seed)
    print(
        f"messy file: {source.name}, {rows} rows, {source.stat().st_size / 1e6:.1f} MB "
        f"(made in {time.perf_counter() - started:.1f} s)"
    )
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "socle")], check=True)
    socle = Path(sys.executable).parent / "socle"
    with tempfile.TemporaryDirectory() as tmp:
        out, report, result = Path(tmp) / "clean.csv", Path(tmp) / "fixes.json", Path(tmp) / "measure.json"
        cmd = [
            str(socle),
            "import",
            str(source),
            "--schema",
            "scdl/subventions",
            "-o",
            str(out),
            "--report",
            str(report),
        ]
        stopwatch = [sys.executable, "-I", "-S", str(BENCH / "drivers" / "measure.py"), "600", str(result)]
        subprocess.run([*stopwatch, *cmd], stdout=subprocess.DEVNULL, check=True)
        measured = json.loads(result.read_text(encoding="utf-8"))
        log = json.loads(report.read_text(encoding="utf-8"))
        written = pl.read_csv(out, infer_schema=False).height
    counts = {c["rule"]: c["fixes"] for c in log["fixes_by_rule"] if c["fixes"]}
    seconds, rss = measured["seconds"], measured["peak_rss_bytes"] / 1e6
    print(f"socle import: {seconds:.2f} s wall, peak RSS {rss:.0f} MB, exit code {measured['exit_code']}")
    print(
        f"  clean file: {written} rows; errors before {log['before']['errors']}, after {log['after']['errors']}"
    )
    print(f"  fixes by rule: {counts}")
    verdict = "meets" if seconds <= TARGET_SECONDS * rows / TARGET_ROWS else "misses"
    print(f"  target: {TARGET_ROWS} rows in at most {TARGET_SECONDS:.0f} s -> {verdict} it")
    ok = measured["exit_code"] == 0 and log["after"]["errors"] == 0 and written == rows
    if not ok:
        print("  the clean file is not what it should be (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
