"""Validate one file with Socle's Python API, in one process; run by ``bench/validate.py``.

Usage: ``python socle_api.py FILE SCHEMA [--dump OUT]``. Prints one JSON line with the time spent in
reading and validating (imports and schema loading apart) and the findings per code; ``--dump``
writes ``[row, field, code]`` of every finding, one JSON array per line.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("schema")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    from socle.io import read_table
    from socle.schemas import load_schema
    from socle.validation.engine import validate_table

    imported = time.perf_counter()
    schema = load_schema(args.schema)
    loaded = time.perf_counter()
    report = validate_table(read_table(args.file), schema)
    findings = report.findings
    finished = time.perf_counter()
    by_code = findings.group_by("code").len().sort("code")
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as fh:
            for row, field, code in findings.select("row", "field", "code").iter_rows():
                fh.write(json.dumps([row, field or "", code]) + "\n")
    print(
        json.dumps(
            {
                "seconds_import": imported - started,
                "seconds_schema": loaded - imported,
                "seconds_validate": finished - loaded,
                "findings": findings.height,
                "by_code": dict(by_code.iter_rows()),
            }
        )
    )


if __name__ == "__main__":
    main()
