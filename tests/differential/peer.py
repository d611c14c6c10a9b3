"""Run frictionless (the engine under Validata) on exactly the rows Socle read, and compare findings.

Both engines get the same header and cells, so that a difference is a difference of rules, not of
reading. frictionless runs as Validata runs it: columns matched by name (``schema_sync``), every
error kept.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from socle.io.table import Table
from socle.schemas.model import parse_table_schema
from socle.validation.engine import ValidationOptions, validate_table

Finding = tuple[int | None, str | None, str, str | None]
"""(row, field, code, constraint name for constraint errors)."""

STANDARD_CODES = frozenset(
    {
        "type-error",
        "constraint-error",
        "missing-cell",
        "extra-cell",
        "blank-row",
        "unique-error",
        "primary-key",
        "missing-label",
    }
)

_CONSTRAINT = re.compile(r'constraint "(\w+)"')


class PeerGaveUp(Exception):
    """frictionless stopped on the whole table (e.g. repeated labels when matching by name)."""


_TABLE_KEYS = ("fields", "missingValues", "primaryKey")


def frictionless_findings(rows: list[list[str]], descriptor: Mapping[str, Any]) -> set[Finding]:
    """frictionless' findings on ``rows``; raise :class:`PeerGaveUp` if it reports only a general error."""
    from frictionless import Detector, Dialect, Schema, resources

    # Only the table part: frictionless refuses metadata that schema.data.gouv.fr allows (a "name" with spaces).
    plain = {k: descriptor[k] for k in _TABLE_KEYS if k in descriptor}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resource = resources.TableResource(
            data=[list(r) for r in rows],
            schema=Schema.from_descriptor(dict(plain)),
            detector=Detector(schema_sync=True),
            # frictionless guesses the header row from the sample's average width; the first row is the header.
            dialect=Dialect(header_rows=[1]),
        )
        report = resource.validate(limit_errors=10**9)
    found: set[Finding] = set()
    flat = report.flatten(["rowNumber", "fieldName", "type", "note"])
    if [code for _, _, code, _ in flat] == ["error"]:
        raise PeerGaveUp(flat[0][3])
    for row, field, code, note in flat:
        if code not in STANDARD_CODES:
            continue
        detail = None
        if code == "constraint-error":
            m = _CONSTRAINT.search(note or "")
            detail = m.group(1) if m else None
            if detail and (note or "").startswith("array item"):
                detail = f"arrayItem/{detail}"
        named = None if code in {"extra-cell", "blank-row", "primary-key"} else field
        found.add((row, named or None, code, detail))
    return found


def socle_findings(rows: list[list[str]], descriptor: Mapping[str, Any], **options: Any) -> set[Finding]:
    schema = parse_table_schema(dict(descriptor))
    report = validate_table(Table.from_rows(rows), schema, ValidationOptions(**options))
    found: set[Finding] = set()
    for r in report.findings.iter_rows(named=True):
        if r["code"] not in STANDARD_CODES:
            continue
        field = None if r["code"] in {"extra-cell", "blank-row", "primary-key"} else r["field"]
        detail = r["detail"] if r["code"] == "constraint-error" else None
        found.add((r["row"], field, r["code"], detail))
    return found
