"""Building the frames handed to the engine, and turning a stream of frames into a :class:`Table`.

Readers produce frames of *records* numbered from the header (row ``header_row``); :func:`assemble`
takes the first record as the header, checks the row and cell limits as batches go by, and pads
every batch to the header's width. :func:`start_at` takes a later record as the header instead
(title rows above a table), keeping the file's row numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain, zip_longest
from pathlib import Path

import polars as pl

from socle.errors import LimitExceededError, Location, UnusableInputError, UsageError
from socle.io.table import CELLS, ROW, Batch, SourceInfo, Table, column_name
from socle.limits import Limits


def limit_error(name: str, limits: Limits, location: Location | None, found: str = "") -> LimitExceededError:
    """French error naming the limit, its value and how to raise it."""
    value = f"{getattr(limits, name):,}".replace(",", "\u202f")
    description = Limits.describe().get(name, name)
    detail = f" ({found})" if found else ""
    return LimitExceededError(
        f"Le fichier dépasse la limite {name}{detail} : {description}, fixée à {value}. "
        f"Pour la relever, définissez la variable d'environnement SOCLE_LIMIT_{name.upper()}.",
        location,
    )


def rows_frame(rows: Sequence[Sequence[str]], first_row: int, min_width: int = 0) -> pl.DataFrame:
    """Frame of text rows numbered from ``first_row``; absent cells of short rows are null."""
    width = max(min_width, max((len(row) for row in rows), default=0))
    columns: list[Sequence[str | None]] = list(zip_longest(*rows, fillvalue=None)) if rows else []
    data: dict[str, pl.Series] = {}
    for position in range(width):
        values = columns[position] if position < len(columns) else [None] * len(rows)
        name = column_name(position)
        data[name] = pl.Series(name, values, dtype=pl.String)
    data[ROW] = pl.Series(ROW, range(first_row, first_row + len(rows)), dtype=pl.Int64)
    data[CELLS] = pl.Series(CELLS, [len(row) for row in rows], dtype=pl.Int32)
    return pl.DataFrame(data)


def frame_width(frame: pl.DataFrame) -> int:
    """Number of cell columns of a frame (without ``__row__`` and ``__cells__``)."""
    return frame.width - 2


def pad(frame: pl.DataFrame, width: int) -> pl.DataFrame:
    """Add null cell columns so that the frame has at least ``width`` of them, in order."""
    have = frame_width(frame)
    if have >= width:
        return frame
    extra = [pl.lit(None, dtype=pl.String).alias(column_name(i)) for i in range(have, width)]
    cells = [column_name(i) for i in range(have)]
    return frame.select([*cells, *extra, ROW, CELLS])


def header_of(frame: pl.DataFrame) -> list[str]:
    """Labels of the first record of ``frame`` (only the cells it really had)."""
    count = int(frame[CELLS][0])
    return [str(frame[column_name(i)][0]) for i in range(count)]


def assemble(frames: Iterator[pl.DataFrame], source: SourceInfo, limits: Limits, empty_message: str) -> Table:
    """A :class:`Table` whose header is the first record of ``frames``.

    Raises :class:`UnusableInputError` with ``empty_message`` when there is no record at all.
    """
    first = next((frame for frame in frames if frame.height), None)
    if first is None:
        raise UnusableInputError(empty_message, Location(file=_name(source)))
    header = header_of(first)
    header_row = int(first[ROW][0])
    if len(header) > limits.max_columns:
        raise limit_error(
            "max_columns", limits, Location(file=_name(source), row=header_row), f"{len(header)} colonnes"
        )
    rest = first.slice(1)
    return Table(
        header=header,
        source=source,
        header_row=header_row,
        _batches=_checked(_chain(rest, frames), len(header), source, limits),
    )


def start_at(table: Table, header_row: int, limits: Limits) -> Table:
    """``table`` read from record ``header_row`` on: that record is the header, those above are dropped.

    Row numbers stay those of the file; a note says which rows were skipped. Raises
    :class:`UsageError` when the record does not exist, is blank, or lies above the table (a
    spreadsheet whose first filled row is below it).
    """
    if header_row == table.header_row:
        return table
    name = _name(table.source)
    if header_row < table.header_row:
        raise UsageError(
            f"La ligne {header_row} ne peut pas être l'en-tête : le tableau commence à la ligne "
            f"{table.header_row}, les lignes au-dessus sont vides.",
            Location(file=name, row=header_row),
        )
    frames = _records_from(table.batches(), header_row)
    first = next(frames, None)
    if first is None or int(first[ROW][0]) != header_row:
        raise UsageError(
            f"La ligne {header_row} ne peut pas être l'en-tête : le fichier s'arrête avant.",
            Location(file=name, row=header_row),
        )
    if int(first[CELLS][0]) == 0:
        raise UsageError(
            f"La ligne {header_row} ne peut pas être l'en-tête : elle est vide.",
            Location(file=name, row=header_row),
        )
    skipped = (
        f"la ligne {table.header_row} est ignorée"
        if header_row - table.header_row == 1
        else f"les lignes {table.header_row} à {header_row - 1} sont ignorées"
    )
    table.source.notes.append(f"En-tête lu à la ligne {header_row} : {skipped}.")
    empty = f"Le fichier ne contient rien à partir de la ligne {header_row}."
    return assemble(chain([first], frames), table.source, limits, empty)


def _records_from(batches: Iterator[Batch], row: int) -> Iterator[pl.DataFrame]:
    """Frames of the batches without the records numbered below ``row`` (numbers only increase)."""
    for batch in batches:
        frame = batch.frame
        if not frame.height or int(frame[ROW][frame.height - 1]) < row:
            continue
        if int(frame[ROW][0]) < row:
            frame = frame.filter(pl.col(ROW) >= row)
        yield frame


def _chain(first: pl.DataFrame, frames: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    if first.height:
        yield first
    yield from frames


def _name(source: SourceInfo) -> str:
    return Path(source.path).name


def _checked(
    frames: Iterator[pl.DataFrame], header_width: int, source: SourceInfo, limits: Limits
) -> Iterator[Batch]:
    rows = 0
    cells = 0
    for frame in frames:
        if not frame.height:
            continue
        width = max(frame_width(frame), header_width)
        if rows + frame.height > limits.max_rows:
            over = int(frame[ROW][limits.max_rows - rows])
            raise limit_error("max_rows", limits, Location(file=_name(source), row=over))
        if cells + frame.height * width > limits.max_cells:
            index = max(0, min(frame.height - 1, (limits.max_cells - cells) // max(width, 1)))
            raise limit_error("max_cells", limits, Location(file=_name(source), row=int(frame[ROW][index])))
        rows += frame.height
        cells += frame.height * width
        yield Batch(pad(frame, header_width))
