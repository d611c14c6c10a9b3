"""What a reader hands to the engine: a header and batches of rows, every cell as text.

Cells are never typed by the reader: ``01001`` stays ``01001``. A batch is a polars frame whose
columns are named ``c0 … c{n-1}`` after the position in the header, plus:

- ``__row__`` (Int64): the row number as in the source file (the header row of a CSV is row 1,
  a data row's number counts records, not physical lines; in a spreadsheet, the sheet's row number);
- ``__cells__`` (Int32): how many cells the source row really had, so that missing and extra
  cells can be told from empty ones.

Cells beyond the header's width are kept in extra columns ``c{n}``, ``c{n+1}``… (never lost);
``Batch.width`` tells how many columns the frame holds.
A cell that is absent from the row is null; an empty cell is the empty string ``""``.

The texts of a batch may point into buffers holding a whole slice of the file (the C scanner's copy
of it, polars' own buffers): what is kept beyond the batch is copied out with :func:`owned` first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import polars as pl

ROW = "__row__"
CELLS = "__cells__"


def owned(frame: pl.DataFrame, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """``frame`` with its own copy of its texts (of ``columns`` only, when given). Kept as they are, a
    few strings filtered out of a batch would keep alive the buffers of its slices, every column of
    them: memory would grow with every batch kept that way."""
    texts = [
        name
        for name, dtype in frame.schema.items()
        if dtype == pl.String and (columns is None or name in columns)
    ]
    if not texts or not frame.height:
        return frame
    return frame.with_columns(pl.concat_str([pl.col(name), pl.lit("")]).alias(name) for name in texts)


def column_name(position: int) -> str:
    """Name of the frame column holding the cells at 0-based ``position`` in the source row."""
    return f"c{position}"


@dataclass(frozen=True)
class Batch:
    """A slice of consecutive data rows."""

    frame: pl.DataFrame

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def width(self) -> int:
        return self.frame.width - 2


@dataclass
class SourceInfo:
    """How the file was read, reported to the user."""

    path: str
    format: str  # "csv", "xlsx", "xls", "ods"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """French remarks on what the reader detected (a lying BOM, other sheets ignored…)."""


@dataclass
class Table:
    """A readable table: header labels (row ``header_row``), then batches of data rows."""

    header: list[str]
    source: SourceInfo
    header_row: int
    _batches: Iterator[Batch]

    def batches(self) -> Iterator[Batch]:
        """Iterate once over the data rows, in order."""
        return self._batches

    @classmethod
    def from_rows(
        cls,
        rows: list[list[str]],
        source: SourceInfo | None = None,
        first_row_number: int = 1,
    ) -> Table:
        """Build a table from in-memory rows (first row is the header); for tests and small inputs."""
        info = source or SourceInfo(path="<mémoire>", format="rows")
        header = list(rows[0]) if rows else []
        data = rows[1:]
        width = max([len(header), *(len(r) for r in data)]) if data or header else 0
        columns: dict[str, list[str | None]] = {
            column_name(i): [r[i] if i < len(r) else None for r in data] for i in range(width)
        }
        frame = pl.DataFrame(
            {
                **{k: pl.Series(k, v, dtype=pl.String) for k, v in columns.items()},
                ROW: pl.Series(ROW, range(first_row_number + 1, first_row_number + 1 + len(data)), pl.Int64),
                CELLS: pl.Series(CELLS, [len(r) for r in data], pl.Int32),
            }
        )
        return cls(header=header, source=info, header_row=first_row_number, _batches=iter([Batch(frame)]))
