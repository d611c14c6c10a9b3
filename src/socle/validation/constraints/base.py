"""Base class and registry of per-cell Table Schema constraints, one module per family.

A constraint judges the cells of one column of a batch that passed their type (``typed`` is the
parsed value, null when the cell is a missing value). ``unique`` and ``primaryKey`` span the whole
table and live in :mod:`socle.validation.uniqueness`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import Field
from socle.validation.registry import import_rule_modules
from socle.validation.types.base import FieldType


class Constraint(ABC):
    """One constraint of one field, ready to judge batches."""

    names: ClassVar[tuple[str, ...]]
    """The constraint keys this class handles (``minimum``, ``maximum``…)."""
    types: ClassVar[frozenset[str] | None] = None
    """Field types the constraint applies to, as in frictionless (None: every type)."""

    def __init__(self, name: str, value: Any, field: Field, ftype: FieldType) -> None:
        self.name = name
        self.value = value
        self.field = field
        self.ftype = ftype

    @abstractmethod
    def violated(self, typed: pl.Series, missing: pl.Series) -> pl.Series:
        """Boolean series: true where the cell breaks the constraint (null counts as false)."""

    def message_params(self) -> dict[str, str]:
        """Constant parameters of the French message (``limit``, ``allowed``…)."""
        return {}

    def schema_problem(self) -> str | None:
        """A French reason why this constraint cannot be evaluated at all, or None."""
        return None

    def budget_problems(self) -> list[str]:
        """Values that could not be judged in this batch (e.g. a regular expression over budget)."""
        return []


_REGISTRY: dict[str, type[Constraint]] = {}


def register(cls: type[Constraint]) -> type[Constraint]:
    for name in cls.names:
        _REGISTRY[name] = cls
    return cls


def load_registry() -> Mapping[str, type[Constraint]]:
    import_rule_modules("socle.validation.constraints")
    return dict(_REGISTRY)


def build_constraints(field: Field, ftype: FieldType) -> list[Constraint]:
    """The cell constraints of ``field`` (required, unique and jsonSchema excepted), in schema order."""
    registry = load_registry()
    built = []
    for name, value in field.constraints.items():
        if name in {"required", "unique"} or value is None:
            continue
        cls = registry.get(name)
        if cls is None:
            continue
        if cls.types is not None and field.type not in cls.types:
            continue
        built.append(cls(name, value, field, ftype))
    return built
