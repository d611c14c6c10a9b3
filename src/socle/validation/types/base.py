"""Base class and registry of Table Schema field types, one module per type.

A type parses a String series (nulls are missing values and stay null, and are valid) into a typed
series, and says which cells fail. Parsing is vectorised with polars; a type whose rules need
Python (JSON, durations…) works on the column's distinct values only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import Field
from socle.validation.registry import import_rule_modules


class FieldType(ABC):
    """How one field's cells are read, following Table Schema v1 as frictionless implements it."""

    name: ClassVar[str]
    """Table Schema type name (``integer``, ``date``…)."""

    def __init__(self, field: Field) -> None:
        self.field = field

    @property
    @abstractmethod
    def dtype(self) -> pl.DataType:
        """The polars type of the parsed values."""

    @abstractmethod
    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        """Return ``(typed, ok)``: the parsed values (null where invalid or missing) and a Boolean
        series, true where the cell is valid or null. Both have the length of ``values``."""

    def detail(self) -> str:
        """Key of the type-error message in the catalogue (``integer``, ``string/email``…)."""
        return self.name

    def message_params(self) -> dict[str, str]:
        """Constant parameters of the type-error message (``expected`` format…)."""
        return {}

    def constant(self, value: Any) -> Any:
        """Parse a schema constant (``minimum``, ``enum`` item…) to a value comparable with ``typed``;
        raise ``ValueError`` if it does not fit the type."""
        text = value if isinstance(value, str) else _json_scalar_text(value)
        typed, ok = self.parse(pl.Series([text], dtype=pl.String))
        if not ok[0] or typed[0] is None:
            raise ValueError(text)
        return typed[0]

    def read_json(self, value: Any) -> tuple[bool, Any]:
        """Read a value that comes from JSON rather than from text (an element of an array with
        ``arrayItem``): ``(valid, typed value)``. Text is parsed as a cell; other JSON values follow
        frictionless' rule for the type (by default, only text is accepted)."""
        if isinstance(value, str):
            typed, ok = self.parse(pl.Series([value], dtype=pl.String))
            return bool(ok[0]), typed[0]
        return False, None

    def fast(self, values: pl.Series) -> tuple[pl.Series, pl.Series | None] | None:
        """The certain, cheap part of :meth:`parse` over a whole column: ``(typed, decided)`` where
        ``decided`` is true for cells that are valid with the value ``typed`` (exactly what
        :meth:`parse` says of them) and false or null for the others, which are left to :meth:`parse`
        (``decided`` None: every non-null cell is decided). None when the type has no such reading.

        The engine reads the usual cells of a column with this, and only the few others with
        :meth:`parse`."""
        return None

    def parse_container(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        """Like :meth:`parse`, without judging the elements of a container (``arrayItem``): frictionless
        judges the elements only of a cell that passed its own type and constraints."""
        return self.parse(values)

    def items_type_ok(self, values: pl.Series) -> pl.Series | None:
        """Boolean series, true where every element has the ``arrayItem`` type; None without ``arrayItem``."""
        return None

    def item_violations(self, values: pl.Series) -> dict[str, pl.Series]:
        """For ``array`` fields with ``arrayItem`` constraints: constraint name → Boolean series, true
        where an element of the cell breaks that constraint of ``arrayItem`` (frictionless reports
        it as a constraint error of the cell). Empty for every other field."""
        return {}


def _json_scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_REGISTRY: dict[str, type[FieldType]] = {}


def register(cls: type[FieldType]) -> type[FieldType]:
    _REGISTRY[cls.name] = cls
    return cls


def load_registry() -> Mapping[str, type[FieldType]]:
    import_rule_modules("socle.validation.types")
    return dict(_REGISTRY)


def field_type(field: Field) -> FieldType:
    """The type instance that reads ``field``."""
    registry = load_registry()
    return registry[field.type](field)
