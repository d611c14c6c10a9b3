"""Limits on what Socle accepts to read: one documented place, overridable by environment and CLI.

Each limit has a name, a default, an environment variable (``SOCLE_LIMIT_<NAME>``) and a French
description used in error messages and in ``docs/limits.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from socle.errors import UsageError

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds applied before and while reading an input file."""

    max_bytes: int = 2048 * _MIB
    """Largest input file accepted, in bytes."""
    max_rows: int = 20_000_000
    """Largest number of data rows accepted."""
    max_cells: int = 1_000_000_000
    """Largest number of cells (rows × columns) accepted."""
    max_columns: int = 2_000
    """Largest number of columns accepted."""
    max_uncompressed_bytes: int = 1024 * _MIB
    """Largest total uncompressed size of a spreadsheet (XLSX/ODS are ZIP archives), checked before parsing."""
    max_compression_ratio: int = 200
    """Largest uncompressed/compressed ratio of a spreadsheet archive (defends against ZIP bombs)."""
    max_spreadsheet_cells: int = 50_000_000
    """Largest number of cells read from one spreadsheet sheet (spreadsheets are read in memory)."""
    max_record_bytes: int = 256 * _MIB
    """Longest CSV record (one row, quoted line breaks included): beyond it a quote is surely never closed."""
    batch_bytes: int = 8 * _MIB
    """Size of the slices in which CSV files are read and validated (bounds memory on large files)."""

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def describe(cls) -> dict[str, str]:
        """French description of each limit, for errors and docs."""
        return dict(_DESCRIPTIONS)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Defaults overridden by ``SOCLE_LIMIT_<NAME>`` variables (e.g. ``SOCLE_LIMIT_MAX_ROWS=1000``)."""
        env = os.environ if environ is None else environ
        overrides: dict[str, Any] = {}
        for name in cls.names():
            key = f"SOCLE_LIMIT_{name.upper()}"
            if key in env:
                overrides[name] = _parse_positive_int(env[key], key)
        return replace(cls(), **overrides)

    def with_overrides(self, **overrides: int | None) -> Limits:
        """Copy with the given limits replaced (``None`` values are ignored)."""
        unknown = set(overrides) - set(self.names())
        if unknown:
            raise UsageError(f"Limite inconnue : {', '.join(sorted(unknown))}.")
        kept = {k: _check_positive(v, k) for k, v in overrides.items() if v is not None}
        return replace(self, **kept)


_DESCRIPTIONS = {
    "max_bytes": "taille maximale du fichier, en octets",
    "max_rows": "nombre maximal de lignes de données",
    "max_cells": "nombre maximal de cellules (lignes × colonnes)",
    "max_columns": "nombre maximal de colonnes",
    "max_uncompressed_bytes": "taille décompressée maximale d'un tableur, en octets",
    "max_compression_ratio": "rapport maximal entre taille décompressée et taille compressée d'un tableur",
    "max_spreadsheet_cells": "nombre maximal de cellules lues dans une feuille de tableur",
    "max_record_bytes": "taille maximale d'une ligne de CSV (sauts de ligne entre guillemets compris), en octets",
    "batch_bytes": "taille des tranches de lecture des fichiers CSV, en octets",
}


def _parse_positive_int(raw: str, key: str) -> int:
    try:
        value = int(raw.replace("_", "").strip())
    except ValueError:
        raise UsageError(f"La variable {key} doit être un nombre entier positif, pas « {raw} ».") from None
    return _check_positive(value, key)


def _check_positive(value: int, key: str) -> int:
    if value <= 0:
        raise UsageError(f"La limite {key} doit être un nombre entier strictement positif, pas {value}.")
    return value
