"""``array``: a JSON array, as ``json.loads`` reads it. Typed values are canonical JSON text.

With ``arrayItem``, frictionless 5.21 reads each element as a cell of a field built from that
descriptor (type ``any`` by default; keys other than field properties, such as an ``enum`` written
outside ``constraints``, are ignored):

- an element equal to one of the item field's missing values (``""`` by default), once turned into
  text as Python's ``str()`` does, is missing; ``null`` is missing too;
- an element the item type cannot read makes the cell a type error (text elements are read as cells
  of that type, other JSON values by the type's own rule: ``5`` is an integer, not a string);
- an element that breaks a constraint of ``arrayItem`` (``required``, ``enum``, ``pattern``,
  lengths, bounds) makes the cell break that constraint: see :meth:`ArrayType.item_violations`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import DEFAULT_FALSE_VALUES, DEFAULT_TRUE_VALUES, FIELD_TYPES, Field
from socle.validation.types._common import NOT_JSON, canonical_json, load_json
from socle.validation.types.base import FieldType, field_type, register
from socle.validation.types.object import parse_json_column

_MAX_REMEMBERED = 200_000
_BOUND_TYPES = frozenset({"integer", "number", "date", "time", "datetime", "year", "yearmonth"})
_LENGTH_TYPES = frozenset({"string", "array", "object"})


def item_field(parent: Field) -> Field | None:
    """The field frictionless builds from ``arrayItem`` (None without it)."""
    raw = parent.array_item
    if not raw:
        return None

    def strings(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = raw.get(key)
        return tuple(value) if isinstance(value, list) else default

    constraints = raw.get("constraints")
    missing = raw.get("missingValues")
    kind = raw.get("type", "any")
    return Field(
        name=str(raw.get("name", parent.name)),
        # An unknown item type is the schema's fault (reported when it is loaded): read as "any".
        type=kind if kind in FIELD_TYPES else "any",
        format=str(raw.get("format", "default")),
        constraints=dict(constraints) if isinstance(constraints, Mapping) else {},
        true_values=strings("trueValues", DEFAULT_TRUE_VALUES),
        false_values=strings("falseValues", DEFAULT_FALSE_VALUES),
        decimal_char=str(raw.get("decimalChar", ".")),
        group_char=str(raw.get("groupChar", "")),
        bare_number=bool(raw.get("bareNumber", True)),
        missing_values=tuple(missing) if isinstance(missing, list) else ("",),
        descriptor=raw,
    )


@dataclass
class _ArrayVerdict:
    """What the elements of one distinct cell give."""

    type_ok: bool = True
    broken: set[str] = field(default_factory=set)


class _ItemReader:
    """Reads the elements of arrays with the item field's type and checks its constraints."""

    def __init__(self, item: Field) -> None:
        self.item = item
        self.ftype = field_type(item)
        self.missing = set(item.missing_values or ("",))
        self.checks = self._checks()

    def _checks(self) -> dict[str, Callable[[Any, Any], bool]]:
        """Constraint name → test(element text or None, typed value or None) → broken?"""
        found: dict[str, Callable[[Any, Any], bool]] = {}
        constraints = self.item.constraints
        kind = self.item.type
        if constraints.get("required"):
            found["required"] = lambda _text, typed: typed is None
        if "enum" in constraints and isinstance(constraints["enum"], list):
            allowed = [self._constant(v) for v in constraints["enum"]]
            found["enum"] = lambda _text, typed: typed is not None and typed not in allowed
        if kind in _LENGTH_TYPES:
            for name, broken in (
                ("minLength", lambda n, lim: n < lim),
                ("maxLength", lambda n, lim: n > lim),
            ):
                limit = constraints.get(name)
                if isinstance(limit, int):
                    found[name] = _length_check(kind, limit, broken)
        if kind == "string" and isinstance(constraints.get("pattern"), str):
            found["pattern"] = _pattern_check(constraints["pattern"])
        if kind in _BOUND_TYPES:
            for name, broken in _BOUNDS.items():
                if name in constraints:
                    bound = self._constant(constraints[name])
                    if bound is not None:
                        found[name] = _bound_check(bound, broken)
        return found

    def _constant(self, value: Any) -> Any:
        try:
            return self.ftype.constant(value)
        except ValueError:
            return None

    def verdicts(self, arrays: list[list[Any]]) -> list[_ArrayVerdict]:
        """One verdict per array: element types, then constraints of the well-typed elements."""
        texts: list[str] = []
        where: list[tuple[int, int]] = []
        typed_items: list[list[Any]] = [[None] * len(a) for a in arrays]
        ok_items: list[list[bool]] = [[True] * len(a) for a in arrays]
        for i, elements in enumerate(arrays):
            for j, element in enumerate(elements):
                if element is None or _py_str(element) in self.missing:
                    continue
                if isinstance(element, str):
                    texts.append(element)
                    where.append((i, j))
                else:
                    ok_items[i][j], typed_items[i][j] = self.ftype.read_json(element)
        if texts:
            typed, ok = self.ftype.parse(pl.Series(values=texts, dtype=pl.String))
            for (i, j), t, o in zip(where, typed.to_list(), ok.to_list(), strict=True):
                typed_items[i][j], ok_items[i][j] = t, bool(o)
        results = []
        for i, elements in enumerate(arrays):
            verdict = _ArrayVerdict(type_ok=all(ok_items[i]))
            for j, element in enumerate(elements):
                if not ok_items[i][j]:
                    continue
                text = element if isinstance(element, str) else None
                for name, broken in self.checks.items():
                    if broken(text, typed_items[i][j]):
                        verdict.broken.add(name)
            results.append(verdict)
        return results


_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda v, b: v < b,
    "maximum": lambda v, b: v > b,
    "exclusiveMinimum": lambda v, b: v <= b,
    "exclusiveMaximum": lambda v, b: v >= b,
}


def _bound_check(bound: Any, broken: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def check(_text: Any, typed: Any) -> bool:
        if typed is None:
            return False
        if isinstance(typed, float) and math.isnan(typed):  # NaN is out of every bound, as in frictionless
            return True
        try:
            return bool(broken(typed, bound))
        except TypeError:
            return False

    return check


def _length_check(kind: str, limit: int, broken: Callable[[int, int], bool]) -> Callable[[Any, Any], bool]:
    def check(_text: Any, typed: Any) -> bool:
        if typed is None:
            return False
        size = len(typed) if kind == "string" else len(load_json(typed))
        return bool(broken(size, limit))

    return check


def _pattern_check(pattern: str) -> Callable[[Any, Any], bool]:
    from socle.validation.regex import CompiledPattern

    compiled = CompiledPattern.compile(pattern)

    def check(_text: Any, typed: Any) -> bool:
        if typed is None:
            return False
        verdict = compiled.matches(pl.Series(values=[typed], dtype=pl.String))[0]
        # A pattern that cannot be judged breaks nothing (the engine reports unjudged patterns).
        return verdict is False

    return check


_ITEM_HINTS = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "un booléen",
    "date": "une date",
    "time": "une heure",
    "datetime": "une date et heure",
    "year": "une année",
    "yearmonth": "une année et un mois",
    "duration": "une durée",
    "geopoint": "un point géographique",
    "geojson": "un objet GeoJSON",
    "object": "un objet JSON",
    "array": "un tableau JSON",
}


def _py_str(value: Any) -> str:
    """``str()`` of a decoded JSON value, as frictionless compares it with missing values."""
    return str(value)


@register
class ArrayType(FieldType):
    name: ClassVar[str] = "array"

    def __init__(self, field: Field) -> None:
        super().__init__(field)
        item = item_field(field)
        self.items = _ItemReader(item) if item is not None else None
        self._verdicts: dict[str, _ArrayVerdict] = {}

    @property
    def dtype(self) -> pl.DataType:
        return pl.String()

    def _judge(self, distinct: list[str]) -> None:
        """Verdicts of the elements of the distinct cells not judged yet (kept for the next batch
        and for :meth:`item_violations`, within a bound)."""
        if self.items is None:
            return
        if len(self._verdicts) > _MAX_REMEMBERED:
            self._verdicts.clear()
        todo = [t for t in distinct if t not in self._verdicts]
        arrays = [(t, load_json(t)) for t in todo]
        arrays = [(t, a) for t, a in arrays if isinstance(a, list)]
        for (text, _), verdict in zip(arrays, self.items.verdicts([a for _, a in arrays]), strict=True):
            self._verdicts[text] = verdict

    def _read(self, text: str) -> str | None:
        value = load_json(text)
        if value is NOT_JSON or not isinstance(value, list):
            return None
        return canonical_json(value)

    def parse_container(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        return parse_json_column(values, r"\[", self._read)

    def items_type_ok(self, values: pl.Series) -> pl.Series | None:
        if self.items is None:
            return None
        _, ok = self.parse_container(values)
        distinct = values.filter(ok & values.is_not_null()).unique().to_list()
        self._judge(distinct)
        return values.replace_strict(
            pl.Series(values=distinct, dtype=pl.String),
            pl.Series(values=[self._verdicts[t].type_ok for t in distinct], dtype=pl.Boolean),
            default=True,
            return_dtype=pl.Boolean,
        ).fill_null(True)

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        typed, ok = self.parse_container(values)
        items_ok = self.items_type_ok(values)
        if items_ok is None:
            return typed, ok
        ok = (ok & items_ok).alias(values.name)
        typed = (
            pl.select(pl.when(pl.lit(ok)).then(pl.lit(typed)).otherwise(None)).to_series().alias(values.name)
        )
        return typed, ok

    def item_violations(self, values: pl.Series) -> dict[str, pl.Series]:
        if self.items is None or not self.items.checks:
            return {}
        distinct = values.drop_nulls().unique().to_list()
        self._judge(distinct)
        keys = pl.Series(values=distinct, dtype=pl.String)
        found = {}
        for name in self.items.checks:
            flags = [name in self._verdicts[t].broken if t in self._verdicts else False for t in distinct]
            found[name] = values.replace_strict(
                keys, pl.Series(values=flags, dtype=pl.Boolean), default=False, return_dtype=pl.Boolean
            ).fill_null(False)
        return found

    def constant(self, value: Any) -> Any:
        if isinstance(value, list):
            return canonical_json(value)
        if isinstance(value, str):
            result = self._read(value)
            if result is not None:
                return result
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        if isinstance(value, list):
            return True, canonical_json(value)
        return super().read_json(value)

    def message_params(self) -> dict[str, str]:
        # For a template such as "n'est pas un tableau JSON{items}." (see the report of issue 2).
        item = item_field(self.field)
        if item is None or item.type == "any":
            return {"items": ""}
        return {"items": f" dont chaque élément est {_ITEM_HINTS.get(item.type, 'de type ' + item.type)}"}
