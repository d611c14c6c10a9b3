"""Validate one CSV file with frictionless, keeping every error; run by ``bench/validate.py``.

Usage: ``python frictionless_run.py FILE SCHEMA_JSON [--dump OUT]``. Prints one JSON line (inner
time, number of errors, errors per type); ``--dump`` writes the ``[row, field, type]`` of every
error, one JSON array per line, for comparison with the ground truth.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("schema", type=Path)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    import frictionless
    from frictionless import Detector, Schema

    imported = time.perf_counter()
    schema = Schema.from_descriptor(json.loads(args.schema.read_text(encoding="utf-8")))
    # frictionless refuses absolute paths as "not safe": work from the file's folder instead.
    os.chdir(args.file.parent)
    report = frictionless.validate(
        args.file.name,
        schema=schema,
        # The default stops at 1,000 errors; the bench compares tools that report everything.
        limit_errors=10**9,
        detector=Detector(schema_sync=True),
    )
    finished = time.perf_counter()
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    by_type = Counter(e.type for e in errors)
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as fh:
            for e in errors:
                row = getattr(e, "row_number", None)
                fh.write(json.dumps([row, getattr(e, "field_name", None) or "", e.type]) + "\n")
    print(
        json.dumps(
            {
                "seconds_import": imported - started,
                "seconds_validate": finished - imported,
                "findings": len(errors),
                "by_code": dict(sorted(by_type.items())),
            }
        )
    )


if __name__ == "__main__":
    main()
