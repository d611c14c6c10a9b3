"""The validation report: every finding kept, with counts per code and per column.

``to_dict()`` is the JSON form documented in ``docs/rapport-json.md`` (``format_version`` is bumped
on any incompatible change).
"""

from __future__ import annotations

import json
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

import polars as pl

from socle.io.table import SourceInfo
from socle.validation import catalogue

FORMAT_VERSION = 1
_JSON_SLICE = 10_000
_JSON_AHEAD = 4


@dataclass
class ValidationReport:
    """What Socle found in one table checked against one schema."""

    findings: pl.DataFrame
    """Errors, ordered by row then column (structure and schema problems first)."""
    warnings: pl.DataFrame
    """Header warnings (missing optional column, unknown column, column order)."""
    source: SourceInfo
    schema_name: str | None
    schema_version: str | None
    header: list[str]
    rows: int
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.findings.height == 0

    @property
    def error_count(self) -> int:
        return self.findings.height

    def by_category(self, category: catalogue.Category) -> pl.DataFrame:
        codes = [code for code in catalogue.CODES if catalogue.category(code) == category]
        return self.findings.filter(pl.col("code").is_in(codes))

    def counts_by_code(self) -> dict[str, int]:
        if not self.findings.height:
            return {}
        counted = self.findings.group_by("code").len().sort(["len", "code"], descending=[True, False])
        return {row[0]: row[1] for row in counted.iter_rows()}

    def counts_by_column(self) -> list[dict[str, Any]]:
        """Per column (field): how many findings of each code; columns in file order."""
        if not self.findings.height:
            return []
        counted = (
            self.findings.with_columns(pl.col("field").fill_null(""))
            .group_by(["column", "field", "code"])
            .len()
            .sort(["column", "field", "code"], nulls_last=True)
        )
        result: dict[tuple[int | None, str], dict[str, Any]] = {}
        for column, name, code, count in counted.iter_rows():
            item = result.setdefault(
                (column, name), {"column": column, "field": name, "total": 0, "codes": {}}
            )
            item["codes"][code] = count
            item["total"] += count
        return list(result.values())

    def _with_category(self) -> pl.DataFrame:
        return self.findings.with_columns(
            pl.col("code").replace_strict(catalogue.CATEGORIES, default="body").alias("category")
        )

    def _summary(self, categories: pl.Series) -> dict[str, Any]:
        body = int((categories == "body").sum())
        return {
            "format_version": FORMAT_VERSION,
            "valid": self.valid,
            "source": {
                "path": self.source.path,
                "format": self.source.format,
                "encoding": self.source.encoding,
                "delimiter": self.source.delimiter,
                "sheet": self.source.sheet,
                "sheets": self.source.sheets,
                "notes": self.source.notes,
            },
            "schema": {"name": self.schema_name, "version": self.schema_version},
            "stats": {
                "rows": self.rows,
                "columns": len(self.header),
                "errors": self.error_count,
                "warnings": self.warnings.height,
                "structure_errors": self.error_count - body,
                "body_errors": body,
                "seconds": round(self.seconds, 3),
            },
            "header": self.header,
            "counts": {"by_code": self.counts_by_code(), "by_column": self.counts_by_column()},
            "warnings": self.warnings.to_dicts(),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the report (see ``docs/rapport-json.md``)."""
        findings = self._with_category()
        return {
            **self._summary(findings.get_column("category")),
            "errors": findings.to_dicts(),
            "notes": self.notes,
        }

    def write_json(self, out: IO[str]) -> None:
        """Write :meth:`to_dict` as JSON to ``out``, the findings serialised by polars (fast on millions).

        When ``out`` has a binary buffer (``sys.stdout``, a file opened as text in UTF-8), the findings'
        bytes go straight to it, without a round trip through Python strings."""
        findings = self._with_category()
        raw: IO[bytes] | None = getattr(out, "buffer", None)
        if raw is not None and (getattr(out, "encoding", "") or "").lower().replace("-", "") != "utf8":
            raw = None
        as_bytes = raw is not None

        def encode(start: int) -> bytes | str:
            part = findings.slice(start, _JSON_SLICE)
            joined = pl.struct(pl.all()).struct.json_encode().str.join(",")
            if as_bytes:
                return bytes(part.select(joined.cast(pl.Binary)).item())
            return str(part.select(joined).item())

        # Encoded by polars in slices, two at a time (polars works outside the GIL), a few slices ahead
        # of the writing: fast on millions of findings, and memory stays bounded. The first slices are
        # encoded while the summary that comes before them is counted.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="socle-json") as pool:
            ahead: deque[Future[bytes | str]] = deque()
            starts = iter(range(0, findings.height, _JSON_SLICE))

            def fill() -> None:
                while len(ahead) < _JSON_AHEAD and (start := next(starts, None)) is not None:
                    ahead.append(pool.submit(encode, start))

            fill()
            head = json.dumps(self._summary(findings.get_column("category")), ensure_ascii=False)
            out.write(head[:-1])
            out.write(', "errors": [')
            if raw is not None:
                out.flush()
            first = True
            while True:
                fill()
                if not ahead:
                    break
                text = ahead.popleft().result()
                if isinstance(text, bytes) and raw is not None:
                    if not first:
                        raw.write(b",")
                    raw.write(text)
                elif isinstance(text, str):
                    if not first:
                        out.write(",")
                    out.write(text)
                first = False
        if raw is not None:
            raw.flush()
        out.write("]")
        out.write(', "notes": ')
        out.write(json.dumps(self.notes, ensure_ascii=False))
        out.write("}\n")
