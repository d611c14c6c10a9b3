"""Validate one CSV file with validata-table (Python 3.11 virtualenv); run by ``bench/validate.py``.

Usage: ``python validata_run.py FILE SCHEMA_JSON [--dump OUT]``. validata-table 0.12.5's own
``validata`` command cannot start (it imports a module that moved) and its report holds dates that
``json.dump`` rejects, so this calls the library the way that command would. Validata keeps at most
1,000 errors whatever it is asked: that is its maximum, and what is measured.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any


def _check_names(schema: dict[str, Any]) -> dict[str, str]:
    """Field -> custom check name, for checks Validata reports as a generic "custom-check-error"."""
    names: dict[str, list[str]] = {}
    for check in schema.get("custom_checks", []):
        column = check.get("params", {}).get("column")
        if column:
            names.setdefault(column, []).append(check["name"])
    return {column: found[0] for column, found in names.items() if len(found) == 1}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("schema", type=Path)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    from validata_core import resource_service, validation_service

    imported = time.perf_counter()
    resource = resource_service.from_file_content(args.file.name, args.file.read_bytes())
    report = validation_service.validate_resource(resource, str(args.schema), True)
    result = report.to_dict()
    finished = time.perf_counter()
    errors = result["errors"]
    names = _check_names(json.loads(args.schema.read_text(encoding="utf-8")))
    by_type = Counter(e["type"] for e in errors)
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as fh:
            for e in errors:
                field = e.get("fieldName") or ""
                code = e["type"]
                if code == "custom-check-error":
                    code = names.get(field, code)
                fh.write(json.dumps([e.get("rowNumber"), field, code]) + "\n")
    print(
        json.dumps(
            {
                "seconds_import": imported - started,
                "seconds_validate": finished - imported,
                "findings": len(errors),
                "by_code": dict(sorted(by_type.items())),
                "valid": result.get("valid"),
            }
        )
    )


if __name__ == "__main__":
    main()
