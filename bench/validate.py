"""Benchmark: Socle against frictionless and validata-table on generated SCDL files, in one run.

For each size (``--sizes``, default 100k and 1M rows) and each file (délibérations, subventions)
it generates a CSV with about 1 % of bad cells (``bench/datagen.py``, cached under
``bench/.cache/``), then runs each tool in its own subprocess, one after the other, and measures
its wall time and peak resident memory (``os.wait4`` gives the rusage of that very child):

- ``socle``: ``.venv/bin/socle validate FILE --schema SCHEMA --format json > /dev/null``;
- ``socle-api``: ``read_table`` + ``validate_table`` in one Python process (time measured inside,
  imports and schema loading apart);
- ``frictionless``: frictionless 5 of the same virtualenv, every error kept (``limit_errors``
  raised), ``schema_sync``;
- ``validata``: validata-table in its own Python 3.11 virtualenv, created here under
  ``bench/.cache/validata-venv`` (it does not install on 3.12), with its built-in maximum of 1,000
  errors; a run longer than ``--timeout`` is stopped and reported as not finished.

It prints a table with the ratios against Socle's command and Socle's performance targets, checks every
tool's findings against the generated ground truth, and writes everything as JSON under
``bench/results/``. ``bench/README.md`` explains how to read it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
DRIVERS = BENCH / "drivers"
sys.path.insert(0, str(BENCH))

import datagen  # noqa: E402  (a sibling script, importable once bench/ is on the path)

# Socle's performance targets, for 1M rows with every finding kept, on a 2-core machine.
TARGET_SPEEDUP = 50.0
FLOOR_SPEEDUP = 30.0
TARGET_RSS_RATIO = 2.0
TARGET_ROWS = 1_000_000

VALIDATA_VERSION = "0.12.5"
TOOLS = ("socle", "socle-api", "frictionless", "validata")


@dataclass
class Run:
    """One tool on one file."""

    tool: str
    dataset: str
    rows: int
    file_bytes: int
    seconds: float | None = None  # wall time of the subprocess
    cpu_seconds: float | None = None  # user + system CPU time of the subprocess
    inner_seconds: float | None = None  # time the tool reports for the validation itself
    peak_rss_bytes: int | None = None
    exit_code: int | None = None
    timed_out: bool = False
    failed: str | None = None
    findings: int | None = None
    by_code: dict[str, int] = field(default_factory=dict)
    truth: dict[str, object] = field(default_factory=dict)
    samples: list[float] = field(default_factory=list)  # wall seconds of each repeat (Socle's command)

    @property
    def finished(self) -> bool:
        return self.failed is None and not self.timed_out and self.seconds is not None


# --------------------------------------------------------------------------------------------------
# Running one measured subprocess.


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    exit_code: int
    timed_out: bool
    stdout: str
    stderr: str


def measure(cmd: Sequence[str], timeout: float, *, keep_stdout: bool = True) -> Measured:
    """Run ``cmd`` under ``drivers/measure.py``; kill it after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
        result = Path(tmp) / "measure.json"
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        # Not measured from this process: see drivers/measure.py on why the stopwatch is separate.
        stopwatch = [sys.executable, "-I", "-S", str(DRIVERS / "measure.py"), str(timeout), str(result)]
        with out_path.open("wb") as out, err_path.open("wb") as err:
            subprocess.run(
                [*stopwatch, *cmd],
                stdout=out if keep_stdout else subprocess.DEVNULL,
                stderr=err,
                stdin=subprocess.DEVNULL,
                check=True,
            )
        m = json.loads(result.read_text(encoding="utf-8"))
        return Measured(
            seconds=m["seconds"],
            cpu_seconds=m["cpu_seconds"],
            peak_rss_bytes=m["peak_rss_bytes"],
            exit_code=m["exit_code"],
            timed_out=m["timed_out"],
            stdout=out_path.read_text(encoding="utf-8", errors="replace"),
            stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        )


# --------------------------------------------------------------------------------------------------
# Inputs: generated files and the validata virtualenv.


def parse_size(text: str) -> int:
    """``100k`` -> 100000, ``1M`` -> 1000000, ``2000`` -> 2000."""
    text = text.strip()
    factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor != 1 else text
    return int(float(number) * factor)


def size_label(rows: int) -> str:
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


def generated_file(dataset: datagen.Dataset, rows: int, error_rate: float, seed: int) -> tuple[Path, Path]:
    """The cached CSV and truth for these parameters, generated if missing or if the generator changed."""
    # The generator's own source is part of the key: a changed generator never reuses stale files.
    digest = hashlib.sha256((BENCH / "datagen.py").read_bytes()).hexdigest()[:10]
    stem = f"{dataset}-{size_label(rows)}-e{error_rate:g}-s{seed}-{digest}"
    csv_path, truth_path = CACHE / f"{stem}.csv", CACHE / f"{stem}.truth.json"
    if not (csv_path.exists() and truth_path.exists()):
        # Files of an older generator are of no further use, and 1M rows weigh 300 MB.
        for stale in CACHE.glob(f"{stem.rsplit('-', 1)[0]}-*"):
            stale.unlink()
        started = time.perf_counter()
        datagen.generate(dataset, rows, csv_path, error_rate=error_rate, seed=seed, truth_path=truth_path)
        log(f"generated {csv_path.name} in {time.perf_counter() - started:.1f} s")
    return csv_path, truth_path


def find_python311() -> Path | None:
    """A Python 3.11 interpreter: ``python3.11`` on the PATH, else a pyenv installation."""
    candidates = [
        shutil.which("python3.11"),
        *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.11*/bin/python3.11"))),
    ]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            out = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 11))"],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.stdout.strip() == "True":
            return Path(candidate)
    return None


def validata_python(version: str) -> tuple[Path | None, str]:
    """Python of ``bench/.cache/validata-venv`` with validata-table ``version``, created if needed."""
    venv = CACHE / "validata-venv"
    python = venv / "bin" / "python"
    probe = "import importlib.metadata as m; print(m.version('validata-table'))"
    if python.exists():
        out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip() == version:
            return python, f"validata-table {version}"
    py311 = find_python311()
    if py311 is None:
        return None, "no Python 3.11 found (python3.11 or ~/.pyenv/versions/3.11*)"
    log(f"creating {venv} with {py311} and validata-table {version}…")
    shutil.rmtree(venv, ignore_errors=True)
    steps = [
        [str(py311), "-m", "venv", str(venv)],
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"validata-table=={version}",
        ],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return None, f"{' '.join(step[:3])}… failed: {done.stderr.strip()[-500:]}"
    return python, f"validata-table {version}"


# --------------------------------------------------------------------------------------------------
# Comparing a tool's findings with the ground truth.


def compare_with_truth(dump: Path, truth: datagen.Truth, *, scope: str) -> dict[str, object]:
    """Missing and unexpected (row, field, code) of a tool's dump against the truth."""
    got: set[tuple[int | None, str, str]] = set()
    with dump.open(encoding="utf-8") as fh:
        for line in fh:
            row, field_name, code = json.loads(line)
            got.add((row, field_name or "", code))
    expected: set[tuple[int | None, str, str]] = set(
        truth.standard() if scope == "standard" else truth.standard() | truth.custom()
    )
    missing = sorted(expected - got, key=str)
    unexpected = sorted(got - expected, key=str)
    return {
        "scope": scope,
        "expected": len(expected),
        "reported": len(got),
        "missing": len(missing),
        "unexpected": len(unexpected),
        "sample_missing": [list(x) for x in missing[:5]],
        "sample_unexpected": [list(x) for x in unexpected[:5]],
    }


# --------------------------------------------------------------------------------------------------
# The tools.


def socle_bin() -> Path:
    local = REPO / ".venv" / "bin" / "socle"
    return local if local.exists() else Path(sys.executable).parent / "socle"


def run_tool(
    tool: str,
    dataset: datagen.Dataset,
    rows: int,
    csv_path: Path,
    truth_path: Path,
    *,
    timeout: float,
    validata: Path | None,
) -> Run:
    schema = datagen.schema_path(dataset)
    run = Run(tool, dataset, rows, csv_path.stat().st_size)
    with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
        dump = Path(tmp) / "findings.jsonl"
        files = [str(csv_path), str(schema), "--dump", str(dump)]
        # frictionless knows nothing of custom checks: it is compared on the standard ones only.
        scope = "standard" if tool == "frictionless" else "all"
        # Socle's report goes to /dev/null, as a user would redirect it; the drivers print a summary.
        keep_stdout = tool != "socle"
        if tool == "socle":
            cmd = [str(socle_bin()), "validate", str(csv_path), "--schema", str(schema), "--format", "json"]
        elif tool == "socle-api":
            cmd = [sys.executable, str(DRIVERS / "socle_api.py"), *files]
        elif tool == "frictionless":
            cmd = [sys.executable, str(DRIVERS / "frictionless_run.py"), *files]
        elif tool == "validata" and validata is not None:
            cmd = [str(validata), str(DRIVERS / "validata_run.py"), *files]
        else:
            raise ValueError(tool)
        log(f"{tool:<12} {dataset:<13} {size_label(rows):>5} …")
        m = measure(cmd, timeout, keep_stdout=keep_stdout)
        run.seconds, run.cpu_seconds, run.peak_rss_bytes = m.seconds, m.cpu_seconds, m.peak_rss_bytes
        run.exit_code, run.timed_out = m.exit_code, m.timed_out
        # Socle's command exits 1 on an invalid file, which these files are; 2 means it failed.
        ok_codes = {0, 1} if tool == "socle" else {0}
        if m.timed_out:
            log(f"{'':<12} did not finish in {timeout:g} s")
            return run
        if m.exit_code not in ok_codes:
            run.failed = f"exit {m.exit_code}: {m.stderr.strip()[-600:]}"
            last = m.stderr.strip().splitlines()[-1:] or [""]
            log(f"{'':<12} failed (exit {m.exit_code}): {last[0][:200]}")
            return run
        if keep_stdout:
            line = m.stdout.strip().splitlines()[-1] if m.stdout.strip() else "{}"
            info = json.loads(line)
            run.inner_seconds = info.get("seconds_validate")
            run.findings = info.get("findings")
            run.by_code = info.get("by_code", {})
        if dump.exists():
            run.truth = compare_with_truth(dump, datagen.Truth.read(truth_path), scope=scope)
        log(f"{'':<12} {run.seconds:.1f} s, {run.peak_rss_bytes / 2**20:.0f} MB")
    return run


def median_run(repeats: list[Run]) -> Run:
    """The run of median wall time among repeats of one command (every wall time kept in
    ``samples``), with the highest peak RSS of them all."""
    finished = sorted((r for r in repeats if r.finished), key=lambda r: r.seconds or 0.0)
    if not finished:
        return repeats[0]
    chosen = finished[len(finished) // 2]  # the upper one of an even count
    chosen.samples = [r.seconds for r in repeats if r.seconds is not None]
    chosen.peak_rss_bytes = max(r.peak_rss_bytes or 0 for r in finished)
    return chosen


# --------------------------------------------------------------------------------------------------
# Reporting.


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _find(runs: list[Run], tool: str, dataset: str, rows: int) -> Run | None:
    return next((r for r in runs if (r.tool, r.dataset, r.rows) == (tool, dataset, rows)), None)


def speedup(runs: list[Run], peer: Run) -> tuple[float | None, bool]:
    """Peer time / Socle command time; for a peer that did not finish, a lower bound (flag True)."""
    socle = _find(runs, "socle", peer.dataset, peer.rows)
    if socle is None or not socle.finished or socle.seconds is None or peer.seconds is None:
        return None, False
    return peer.seconds / socle.seconds, peer.timed_out


def table(runs: list[Run], timeout: float) -> str:
    head = [
        "tool",
        "file",
        "rows",
        "seconds",
        "cpu s",
        "inner s",
        "peak RSS MB",
        "RSS/file",
        "vs Socle",
        "findings",
        "truth",
    ]
    lines = [head]
    for r in runs:
        if r.timed_out:
            seconds = f"DNF > {timeout:g}"
        elif r.failed:
            seconds = "failed"
        else:
            seconds = f"{r.seconds:.2f}" if r.seconds is not None else "—"
        ratio, lower_bound = speedup(runs, r) if r.tool in ("frictionless", "validata") else (None, False)
        vs = "—" if ratio is None else f"{'> ' if lower_bound else ''}{ratio:.1f}×"
        # A failed run's memory says nothing about the tool; a timed-out one's is a lower bound.
        rss = r.peak_rss_bytes / 2**20 if r.peak_rss_bytes and not r.failed else None
        truth = "—"
        if r.truth:
            t = r.truth
            truth = "exact" if t["missing"] == t["unexpected"] == 0 else f"-{t['missing']} +{t['unexpected']}"
        lines.append(
            [
                r.tool,
                r.dataset,
                size_label(r.rows),
                seconds,
                f"{r.cpu_seconds:.2f}" if r.cpu_seconds is not None and not r.failed else "—",
                f"{r.inner_seconds:.2f}" if r.inner_seconds is not None else "—",
                f"{rss:.0f}" if rss is not None else "—",
                f"{rss * 2**20 / r.file_bytes:.2f}" if rss is not None else "—",
                vs,
                str(r.findings) if r.findings is not None else "—",
                truth,
            ]
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    out = [
        "  ".join(
            cell.ljust(w) if i < 3 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def targets(runs: list[Run]) -> list[dict[str, object]]:
    """The performance targets, judged on 1M rows (or on the largest size run, said so)."""
    results: list[dict[str, object]] = []
    for dataset in sorted({r.dataset for r in runs}):
        sizes = sorted({r.rows for r in runs if r.dataset == dataset})
        rows = TARGET_ROWS if TARGET_ROWS in sizes else sizes[-1]
        note = "" if rows == TARGET_ROWS else f" (measured on {size_label(rows)}; the target is for 1M)"
        socle = _find(runs, "socle", dataset, rows)
        fric = _find(runs, "frictionless", dataset, rows)
        if fric is not None:
            ratio, lower = speedup(runs, fric)
            for goal, name in ((TARGET_SPEEDUP, "target"), (FLOOR_SPEEDUP, "floor")):
                results.append(
                    {
                        "dataset": dataset,
                        "rows": rows,
                        "what": f"Socle ≥ {goal:g}× faster than frictionless ({name}){note}",
                        "value": None if ratio is None else round(ratio, 1),
                        "ok": None if ratio is None else ratio >= goal,
                        "lower_bound": lower,
                    }
                )
        if socle is not None:
            ratio_rss = (
                socle.peak_rss_bytes / socle.file_bytes if socle.finished and socle.peak_rss_bytes else None
            )
            results.append(
                {
                    "dataset": dataset,
                    "rows": rows,
                    "what": f"Socle peak RSS ≤ {TARGET_RSS_RATIO:g}× file size{note}",
                    "value": None if ratio_rss is None else round(ratio_rss, 2),
                    "ok": None if ratio_rss is None else ratio_rss <= TARGET_RSS_RATIO,
                    "lower_bound": False,
                }
            )
    return results


def format_targets(results: list[dict[str, object]]) -> str:
    lines = []
    for t in results:
        mark = "?" if t["ok"] is None else ("✔" if t["ok"] else "✘")
        value = "not measured" if t["value"] is None else f"{'> ' if t['lower_bound'] else ''}{t['value']}"
        lines.append(f"  {mark} {t['dataset']:<13} {t['what']}: {value}")
    return "\n".join(lines)


def versions(validata_info: str | None) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("polars", "frictionless", "socle"):
        try:
            from importlib.metadata import version

            found[name] = version(name)
        except Exception:  # a missing package is reported, not fatal
            found[name] = "absent"
    if validata_info:
        found["validata"] = validata_info
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100k,1M", help="row counts, comma-separated (default 100k,1M)")
    parser.add_argument("--datasets", default=",".join(datagen.DATASETS), help="deliberations,subventions")
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds allowed per tool run (default 900)"
    )
    parser.add_argument("--no-socle", action="store_true", help="skip Socle (peers only)")
    parser.add_argument("--no-frictionless", action="store_true", help="skip frictionless")
    parser.add_argument("--no-validata", action="store_true", help="skip validata-table")
    parser.add_argument("--validata-max-rows", type=parse_size, help="run validata only up to this size")
    parser.add_argument("--validata-version", default=VALIDATA_VERSION)
    parser.add_argument("--error-rate", type=float, default=0.01, help="fraction of bad cells (default 0.01)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs of Socle's command per file, median kept (default 5)"
    )
    parser.add_argument("--setup-only", action="store_true", help="create the validata virtualenv and stop")
    args = parser.parse_args(argv)

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    known: dict[str, datagen.Dataset] = {d: d for d in datagen.DATASETS}
    datasets: list[datagen.Dataset] = []
    for name in args.datasets.split(","):
        if name not in known:
            parser.error(f"unknown dataset {name!r}")
        datasets.append(known[name])

    CACHE.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        # Two cores: anything else running shows in every figure.
        log(f"warning: load average {load_before:.1f} before the run; the timings will be noisy")
    validata, validata_info = (None, None)
    if not args.no_validata or args.setup_only:
        validata, validata_info = validata_python(args.validata_version)
        if validata is None:
            log(f"validata-table skipped: {validata_info}")
    if args.setup_only:
        return 0 if validata is not None else 2

    # Socle measured as installed: its bytecode compiled, as pip does (see scripts/bootstrap.sh).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "socle")], check=True)
    tools = [
        t
        for t in TOOLS
        if not (t.startswith("socle") and args.no_socle)
        and not (t == "frictionless" and args.no_frictionless)
        and not (t == "validata" and (args.no_validata or validata is None))
    ]
    runs: list[Run] = []
    for rows in sizes:
        for dataset in datasets:
            csv_path, truth_path = generated_file(dataset, rows, args.error_rate, args.seed)

            def run(
                tool: str,
                dataset: datagen.Dataset = dataset,
                rows: int = rows,
                csv_path: Path = csv_path,
                truth_path: Path = truth_path,
            ) -> Run:
                return run_tool(
                    tool, dataset, rows, csv_path, truth_path, timeout=args.timeout, validata=validata
                )

            # Socle's command runs a few seconds, the peers a minute: its repeats are spread before and
            # after them, so that its median sees the same machine as they do.
            repeats = args.repeat if "socle" in tools else 0
            commands = [run("socle") for _ in range((repeats + 1) // 2)]
            others = [
                run(tool)
                for tool in tools
                if tool != "socle"
                and not (
                    tool == "validata"
                    and args.validata_max_rows is not None
                    and rows > args.validata_max_rows
                )
            ]
            commands += [run("socle") for _ in range(repeats // 2)]
            runs.extend([median_run(commands)] if commands else [])
            runs.extend(others)

    print()
    print(table(runs, args.timeout))
    judged = targets(runs)
    print()
    print("Targets (1M rows, every finding kept, on this machine):")
    print(format_targets(judged))
    failures = [r for r in runs if r.failed]
    for r in failures:
        print(f"\n{r.tool} on {r.dataset} {size_label(r.rows)} failed: {r.failed}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"validate-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "date": dt.datetime.now().isoformat(timespec="seconds"),
                "command": [sys.executable, *sys.argv],
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "load_average_before": load_before,
                    "load_average_after": os.getloadavg()[0],
                },
                "versions": versions(validata_info),
                "error_rate": args.error_rate,
                "seed": args.seed,
                "timeout": args.timeout,
                "runs": [asdict(r) for r in runs],
                "targets": judged,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    print(f"\nResults: {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
