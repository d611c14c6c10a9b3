"""The whole import of a real-world file into a schema: find the table, map its columns, fix its cells,
validate before and after, write the clean file.

:func:`import_file` chains the stages of :mod:`socle.importing.detect`, :mod:`socle.importing.mapping`
and :mod:`socle.importing.fixes`, and validates with the engine (:mod:`socle.validation`):

- *before*: the file as it is, columns matched by name as ``socle validate`` (and Validata) match them;
- *after*: the clean file as it will be written (fields in the schema's order, one row per data row of
  the source, blank rows left out), its row numbers those of the clean file.

Nothing is lost: every change is in the fix log (``row`` is the source file's row number), every cell
a rule would have had to guess is flagged and left as it was, and a column that no field takes is
listed (it is not written to the clean file, which holds the schema's fields only).
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import polars as pl

from socle.importing.detect import Detection, detect
from socle.importing.fixes import FixResult, FixRule, apply_fixes, default_rules
from socle.importing.mapping import ColumnMapping
from socle.io.table import CELLS, ROW, Batch, SourceInfo, Table, column_name
from socle.limits import Limits
from socle.schemas.model import TableSchema
from socle.validation.engine import validate_table
from socle.validation.report import ValidationReport

REPORT_FORMAT_VERSION = 1


@dataclass
class ImportResult:
    """What :func:`import_file` found, changed and flagged."""

    detection: Detection
    mapping: ColumnMapping
    schema: TableSchema
    before: ValidationReport
    """The file as it is."""
    fixes: FixResult
    """The fixed cells (``fixes.frame``: one String column per schema field, then ``__row__``)."""
    after: ValidationReport
    """The clean file as :meth:`write_csv` writes it."""
    blank_rows: list[int] = field(default_factory=list)
    """Source rows left out of the clean file because every cell was empty."""

    @property
    def frame(self) -> pl.DataFrame:
        """The clean rows: the schema's fields in order, as text (no ``__row__``)."""
        return self.fixes.frame.select(list(self.mapping.fields))

    def write_csv(self, out: str | Path | IO[str]) -> None:
        """Write the clean file: UTF-8 without BOM, comma-separated, the schema's fields as header, a
        cell quoted only when it must be, as schema.data.gouv.fr expects."""
        text = self.frame.write_csv(separator=",", quote_style="necessary", line_terminator="\n")
        if isinstance(out, str | Path):
            Path(out).write_bytes(text.encode("utf-8"))
        else:
            out.write(text)

    def counts(self) -> list[dict[str, Any]]:
        """Per rule that ran: code, French label, cells changed, cells flagged."""
        return self.fixes.counts().to_dicts()

    def _head(self) -> dict[str, Any]:
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "source": {
                "path": self.detection.path,
                "format": self.detection.format,
                "sheet": self.detection.sheet,
                "header_row": self.detection.header.row,
            },
            "schema": {"name": self.schema.name, "version": self.schema.version},
            "choices": self.detection.reasons,
            "mapping": self.mapping.to_dict(),
            "fixes_by_rule": self.counts(),
            "blank_rows_left_out": self.blank_rows,
            "before": _summary(self.before),
            "after": _summary(self.after),
        }

    def to_dict(self) -> dict[str, Any]:
        """The import report (JSON, ``docs/import.md``): choices, mapping, counts before and after, every
        change (``fixes``) and every flag (``flags``)."""
        return {**self._head(), "fixes": self.fixes.fixes.to_dicts(), "flags": self.fixes.flags.to_dicts()}

    def write_report(self, out: str | Path) -> None:
        """Write :meth:`to_dict` as JSON; the changes and flags are encoded by polars (fast on millions)."""
        with Path(out).open("w", encoding="utf-8") as handle:
            head = json.dumps(self._head(), ensure_ascii=False)
            handle.write(head[:-1])
            for key, frame in (("fixes", self.fixes.fixes), ("flags", self.fixes.flags)):
                handle.write(f', "{key}": [')
                if frame.height:
                    handle.write(frame.select(pl.struct(pl.all()).struct.json_encode().str.join(",")).item())
                handle.write("]")
            handle.write("}\n")


def _summary(report: ValidationReport) -> dict[str, Any]:
    return {"valid": report.valid, "errors": report.error_count, "by_code": report.counts_by_code()}


def import_file(
    path: str | Path,
    schema: TableSchema,
    *,
    mapping: ColumnMapping | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    accept: Collection[str] | None = None,
    refuse: Collection[str] = (),
    rules: Sequence[FixRule] | None = None,
    limits: Limits | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ImportResult:
    """Import ``path`` into ``schema`` (see the module's description).

    ``mapping`` replaces the detected column mapping (a saved one is adapted to this file's header,
    columns being found by their labels); ``sheet`` and ``header_row`` impose what is otherwise
    detected; ``accept``/``refuse`` choose fix rules by code. Reading errors are those of
    :func:`socle.io.read_table`, in French.
    """
    limits = limits if limits is not None else Limits.from_env()
    detection = detect(
        path,
        schema,
        sheet=sheet,
        header_row=header_row,
        limits=limits,
        encoding=encoding,
        delimiter=delimiter,
    )
    chosen = mapping.for_header(detection.header.labels) if mapping is not None else detection.mapping
    before = validate_table(detection.read(limits), schema)
    source = detection.read(limits)
    chosen.check_header(source.header)
    frames = [chosen.apply_frame(batch.frame) for batch in source.batches()]
    fields = list(chosen.fields)
    frame = (
        pl.concat(frames, how="vertical")
        if frames
        else pl.DataFrame(schema={**dict.fromkeys(fields, pl.String), ROW: pl.Int64})
    )
    blank = frame.select(pl.all_horizontal([pl.col(f).is_null() | (pl.col(f) == "") for f in fields]))
    blank_mask = blank.to_series() if fields else pl.Series([True] * frame.height)
    blank_rows = frame.get_column(ROW).filter(blank_mask).to_list()
    frame = frame.filter(~blank_mask).with_columns(pl.col(f).fill_null("") for f in fields)
    fixed = apply_fixes(frame, schema, accept=accept, refuse=refuse, rules=rules or default_rules())
    after = validate_table(_clean_table(fixed.frame, fields, detection), schema)
    return ImportResult(detection, chosen, schema, before, fixed, after, blank_rows)


def _clean_table(frame: pl.DataFrame, fields: list[str], detection: Detection) -> Table:
    """The clean file as a table: header row 1, data rows numbered from 2 as in the written file."""
    data = frame.select(
        *(pl.col(name).alias(column_name(i)) for i, name in enumerate(fields)),
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(ROW),
        pl.lit(len(fields), dtype=pl.Int32).alias(CELLS),
    )
    name = Path(detection.path).name
    info = SourceInfo(path=f"{name} (corrigé)", format="csv", encoding="utf-8", delimiter=",")
    return Table(header=fields, source=info, header_row=1, _batches=iter([Batch(data)]))


def clean_csv_text(result: ImportResult) -> str:
    """The clean file as text (for tests and small files)."""
    out = io.StringIO()
    result.write_csv(out)
    return out.getvalue()
