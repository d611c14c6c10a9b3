"""Rules a Table Schema field must follow: formats, constraints and the values they hold.

The rules follow Table Schema v1 as frictionless (hence Validata) applies it: a constraint that does
not apply to a field's type is ignored there, so it is ignored here too, with a warning, rather
than checked in a way Validata would not. Everything that would make the schema ambiguous or
unusable (a bound that is not a value of the field's type, an empty enum, a regex Python cannot
compile) is an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from socle.errors import SchemaError

_ALL_TYPES = ("required", "unique", "enum")
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_LENGTHS = ("minLength", "maxLength")

APPLICABLE_CONSTRAINTS: Mapping[str, frozenset[str]] = {
    "string": frozenset((*_ALL_TYPES, *_LENGTHS, "pattern")),
    "array": frozenset((*_ALL_TYPES, *_LENGTHS, "jsonSchema")),
    "object": frozenset((*_ALL_TYPES, *_LENGTHS, "jsonSchema")),
    "integer": frozenset((*_ALL_TYPES, *_BOUNDS)),
    "number": frozenset((*_ALL_TYPES, *_BOUNDS)),
    "date": frozenset((*_ALL_TYPES, *_BOUNDS)),
    "time": frozenset((*_ALL_TYPES, *_BOUNDS)),
    "datetime": frozenset((*_ALL_TYPES, *_BOUNDS)),
    "year": frozenset((*_ALL_TYPES, *_BOUNDS)),
    "yearmonth": frozenset((*_ALL_TYPES, *_BOUNDS)),
    "boolean": frozenset(_ALL_TYPES),
    "duration": frozenset(_ALL_TYPES),
    "geopoint": frozenset(_ALL_TYPES),
    "geojson": frozenset(_ALL_TYPES),
    "any": frozenset(_ALL_TYPES),
}
"""Constraints each type honours (as in frictionless 5); ``unique`` is a row check valid for all."""

NAMED_FORMATS: Mapping[str, frozenset[str]] = {
    "string": frozenset({"default", "email", "uri", "binary", "uuid"}),
    "geopoint": frozenset({"default", "array", "object"}),
    "geojson": frozenset({"default", "topojson"}),
}
"""Formats of the types whose format changes how a cell is read (dates aside: see :func:`check_format`)."""

TEMPORAL_TYPES = frozenset({"date", "time", "datetime"})
_STRPTIME_DIRECTIVES = frozenset("aAwdbBmyYHIpMSfzZjUWcxXGuV%")


def check_format(ftype: str, fmt: str, where: str, warnings: list[str]) -> None:
    """Refuse a format the type does not know; warn when the type has no formats at all."""
    if ftype in TEMPORAL_TYPES:
        if fmt not in ("default", "any"):
            _check_strptime_pattern(fmt, where)
        return
    allowed = NAMED_FORMATS.get(ftype)
    if allowed is None:
        if fmt != "default":
            warnings.append(
                f"{_cap(where)} : le format « {fmt} » n'a pas de sens pour le type {ftype}, il est ignoré."
            )
        return
    if fmt not in allowed:
        raise SchemaError(
            f"Dans {where} : le format « {fmt} » n'existe pas pour le type {ftype} "
            f"(formats possibles : {', '.join(sorted(allowed))})."
        )


def _check_strptime_pattern(fmt: str, where: str) -> None:
    pattern = fmt.removeprefix("fmt:")
    directives = re.findall(r"%(.)", pattern)
    if not directives:
        raise SchemaError(
            f"Dans {where} : le format « {fmt} » n'est ni « default », ni « any », ni un motif de date "
            "comme « %d/%m/%Y »."
        )
    unknown = sorted({d for d in directives if d not in _STRPTIME_DIRECTIVES})
    if unknown or (pattern.endswith("%") and not pattern.endswith("%%")):
        shown = ", ".join(f"%{d}" for d in unknown) or "%"
        raise SchemaError(
            f"Dans {where} : le motif de date « {fmt} » contient une directive inconnue ({shown})."
        )


@dataclass(frozen=True)
class ValueContext:
    """What is needed to read a constraint value as a value of the field's type."""

    ftype: str
    fmt: str
    decimal_char: str = "."
    group_char: str = ""
    true_values: Sequence[str] = ()
    false_values: Sequence[str] = ()


def applicable_constraints(
    ftype: str, constraints: Mapping[str, Any], where: str, warnings: list[str]
) -> dict[str, Any]:
    """The constraints the type honours; the others are dropped with a warning (frictionless ignores them)."""
    allowed = APPLICABLE_CONSTRAINTS[ftype]
    kept: dict[str, Any] = {}
    for key, value in constraints.items():
        if key in allowed:
            kept[key] = value
        else:
            warnings.append(
                f"{_cap(where)} : la contrainte « {key} » ne s'applique pas au type {ftype}, "
                "elle est ignorée (comme le fait Validata)."
            )
    return kept


def check_constraint_values(constraints: Mapping[str, Any], ctx: ValueContext, where: str) -> None:
    """Check the value of each constraint; raise a French :class:`SchemaError` saying which and why."""
    for key in ("required", "unique"):
        if key in constraints and not isinstance(constraints[key], bool):
            raise SchemaError(f"Dans {where} : la contrainte « {key} » doit valoir true ou false.")
    _check_lengths(constraints, where)
    if "pattern" in constraints:
        check_pattern(constraints["pattern"], where)
    if "enum" in constraints:
        _check_enum(constraints["enum"], ctx, where)
    if "jsonSchema" in constraints and not isinstance(constraints["jsonSchema"], Mapping):
        raise SchemaError(f"Dans {where} : la contrainte « jsonSchema » doit être un objet JSON Schema.")
    _check_bounds(constraints, ctx, where)


def _check_lengths(constraints: Mapping[str, Any], where: str) -> None:
    for key in _LENGTHS:
        value = constraints.get(key)
        if key in constraints and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise SchemaError(
                f"Dans {where} : la contrainte « {key} » doit être un entier positif ou nul, "
                f"pas {_show(value)}."
            )
    low, high = constraints.get("minLength"), constraints.get("maxLength")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        raise SchemaError(
            f"Dans {where} : « minLength » ({low}) est plus grand que « maxLength » ({high}) : "
            "aucune valeur ne peut les respecter."
        )


def check_pattern(pattern: Any, where: str) -> None:
    """Refuse a ``pattern`` that is not text or that Python's ``re`` cannot compile."""
    if not isinstance(pattern, str):
        raise SchemaError(
            f"Dans {where} : la contrainte « pattern » doit être une expression régulière (texte)."
        )
    try:
        re.compile(pattern)
    except re.error as exc:
        position = exc.pos if exc.pos is not None else len(pattern)
        excerpt = pattern[max(0, position - 15) : position + 15]
        raise SchemaError(
            f"Dans {where} : l'expression régulière « {pattern} » de la contrainte « pattern » est invalide "
            f"en Python (erreur à la position {position}, près de « {excerpt} »)."
        ) from None


def _check_enum(values: Any, ctx: ValueContext, where: str) -> None:
    if not isinstance(values, list) or not values:
        raise SchemaError(f"Dans {where} : la contrainte « enum » doit être une liste non vide de valeurs.")
    for value in values:
        if read_value(value, ctx) is None:
            raise SchemaError(
                f"Dans {where} : la valeur {_show(value)} de la contrainte « enum » n'est pas "
                f"{_type_phrase(ctx)}."
            )


def _check_bounds(constraints: Mapping[str, Any], ctx: ValueContext, where: str) -> None:
    read: dict[str, Any] = {}
    for key in _BOUNDS:
        if key not in constraints:
            continue
        value = read_value(constraints[key], ctx)
        if value is None:
            raise SchemaError(
                f"Dans {where} : la contrainte « {key} » vaut {_show(constraints[key])}, "
                f"qui n'est pas {_type_phrase(ctx)}."
            )
        read[key] = value
    for low in ("minimum", "exclusiveMinimum"):
        for high in ("maximum", "exclusiveMaximum"):
            if (
                low in read
                and high in read
                and _empty_interval(read[low], read[high], strict=low != "minimum" or high != "maximum")
            ):
                raise SchemaError(
                    f"Dans {where} : « {low} » ({_show(constraints[low])}) et « {high} » "
                    f"({_show(constraints[high])}) ne laissent aucune valeur possible."
                )


def _empty_interval(low: Any, high: Any, strict: bool) -> bool:
    try:
        return bool(low >= high) if strict else bool(low > high)
    except TypeError:
        # A bound with a time zone and one without cannot be ordered; the engine reports it per cell.
        return False


def read_value(value: Any, ctx: ValueContext) -> Any:
    """Read a constraint value as a value of the field's type, or ``None`` when it is not one."""
    reader = _READERS.get(ctx.ftype, _read_any)
    try:
        return reader(value, ctx)
    except (ValueError, TypeError, ArithmeticError, InvalidOperation):
        return None


def _read_string(value: Any, ctx: ValueContext) -> Any:
    return value if isinstance(value, str) else None


def _read_integer(value: Any, ctx: ValueContext) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    return None


def _read_number(value: Any, ctx: ValueContext) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else Decimal(str(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if ctx.group_char:
        text = text.replace(ctx.group_char, "")
    text = text.replace(ctx.decimal_char, ".")
    number = Decimal(text)
    return None if number.is_nan() else number


def _read_year(value: Any, ctx: ValueContext) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        return int(value)
    return None


def _read_yearmonth(value: Any, ctx: ValueContext) -> Any:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        year, month = value
    elif isinstance(value, str) and (match := re.fullmatch(r"(\d{4})-(\d{2})", value.strip())):
        year, month = int(match[1]), int(match[2])
    else:
        return None
    return (year, month) if 1 <= month <= 12 else None


def _temporal_reader(
    parse_default: Callable[[str], Any], pick: Callable[[datetime], Any]
) -> Callable[[Any, ValueContext], Any]:
    def reader(value: Any, ctx: ValueContext) -> Any:
        if not isinstance(value, str):
            return None
        if ctx.fmt == "default":
            return parse_default(value)
        if ctx.fmt == "any":
            # "any" accepts whatever a date parser guesses; ISO text is the only form Socle can order.
            try:
                return parse_default(value)
            except ValueError:
                return value
        return pick(datetime.strptime(value, ctx.fmt.removeprefix("fmt:")))

    return reader


def _read_boolean(value: Any, ctx: ValueContext) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ctx.true_values:
        return True
    if isinstance(value, str) and value in ctx.false_values:
        return False
    return None


def _read_any(value: Any, ctx: ValueContext) -> Any:
    return value


_READERS: Mapping[str, Callable[[Any, ValueContext], Any]] = {
    "string": _read_string,
    "integer": _read_integer,
    "number": _read_number,
    "year": _read_year,
    "yearmonth": _read_yearmonth,
    "date": _temporal_reader(date.fromisoformat, datetime.date),
    "time": _temporal_reader(time.fromisoformat, datetime.time),
    "datetime": _temporal_reader(datetime.fromisoformat, lambda d: d),
    "boolean": _read_boolean,
}

_TYPE_PHRASES = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "year": "une année",
    "yearmonth": "une année-mois (AAAA-MM)",
    "date": "une date",
    "time": "une heure",
    "datetime": "une date et heure",
    "boolean": "une valeur booléenne acceptée par le champ",
}


def _type_phrase(ctx: ValueContext) -> str:
    phrase = _TYPE_PHRASES.get(ctx.ftype, f"une valeur de type {ctx.ftype}")
    if ctx.ftype in TEMPORAL_TYPES and ctx.fmt not in ("default", "any"):
        phrase += f" au format « {ctx.fmt} »"
    return phrase


def _show(value: Any) -> str:
    return f"« {value} »" if isinstance(value, str) else repr(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
