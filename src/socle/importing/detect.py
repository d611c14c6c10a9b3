"""Finding the table in a file: which sheet of a workbook, which row holds the header.

Files written by hand put a title above the table, blank rows, notes; a workbook may open on a
summary sheet; a header may span two rows (group labels merged above the field labels). :func:`detect`
previews the file (:mod:`socle.io.preview`), maps each of the first rows to the schema as if it were
the header (:mod:`socle.importing.mapping`), also each pair of rows that looks like a two-row header,
and keeps the one where most columns are recognised; in a workbook, the sheet where most columns are
recognised. The result says what was chosen and why, in French, and reads the table from there
(:meth:`Detection.read`), with the file's own row numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from socle.errors import UsageError
from socle.importing.mapping import ColumnMapping, Matcher, compact, map_columns
from socle.io import Table, read_table
from socle.io.preview import PREVIEW_RECORDS, MergedRange, SheetPreview, preview_file
from socle.limits import Limits
from socle.schemas import TableSchema

HEADER_SEARCH_ROWS = 20
"""How many of the first rows may be the header (titles and notes above a table are short)."""
TITLE_MAX_CELLS = 2
"""A row above the header with at most this many filled cells is described as a title."""

_NUMBER_OR_DATE = re.compile(r"^[\s\d.,:/+\-€%]+$")


@dataclass(frozen=True)
class SkippedRows:
    """Consecutive rows above the header, of one kind (French: « vide », « titre »…)."""

    first: int
    last: int
    kind: str

    def describe(self) -> str:
        """« ligne 3 : vide », « lignes 1 à 2 : titre »."""
        rows = f"ligne {self.first}" if self.first == self.last else f"lignes {self.first} à {self.last}"
        return f"{rows} : {self.kind}"


@dataclass(frozen=True)
class HeaderChoice:
    """The header row found in a sheet or CSV file, and why."""

    row: int
    """Row number of the header (of its lower row when it spans two): what ``read_table`` takes."""
    group_row: int | None
    """Row of the group labels above it, for a header on two rows."""
    labels: tuple[str, ...]
    """The labels mapped to the schema (group and field labels combined for a header on two rows)."""
    mapping: ColumnMapping
    skipped: tuple[SkippedRows, ...]
    """What lies above the header."""
    by_schema: bool
    """False when no row had a recognised column: the first row of labels was taken."""
    reason: str
    """Why this row (French)."""


@dataclass(frozen=True)
class SheetChoice:
    """What was found in one sheet of a workbook."""

    name: str
    index: int
    """0-based position in the workbook."""
    header: HeaderChoice | None
    status: str
    """French summary: « 11 colonnes reconnues », « vide », « illisible : … »."""

    @property
    def recognised(self) -> int:
        return self.header.mapping.recognised if self.header is not None else 0


@dataclass(frozen=True)
class Detection:
    """Where the table of a file is, how its columns map to the schema, and why."""

    path: str
    format: str
    sheet: str | None
    """The sheet chosen (None for a CSV file)."""
    header: HeaderChoice
    sheets: tuple[SheetChoice, ...] = ()
    """Every sheet of a workbook, as examined (empty for a CSV file)."""
    sheet_reason: str | None = None
    notes: tuple[str, ...] = ()
    """What the preview detected (encoding, delimiter)."""
    encoding: str | None = None
    """Encoding forced by the caller, passed on to :meth:`read`."""
    delimiter: str | None = None
    """Delimiter forced by the caller, passed on to :meth:`read`."""

    @property
    def mapping(self) -> ColumnMapping:
        return self.header.mapping

    @property
    def reasons(self) -> list[str]:
        """What was chosen and why, in French, one line each."""
        lines = [self.sheet_reason] if self.sheet_reason else []
        return [*lines, self.header.reason]

    def read(self, limits: Limits | None = None) -> Table:
        """The table from the header found on, with the file's row numbers.

        For a header on two rows, the table's labels are the combined ones, as mapped.
        """
        table = read_table(
            self.path,
            limits=limits,
            sheet=self.sheet,
            encoding=self.encoding,
            delimiter=self.delimiter,
            header_row=self.header.row,
        )
        if self.header.group_row is None:
            return table
        note = (
            f"En-tête sur deux lignes ({self.header.group_row} et {self.header.row}) : les libellés de "
            "groupe sont joints aux libellés de champ."
        )
        labels = [*self.header.labels, *table.header[len(self.header.labels) :]]
        source = replace(table.source, notes=[*table.source.notes, note])
        return Table(header=labels, source=source, header_row=table.header_row, _batches=table.batches())


def detect(
    path: str | Path,
    schema: TableSchema,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    limits: Limits | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Detection:
    """Find the sheet and the header row of ``path`` for ``schema``, and map its columns.

    ``sheet`` (name or 1-based number) and ``header_row`` impose what is otherwise searched;
    ``encoding`` and ``delimiter`` force the CSV reading as in :func:`socle.io.read_table`.
    Raises the reading errors of :func:`socle.io.read_table`, and :class:`UsageError` when the file
    holds nothing or the sheet asked for does not exist.
    """
    records = max(PREVIEW_RECORDS, (header_row or 0) + 1)
    preview = preview_file(path, records=records, limits=limits, encoding=encoding, delimiter=delimiter)
    matcher = Matcher(schema)
    name = Path(preview.path).name
    if preview.format == "csv":
        if sheet is not None:
            raise UsageError("Le choix de la feuille ne s'applique qu'aux tableurs (XLSX, XLS, ODS).")
        found = _header_of(preview.sheets[0], schema, matcher, header_row)
        if found is None:
            raise UsageError(f"Le fichier « {name} » ne contient aucune ligne remplie.")
        return Detection(
            preview.path, "csv", None, found, notes=preview.notes, encoding=encoding, delimiter=delimiter
        )
    wanted = _wanted_sheet(preview.sheets, sheet, name)
    choices = [_examine(s, schema, matcher, header_row, wanted) for s in preview.sheets]
    chosen, reason = _choose_sheet(choices, wanted)
    if chosen is None or chosen.header is None:
        if wanted is not None:
            status = choices[wanted].status
            raise UsageError(f"La feuille « {choices[wanted].name} » du classeur « {name} » est {status}.")
        raise UsageError(f"Le classeur « {name} » ne contient aucune feuille remplie.")
    return Detection(
        preview.path,
        preview.format,
        chosen.name,
        chosen.header,
        sheets=tuple(choices),
        sheet_reason=reason,
        notes=preview.notes,
    )


def _wanted_sheet(sheets: Sequence[SheetPreview], sheet: str | int | None, name: str) -> int | None:
    """0-based index of the sheet the caller imposed, if any."""
    if sheet is None:
        return None
    for s in sheets:
        if s.name == sheet:
            return s.index
    if isinstance(sheet, int) or sheet.strip().isdigit():
        number = int(sheet)
        if 1 <= number <= len(sheets):
            return number - 1
    listing = ", ".join(f"{s.index + 1}. « {s.name} »" for s in sheets)
    raise UsageError(f"Feuille « {sheet} » introuvable dans le classeur « {name} » : {listing}.")


def _examine(
    sheet: SheetPreview, schema: TableSchema, matcher: Matcher, header_row: int | None, wanted: int | None
) -> SheetChoice:
    name = sheet.name or ""
    if wanted is not None and sheet.index != wanted:
        return SheetChoice(name, sheet.index, None, "non examinée (une autre feuille est imposée)")
    if sheet.error is not None:
        return SheetChoice(name, sheet.index, None, f"illisible : {sheet.error}")
    header = _header_of(sheet, schema, matcher, header_row)
    if header is None:
        return SheetChoice(name, sheet.index, None, "vide")
    count = header.mapping.recognised
    status = "aucune colonne reconnue" if not count else f"{count} colonne{_s(count)} reconnue{_s(count)}"
    return SheetChoice(name, sheet.index, header, status)


def _choose_sheet(choices: Sequence[SheetChoice], wanted: int | None) -> tuple[SheetChoice | None, str]:
    """The sheet with the most recognised columns (the first of equals), and why (French)."""
    filled = [c for c in choices if c.header is not None]
    if not filled:
        return None, ""
    if wanted is not None:
        chosen = filled[0]
        why = f"feuille « {chosen.name} » imposée ({chosen.status})"
    elif len(choices) == 1:
        chosen = filled[0]
        return chosen, f"feuille « {chosen.name} », la seule du classeur ({chosen.status})"
    else:
        chosen = max(filled, key=lambda c: (c.recognised, -c.index))
        if chosen.recognised:
            why = f"feuille « {chosen.name} » choisie : {chosen.status}, le plus grand nombre du classeur"
        else:
            why = f"feuille « {chosen.name} » choisie faute de mieux (première feuille remplie) : {chosen.status}"
    others = [f"« {c.name} » : {c.status}" for c in choices if c is not chosen]
    return chosen, why + (" ; autres feuilles : " + " ; ".join(others) if others else "")


# --- The header of one sheet -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    position: int
    """Index of the (lower) header row among the previewed rows."""
    group: int | None
    labels: tuple[str, ...]
    mapping: ColumnMapping


def find_header(
    sheet: SheetPreview, schema: TableSchema, *, header_row: int | None = None
) -> HeaderChoice | None:
    """The header of a previewed sheet or CSV file (None when it is empty); ``header_row`` imposes it."""
    return _header_of(sheet, schema, Matcher(schema), header_row)


def _header_of(
    sheet: SheetPreview, schema: TableSchema, matcher: Matcher, header_row: int | None
) -> HeaderChoice | None:
    if header_row is not None:
        return _imposed(sheet, schema, matcher, header_row)
    rows = [list(row) for row in sheet.rows]
    numbers = list(sheet.row_numbers)
    filled = [i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if _filled(row)]
    if not filled:
        return None
    candidates: list[_Candidate] = []
    for i in filled:
        candidates.append(_Candidate(i, None, tuple(rows[i]), map_columns(rows[i], schema, matcher=matcher)))
        below = i + 1
        if below < len(rows) and below < HEADER_SEARCH_ROWS and _filled(rows[below]):
            groups = group_labels(rows[i], rows[below], _merged_in_row(sheet.merged, numbers[i]))
            if groups is not None:
                labels = tuple(combine_labels(groups, rows[below]))
                mapping = map_columns(labels, schema, matcher=matcher)
                candidates.append(_Candidate(below, i, labels, mapping))
    best = max(candidates, key=lambda c: (c.mapping.recognised, c.group is None, -c.position))
    if best.mapping.recognised:
        return _choice(best, rows, numbers, True)
    position = _first_labels_row(rows, filled)
    fallback = _Candidate(
        position, None, tuple(rows[position]), map_columns(rows[position], schema, matcher=matcher)
    )
    return _choice(fallback, rows, numbers, False)


def _imposed(sheet: SheetPreview, schema: TableSchema, matcher: Matcher, header_row: int) -> HeaderChoice:
    rows = [list(row) for row in sheet.rows]
    numbers = list(sheet.row_numbers)
    if header_row not in numbers:
        first = f"commence à la ligne {numbers[0]}" if numbers else "est vide"
        raise UsageError(f"Ligne d'en-tête {header_row} introuvable : {sheet.label()} {first}.")
    position = numbers.index(header_row)
    candidate = _Candidate(
        position, None, tuple(rows[position]), map_columns(rows[position], schema, matcher=matcher)
    )
    choice = _choice(candidate, rows, numbers, True)
    return replace(choice, reason=choice.reason.replace("choisie comme en-tête", "imposée comme en-tête", 1))


def _choice(
    candidate: _Candidate, rows: list[list[str]], numbers: list[int], by_schema: bool
) -> HeaderChoice:
    top = candidate.group if candidate.group is not None else candidate.position
    width = sum(bool(cell.strip()) for cell in rows[candidate.position])
    skipped = tuple(_describe_above(rows[:top], numbers[:top], width))
    mapping = candidate.mapping
    counted = f"{mapping.recognised} colonne{_s(mapping.recognised)} sur {mapping.labelled} reconnue{_s(mapping.recognised)}"
    row = numbers[candidate.position]
    if candidate.group is not None:
        reason = (
            f"lignes {numbers[candidate.group]} et {row} choisies comme en-tête sur deux lignes (libellés de "
            f"groupe au-dessus des libellés de champ, joints) : {counted}"
        )
    elif by_schema:
        reason = f"ligne {row} choisie comme en-tête : {counted}"
    else:
        reason = (
            f"aucune colonne du schéma reconnue dans les {HEADER_SEARCH_ROWS} premières lignes : ligne {row} "
            "retenue comme en-tête, première ligne remplie de libellés"
        )
    if skipped:
        reason += " ; " + " ; ".join(part.describe() for part in skipped)
    return HeaderChoice(
        row=row,
        group_row=numbers[candidate.group] if candidate.group is not None else None,
        labels=candidate.labels,
        mapping=mapping,
        skipped=skipped,
        by_schema=by_schema,
        reason=reason,
    )


def _describe_above(rows: Sequence[Sequence[str]], numbers: Sequence[int], width: int) -> list[SkippedRows]:
    """Runs of rows above the header: « vide », « titre » (a few cells), « autre contenu »."""
    runs: list[SkippedRows] = []
    for row, number in zip(rows, numbers, strict=True):
        cells = sum(bool(cell.strip()) for cell in row)
        kind = (
            "vide" if not cells else "titre" if cells <= min(TITLE_MAX_CELLS, width - 1) else "autre contenu"
        )
        if runs and runs[-1].kind == kind and runs[-1].last == number - 1:
            runs[-1] = replace(runs[-1], last=number)
        else:
            runs.append(SkippedRows(number, number, kind))
    return runs


def _filled(row: Sequence[str]) -> bool:
    return any(cell.strip() for cell in row)


def _is_label(cell: str) -> bool:
    """A filled cell that is not a number, an amount or a date."""
    return bool(cell.strip()) and not _NUMBER_OR_DATE.match(cell)


def _first_labels_row(rows: Sequence[Sequence[str]], filled: Sequence[int]) -> int:
    """The first row filled with labels (texts, not numbers) over at least half the widest row."""
    widest = max(sum(bool(cell.strip()) for cell in rows[i]) for i in filled)
    for i in filled:
        cells = [cell for cell in rows[i] if cell.strip()]
        if len(cells) >= max(2, widest / 2) and all(_is_label(cell) for cell in cells):
            return i
    return filled[0]


# --- Headers on two rows -----------------------------------------------------------------------------


def _merged_in_row(merged: Sequence[MergedRange], row: int) -> list[MergedRange]:
    return [m for m in merged if m.first_row == row and m.last_column > m.first_column]


def group_labels(
    upper: Sequence[str], lower: Sequence[str], merged: Sequence[MergedRange] = ()
) -> list[str] | None:
    """The group label above each column, when ``upper`` holds group labels over ``lower``; else None.

    Merged cells of ``upper`` give each group's columns; without them (a CSV file), a group label
    runs right over the columns whose upper cell is empty and lower cell filled. A label above an
    empty lower cell is a column's own label written over both rows. ``upper`` is a group row when
    its labels are texts, fewer than the lower row's, and at least one spans several columns (in a
    file without merged cells, when there are at least two groups).
    """
    width = max(len(upper), len(lower))
    up = [upper[i].strip() if i < len(upper) else "" for i in range(width)]
    low = [lower[i].strip() if i < len(lower) else "" for i in range(width)]
    filled_up = [cell for cell in up if cell]
    if not filled_up or not all(_is_label(cell) for cell in filled_up):
        return None
    if len(filled_up) >= sum(bool(cell) for cell in low):
        return None
    groups = list(up)
    if merged:
        for span in merged:
            for column in range(max(span.first_column, 0), min(span.last_column + 1, width)):
                groups[column] = up[span.first_column] if 0 <= span.first_column < width else ""
        spanning = True
    else:
        current = ""
        spans = 0
        for column in range(width):
            if up[column]:
                current = up[column] if low[column] else ""
                spans += bool(current)
            elif current and low[column]:
                groups[column] = current
            else:
                current = ""
        spanning = spans >= 2 and any(not up[c] and groups[c] for c in range(width))
    return groups if spanning else None


def combine_labels(groups: Sequence[str], lower: Sequence[str]) -> list[str]:
    """One label per column: the group label joined to the field label (or whichever exists)."""
    labels: list[str] = []
    for column in range(max(len(groups), len(lower))):
        group = groups[column].strip() if column < len(groups) else ""
        label = lower[column].strip() if column < len(lower) else ""
        if group and label and compact(group) not in compact(label):
            labels.append(f"{group} {label}")
        else:
            labels.append(label or group)
    return labels


def _s(count: int) -> str:
    return "s" if count > 1 else ""
