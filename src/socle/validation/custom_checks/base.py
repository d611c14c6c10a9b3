"""Base class and registry of the French custom checks (``custom_checks`` in schema.data.gouv.fr schemas).

Each check lives in its own module of this package and registers itself with :func:`register`;
:func:`load_registry` imports every module of the package, so there is no hand-kept list.

A check sees a :class:`CheckContext` per batch of rows: for each field present in the file, the
cell text (``raw``, null when the cell is empty or a missing value) and the typed value (``typed``,
null when empty or when the cell has a type error), plus the source row numbers. As in Validata, a
check skips a row when one of the values it needs is null, unless it is about emptiness itself.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation.findings import empty_findings
from socle.validation.registry import import_rule_modules


class CheckParamsError(Exception):
    """The check's parameters in the schema are wrong; ``reason`` is French and says which and why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def raw_col(name: str) -> str:
    return f"raw:{name}"


def typed_col(name: str) -> str:
    return f"typed:{name}"


ROW_COL = "__row__"


@dataclass(frozen=True)
class CheckContext:
    """One batch of rows as custom checks see it."""

    frame: pl.DataFrame
    """Columns ``raw:<field>`` (String), ``typed:<field>`` (the field's polars type) for present
    fields, and ``__row__`` (Int64, source row numbers)."""
    schema: TableSchema
    positions: Mapping[str, int]
    """1-based column position in the source file of each present field."""

    def has(self, field: str) -> bool:
        return field in self.positions

    def raw(self, field: str) -> pl.Expr:
        return pl.col(raw_col(field)) if self.has(field) else pl.lit(None, pl.String)

    def typed(self, field: str) -> pl.Expr:
        return pl.col(typed_col(field)) if self.has(field) else pl.lit(None)

    def position(self, field: str) -> int | None:
        return self.positions.get(field)

    @property
    def row(self) -> pl.Expr:
        return pl.col(ROW_COL)


class CustomCheck(ABC):
    """A custom check, instantiated once per validation with the schema's parameters."""

    name: ClassVar[str]
    """The name used in schemas (``french-siret-value``…)."""
    codes: ClassVar[tuple[str, ...]]
    """The finding codes this check may report; each must be in the error catalogue."""

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        self.params = params
        self.schema = schema

    @abstractmethod
    def fields(self) -> Sequence[str]:
        """Names of the fields the check reads."""

    @abstractmethod
    def check(self, ctx: CheckContext) -> pl.DataFrame:
        """Findings for this batch (a frame of :data:`~socle.validation.findings.FINDING_SCHEMA` columns)."""

    def check_structure(self, present_fields: Sequence[str]) -> pl.DataFrame:
        """Findings about the header alone (for checks that must say when their columns are absent)."""
        return empty_findings()

    # Helpers for subclasses -------------------------------------------------------------------------
    def param_str(self, key: str, *alternatives: str) -> str:
        for k in (key, *alternatives):
            value = self.params.get(k)
            if value is not None:
                if not isinstance(value, str) or not value:
                    raise CheckParamsError(f"le paramètre « {k} » doit être un nom de colonne (texte).")
                return value
        raise CheckParamsError(f"le paramètre « {key} » est obligatoire.")

    def param_str_list(self, key: str) -> list[str]:
        value = self.params.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise CheckParamsError(
                f"le paramètre « {key} » doit être une liste non vide de noms de colonnes."
            )
        return list(value)


_REGISTRY: dict[str, type[CustomCheck]] = {}


def register[C: type[CustomCheck]](cls: C) -> C:
    """Class decorator: make a check available under its ``name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise RuntimeError(f"two custom checks named {cls.name}")
    _REGISTRY[cls.name] = cls
    return cls


def load_registry() -> Mapping[str, type[CustomCheck]]:
    """Import every module of this package once, then return the registry."""
    import_rule_modules("socle.validation.custom_checks")
    return dict(_REGISTRY)
