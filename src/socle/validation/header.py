"""Matching the file's header to the schema's fields, by name, as Validata does.

Columns are matched to fields by name (exactly, or ignoring case as an option), wherever they are.
A missing required field is an error; a missing optional field, an unknown column or a different
order are warnings. A blank or repeated label is an error (only the first of repeated labels is
matched): frictionless, in by-name mode, stops on duplicates and says nothing of blank labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from socle.schemas.model import Field, TableSchema
from socle.validation import catalogue
from socle.validation.findings import concat_findings, single_finding


@dataclass
class HeaderMatch:
    """Which source column holds which field, and what the header says about the file."""

    positions: dict[str, int] = field(default_factory=dict)
    """Field name → 0-based position of its column in the source."""
    findings: pl.DataFrame = field(default_factory=pl.DataFrame)
    warnings: pl.DataFrame = field(default_factory=pl.DataFrame)
    label_fields: list[Field | None] = field(default_factory=list)
    """For each source column, the field it holds (None for unknown, blank or repeated labels)."""


def match_header(labels: list[str], schema: TableSchema, *, ignore_case: bool = False) -> HeaderMatch:
    """Match ``labels`` against ``schema`` and report structure findings and warnings."""

    def key(text: str) -> str:
        # Spaces around a label are a typing slip, not another name (frictionless strips them too).
        text = text.strip()
        return text.casefold() if ignore_case else text

    by_key = {key(f.name): f for f in schema.fields}
    positions: dict[str, int] = {}
    label_fields: list[Field | None] = []
    errors: list[pl.DataFrame] = []
    warnings: list[pl.DataFrame] = []
    seen: dict[str, list[int]] = {}

    for index, label in enumerate(labels):
        column = index + 1
        if label.strip() == "":
            errors.append(
                single_finding("blank-label", catalogue.text("blank-label", column=column), column=column)
            )
            label_fields.append(None)
            continue
        seen.setdefault(key(label), []).append(column)
        matched = by_key.get(key(label))
        if matched is None:
            warnings.append(
                single_finding(
                    "extra-header-warn",
                    catalogue.text("extra-header-warn", field=label),
                    column=column,
                    field=label,
                )
            )
            label_fields.append(None)
        elif matched.name in positions:
            label_fields.append(None)
        else:
            positions[matched.name] = index
            label_fields.append(matched)

    for columns in seen.values():
        if len(columns) > 1:
            label = labels[columns[0] - 1]
            listed = ", ".join(str(c) for c in columns)
            errors.extend(
                single_finding(
                    "duplicate-label",
                    catalogue.text("duplicate-label", field=label, columns=listed),
                    column=c,
                    field=label,
                )
                for c in columns[1:]
            )

    primary = set(schema.primary_key)
    for f in schema.fields:
        if f.name in positions:
            continue
        if f.required or f.name in primary:
            errors.append(
                single_finding("missing-label", catalogue.text("missing-label", field=f.name), field=f.name)
            )
        else:
            warnings.append(
                single_finding(
                    "missing-header-warn", catalogue.text("missing-header-warn", field=f.name), field=f.name
                )
            )

    names = schema.field_names
    matched_labels = [f.name for f in label_fields if f is not None]
    if len(matched_labels) == len(labels) and set(matched_labels) == set(names) and matched_labels != names:
        warnings.append(
            single_finding(
                "disordered-header-warn",
                catalogue.text("disordered-header-warn", expected=", ".join(names)),
            )
        )
    return HeaderMatch(
        positions=positions,
        findings=concat_findings(errors),
        warnings=concat_findings(warnings),
        label_fields=label_fields,
    )
