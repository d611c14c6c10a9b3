"""Table Schema model: the parsed, checked form of a schema descriptor.

Only what the engine needs is typed; the original descriptor is kept verbatim in ``descriptor``.
:func:`parse_table_schema` refuses, with a French :class:`~socle.errors.SchemaError` naming the
field, anything that would make validation ambiguous; what frictionless silently ignores (a
constraint that does not apply to the type, a misspelt property) is ignored too but listed in
``TableSchema.warnings`` so that ``socle schemas show`` can say so.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from socle.errors import SchemaError
from socle.schemas.ref import SchemaRef
from socle.schemas.rules import (
    ValueContext,
    applicable_constraints,
    check_constraint_values,
    check_format,
)

FIELD_TYPES = frozenset(
    {
        "string",
        "number",
        "integer",
        "boolean",
        "object",
        "array",
        "date",
        "time",
        "datetime",
        "year",
        "yearmonth",
        "duration",
        "geopoint",
        "geojson",
        "any",
    }
)

CONSTRAINT_NAMES = frozenset(
    {
        "required",
        "unique",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "pattern",
        "enum",
        "jsonSchema",
    }
)

DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")

KNOWN_FIELD_PROPERTIES = frozenset(
    {
        "name",
        "title",
        "description",
        "type",
        "format",
        "constraints",
        "example",
        "examples",
        "rdfType",
        "trueValues",
        "falseValues",
        "decimalChar",
        "groupChar",
        "bareNumber",
        "floatNumber",
        "missingValues",
        "arrayItem",
        "categories",
        "categoriesOrdered",
    }
)
"""Field properties of Table Schema (v1 and v2) and frictionless; others are kept but unused."""

# Column parameters of the custom checks of schema.data.gouv.fr (one column, or a list of columns).
_CHECK_COLUMN_PARAMS = ("column", "column1", "column2")
_CHECK_COLUMNS_PARAMS = ("columns", "othercolumns")


@dataclass(frozen=True)
class Field:
    """One column of a Table Schema."""

    name: str
    type: str = "string"
    format: str = "default"
    title: str | None = None
    description: str | None = None
    example: Any = None
    constraints: Mapping[str, Any] = field(default_factory=dict)
    """The constraints that apply to the type (others are dropped, see ``TableSchema.warnings``)."""
    true_values: tuple[str, ...] = DEFAULT_TRUE_VALUES
    false_values: tuple[str, ...] = DEFAULT_FALSE_VALUES
    decimal_char: str = "."
    group_char: str = ""
    bare_number: bool = True
    missing_values: tuple[str, ...] | None = None
    """Field-level ``missingValues`` (Table Schema v2); ``None`` means the schema's."""
    array_item: Mapping[str, Any] | None = None
    descriptor: Mapping[str, Any] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique", False))

    @property
    def label(self) -> str:
        """French display name: the title when there is one, else the name."""
        return self.title or self.name


@dataclass(frozen=True)
class CustomCheckSpec:
    """One entry of the schema's ``custom_checks`` list (schema.data.gouv.fr extension)."""

    name: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class TableSchema:
    """A parsed Table Schema."""

    fields: tuple[Field, ...]
    missing_values: tuple[str, ...] = ("",)
    primary_key: tuple[str, ...] = ()
    custom_checks: tuple[CustomCheckSpec, ...] = ()
    name: str | None = None
    title: str | None = None
    description: str | None = None
    version: str | None = None
    """The catalogue's version name when loaded from the catalogue, else the descriptor's ``version``."""
    descriptor: Mapping[str, Any] = field(default_factory=dict)
    ref: SchemaRef | None = None
    """What :func:`socle.schemas.load_schema` resolved (catalogue name and version, URL or file)."""
    warnings: tuple[str, ...] = ()
    """French remarks on what the schema declares but Socle (like Validata) ignores."""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def get_field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def missing_values_for(self, f: Field) -> tuple[str, ...]:
        return f.missing_values if f.missing_values is not None else self.missing_values


def parse_table_schema(descriptor: Mapping[str, Any], source: str = "schéma") -> TableSchema:
    """Check and parse a Table Schema descriptor; raise :class:`SchemaError` in French on any problem.

    ``source`` names the schema in messages, e.g. ``schéma « scdl/deliberations@2.1.5 »``.
    """
    if not isinstance(descriptor, Mapping):
        raise SchemaError(
            f"Le {source} n'est pas un objet JSON : un Table Schema est un objet avec « fields »."
        )
    raw_fields = descriptor.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise SchemaError(
            f"Le {source} n'est pas un Table Schema valide : "
            "la propriété « fields » doit être une liste non vide."
        )
    warnings: list[str] = []
    missing_values = _string_list(descriptor.get("missingValues", [""]), "missingValues", f"le {source}")
    parsed = tuple(_parse_field(i, f, source, warnings) for i, f in enumerate(raw_fields, start=1))
    names = [f.name for f in parsed]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SchemaError(
            f"Le {source} déclare plusieurs fois le champ {', '.join(map(_quote, duplicates))}."
        )
    primary_key = _primary_key(descriptor.get("primaryKey"), names, source)
    _check_foreign_keys(descriptor.get("foreignKeys"), names, source)
    checks = _custom_checks(descriptor.get("custom_checks", []), names, source)
    return TableSchema(
        fields=parsed,
        missing_values=tuple(missing_values),
        primary_key=primary_key,
        custom_checks=checks,
        name=_opt_str(descriptor.get("name")),
        title=_opt_str(descriptor.get("title")),
        description=_opt_str(descriptor.get("description")),
        version=_opt_str(descriptor.get("version")),
        descriptor=descriptor,
        warnings=tuple(warnings),
    )


def _parse_field(position: int, raw: Any, source: str, warnings: list[str]) -> Field:
    where = f"le champ n°{position} du {source}"
    if not isinstance(raw, Mapping):
        raise SchemaError(f"Dans {where} : un champ doit être un objet JSON.")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise SchemaError(f"Dans {where} : la propriété « name » est obligatoire et doit être un texte.")
    where = f"le champ « {name} » du {source}"
    ftype = raw.get("type", "string")
    if ftype not in FIELD_TYPES:
        raise SchemaError(
            f"Dans {where} : le type {_quote(ftype)} n'existe pas en Table Schema "
            f"(types possibles : {', '.join(sorted(FIELD_TYPES))})."
        )
    fmt = raw.get("format", "default")
    if not isinstance(fmt, str):
        raise SchemaError(f"Dans {where} : la propriété « format » doit être un texte.")
    check_format(ftype, fmt, where, warnings)
    _warn_unknown_properties(raw, where, warnings)
    true_values = tuple(_string_list(raw.get("trueValues", DEFAULT_TRUE_VALUES), "trueValues", where))
    false_values = tuple(_string_list(raw.get("falseValues", DEFAULT_FALSE_VALUES), "falseValues", where))
    both = sorted(set(true_values) & set(false_values))
    if both:
        raise SchemaError(
            f"Dans {where} : {', '.join(map(_quote, both))} figure à la fois "
            "dans « trueValues » et dans « falseValues »."
        )
    decimal_char = _char(raw.get("decimalChar", "."), "decimalChar", where)
    group_char = _char(raw.get("groupChar", ""), "groupChar", where, allow_empty=True)
    if decimal_char == group_char:
        raise SchemaError(
            f"Dans {where} : « decimalChar » et « groupChar » ne peuvent pas être le même caractère."
        )
    ctx = ValueContext(ftype, fmt, decimal_char, group_char, true_values, false_values)
    constraints = _constraints(raw.get("constraints", {}), ctx, where, warnings)
    missing = raw.get("missingValues")
    array_item = raw.get("arrayItem")
    if array_item is not None and not isinstance(array_item, Mapping):
        raise SchemaError(f"Dans {where} : « arrayItem » doit être un objet (la description d'un champ).")
    return Field(
        name=name,
        type=ftype,
        format=fmt,
        title=_opt_str(raw.get("title")),
        description=_opt_str(raw.get("description")),
        example=raw.get("example"),
        constraints=constraints,
        true_values=true_values,
        false_values=false_values,
        decimal_char=decimal_char,
        group_char=group_char,
        bare_number=_bool(raw.get("bareNumber", True), "bareNumber", where),
        missing_values=None if missing is None else tuple(_string_list(missing, "missingValues", where)),
        array_item=array_item,
        descriptor=raw,
    )


def _constraints(raw: Any, ctx: ValueContext, where: str, warnings: list[str]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise SchemaError(f"Dans {where} : la propriété « constraints » doit être un objet.")
    unknown = sorted(set(raw) - CONSTRAINT_NAMES)
    if unknown:
        raise SchemaError(
            f"Dans {where} : contrainte inconnue {', '.join(map(_quote, unknown))} "
            f"(contraintes possibles : {', '.join(sorted(CONSTRAINT_NAMES))})."
        )
    kept = applicable_constraints(ctx.ftype, raw, where, warnings)
    check_constraint_values(kept, ctx, where)
    return kept


def _warn_unknown_properties(raw: Mapping[str, Any], where: str, warnings: list[str]) -> None:
    for key in raw:
        if key in KNOWN_FIELD_PROPERTIES or not isinstance(key, str):
            continue
        if key in CONSTRAINT_NAMES:
            warnings.append(
                f"{_cap(where)} : « {key} » est écrit au niveau du champ au lieu de « constraints », "
                "il est ignoré (comme le fait Validata)."
            )
            continue
        close = difflib.get_close_matches(key, sorted(KNOWN_FIELD_PROPERTIES), n=1, cutoff=0.8)
        if close:
            warnings.append(
                f"{_cap(where)} : la propriété « {key} » est inconnue et ignorée ; "
                f"vouliez-vous écrire « {close[0]} » ?"
            )


def _primary_key(raw: Any, names: Sequence[str], source: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    keys = _field_list(raw, "primaryKey", source)
    for k in keys:
        if k not in names:
            raise SchemaError(f"Dans le {source} : la clé primaire cite le champ « {k} », qui n'existe pas.")
    return tuple(keys)


def _check_foreign_keys(raw: Any, names: Sequence[str], source: str) -> None:
    if raw is None:
        return
    if not isinstance(raw, list):
        raise SchemaError(f"Dans le {source} : « foreignKeys » doit être une liste.")
    for i, item in enumerate(raw, start=1):
        where = f"la clé étrangère n°{i} du {source}"
        if not isinstance(item, Mapping) or not isinstance(item.get("reference"), Mapping):
            raise SchemaError(f"Dans {where} : il faut un objet avec « fields » et « reference ».")
        local = _field_list(item.get("fields"), "fields", where)
        remote = _field_list(item["reference"].get("fields"), "reference.fields", where)
        if len(local) != len(remote):
            raise SchemaError(
                f"Dans {where} : « fields » et « reference.fields » n'ont pas le même nombre de champs."
            )
        for k in local:
            if k not in names:
                raise SchemaError(f"Dans {where} : le champ « {k} » n'existe pas.")


def _field_list(raw: Any, key: str, where: str) -> list[str]:
    keys = [raw] if isinstance(raw, str) else raw
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise SchemaError(f"Dans le {where} : « {key} » doit être un nom de champ ou une liste de noms.")
    return keys


def _custom_checks(raw: Any, names: Sequence[str], source: str) -> tuple[CustomCheckSpec, ...]:
    if not isinstance(raw, list):
        raise SchemaError(f"Dans le {source} : « custom_checks » doit être une liste.")
    return tuple(_custom_check(i, item, names, source) for i, item in enumerate(raw, start=1))


def _custom_check(position: int, item: Any, names: Sequence[str], source: str) -> CustomCheckSpec:
    if not isinstance(item, Mapping) or not isinstance(item.get("name"), str) or not item["name"]:
        raise SchemaError(
            f"Dans le {source} : le contrôle personnalisé n°{position} doit avoir un nom (« name »)."
        )
    where = f"le contrôle personnalisé n°{position} (« {item['name']} ») du {source}"
    params = item.get("params", {})
    if not isinstance(params, Mapping):
        raise SchemaError(f"Dans {where} : « params » doit être un objet.")
    for key in _CHECK_COLUMN_PARAMS:
        if key in params:
            _check_column_param(params[key], key, names, where)
    for key in _CHECK_COLUMNS_PARAMS:
        if key in params:
            value = params[key]
            if not isinstance(value, list) or not value:
                raise SchemaError(
                    f"Dans {where} : le paramètre « {key} » doit être une liste non vide de noms de champs."
                )
            for column in value:
                _check_column_param(column, key, names, where)
    return CustomCheckSpec(name=item["name"], params=dict(params))


def _check_column_param(value: Any, key: str, names: Sequence[str], where: str) -> None:
    if not isinstance(value, str) or not value:
        raise SchemaError(f"Dans {where} : le paramètre « {key} » doit être un nom de champ (texte).")
    if value not in names:
        raise SchemaError(
            f"Dans {where} : le paramètre « {key} » cite le champ « {value} », "
            "qui n'existe pas dans le schéma."
        )


def _string_list(raw: Any, key: str, where: str) -> list[str]:
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        raise SchemaError(f"Dans {where} : « {key} » doit être une liste de textes.")
    return list(raw)


def _char(raw: Any, key: str, where: str, allow_empty: bool = False) -> str:
    if not isinstance(raw, str) or (not raw and not allow_empty):
        raise SchemaError(f"Dans {where} : « {key} » doit être un caractère.")
    return raw


def _bool(raw: Any, key: str, where: str) -> bool:
    if not isinstance(raw, bool):
        raise SchemaError(f"Dans {where} : « {key} » doit valoir true ou false.")
    return raw


def _opt_str(raw: Any) -> str | None:
    return raw if isinstance(raw, str) else None


def _quote(value: Any) -> str:
    return f"« {value} »" if isinstance(value, str) else repr(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
