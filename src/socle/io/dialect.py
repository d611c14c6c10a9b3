"""CSV dialect detection: which delimiter, and whether spaces after it are skipped.

Only the delimiter varies in practice in French open data (``,`` ``;`` tab ``|``); the quote is
always ``"`` doubled to escape itself (RFC 4180). Detection reads the first records with Python's
csv module (so it is quote-aware) and keeps the candidate that splits the header into several cells
and the following records into the same number of cells most consistently.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from socle.errors import UsageError

CANDIDATES = (",", ";", "\t", "|")
SAMPLE_RECORDS = 100
"""Records read to detect the dialect (frictionless reads 100 lines too)."""

_NAMES = {",": "virgule « , »", ";": "point-virgule « ; »", "\t": "tabulation", "|": "barre verticale « | »"}


@dataclass(frozen=True)
class Dialect:
    """What the CSV parser needs to know about the file."""

    delimiter: str
    skip_initial_space: bool = False
    """Spaces right after a delimiter are not part of the cell (``a, b`` reads ``b``), as Validata does
    when every delimiter of the header is followed by a space."""


def delimiter_name(delimiter: str) -> str:
    """French name of a delimiter, for notes and messages."""
    return _NAMES.get(delimiter, f"« {delimiter} »")


def check_delimiter(delimiter: str) -> str:
    """Validate a delimiter given by the user (``\\t`` and ``tab`` mean a tabulation)."""
    if delimiter in ("\\t", "tab", "tabulation"):
        return "\t"
    if len(delimiter) != 1 or delimiter in ('"', "\r", "\n"):
        raise UsageError(
            f"Séparateur invalide : « {delimiter} ». Indiquez un seul caractère, par exemple , ; | ou \\t."
        )
    return delimiter


def _records(sample: str, delimiter: str, complete: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > SAMPLE_RECORDS:
                break
    except csv.Error:
        pass
    if not complete and len(rows) > 1 and len(rows) <= SAMPLE_RECORDS:
        rows.pop()  # the last record of a truncated sample may be cut
    return rows[: SAMPLE_RECORDS + 1]


def _score(rows: list[list[str]]) -> tuple[float, int]:
    """(share of data records with as many cells as the header, header width)."""
    width = len(rows[0]) if rows else 0
    data = [row for row in rows[1:] if row]
    if not data:
        return 1.0, width
    return sum(len(row) == width for row in data) / len(data), width


def _skip_initial_space(header: list[str]) -> bool:
    # The header was split without skipping spaces: each cell after the first starts with the
    # space that followed its delimiter.
    return len(header) > 1 and all(cell.startswith(" ") for cell in header[1:])


def detect_dialect(sample: str, complete: bool, delimiter: str | None = None) -> tuple[Dialect, list[str]]:
    """Dialect of a CSV whose first characters are ``sample`` (``complete`` if it is the whole file).

    Returns the dialect and French notes on what was detected.
    """
    notes: list[str] = []
    if delimiter is not None:
        chosen = check_delimiter(delimiter)
        notes.append(f"Séparateur imposé : {delimiter_name(chosen)}.")
    else:
        best: tuple[float, int, int] | None = None
        chosen = ","
        for rank, candidate in enumerate(CANDIDATES):
            consistency, width = _score(_records(sample, candidate, complete))
            if width < 2:
                continue
            key = (consistency, width, -rank)
            if best is None or key > best:
                best, chosen = key, candidate
        if best is None:
            notes.append(
                "Aucun séparateur trouvé dans l'en-tête : le fichier est lu comme une seule colonne."
            )
        else:
            notes.append(f"Séparateur détecté : {delimiter_name(chosen)}.")
    rows = _records(sample, chosen, complete)
    skip = _skip_initial_space(rows[0]) if rows else False
    if skip:
        notes.append(
            "Chaque séparateur de l'en-tête est suivi d'une espace : les espaces en début de cellule "
            "sont ignorées (comme le fait Validata)."
        )
    return Dialect(chosen, skip), notes


def header_width(sample: str, complete: bool, dialect: Dialect) -> int:
    """Number of cells of the first record of ``sample`` (0 for an empty first line)."""
    reader = csv.reader(
        io.StringIO(sample, newline=""),
        delimiter=dialect.delimiter,
        quotechar='"',
        skipinitialspace=dialect.skip_initial_space,
        strict=False,
    )
    try:
        return len(next(reader, []))
    except csv.Error:
        return 0
