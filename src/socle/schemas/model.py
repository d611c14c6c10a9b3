"""Table Schema model: the parsed, checked form of a schema descriptor.

Only what the engine needs is typed; the original descriptor is kept verbatim in ``descriptor``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from socle.errors import SchemaError

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
    descriptor: Mapping[str, Any] = field(default_factory=dict)

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
    """Check and parse a Table Schema descriptor; raise :class:`SchemaError` in French on any problem."""
    if not isinstance(descriptor, Mapping):
        raise SchemaError(f"Le {source} n'est pas un objet JSON : un Table Schema est un objet avec « fields ».")
    raw_fields = descriptor.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise SchemaError(
            f"Le {source} n'est pas un Table Schema valide : la propriété « fields » doit être une liste non vide."
        )
    missing_values = _string_list(descriptor.get("missingValues", [""]), "missingValues", source)
    parsed = tuple(_parse_field(i, f, source) for i, f in enumerate(raw_fields, start=1))
    names = [f.name for f in parsed]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SchemaError(f"Le {source} déclare plusieurs fois le champ {', '.join(map(repr, duplicates))}.")
    primary_key = _primary_key(descriptor.get("primaryKey"), names, source)
    checks = _custom_checks(descriptor.get("custom_checks", []), source)
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
    )


def _parse_field(position: int, raw: Any, source: str) -> Field:
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
            f"Dans {where} : le type « {ftype} » n'existe pas en Table Schema "
            f"(types possibles : {', '.join(sorted(FIELD_TYPES))})."
        )
    fmt = raw.get("format", "default")
    if not isinstance(fmt, str):
        raise SchemaError(f"Dans {where} : la propriété « format » doit être un texte.")
    constraints = raw.get("constraints", {})
    if not isinstance(constraints, Mapping):
        raise SchemaError(f"Dans {where} : la propriété « constraints » doit être un objet.")
    unknown = sorted(set(constraints) - CONSTRAINT_NAMES)
    if unknown:
        raise SchemaError(f"Dans {where} : contrainte inconnue {', '.join(map(repr, unknown))}.")
    _check_constraints(constraints, where)
    missing = raw.get("missingValues")
    return Field(
        name=name,
        type=ftype,
        format=fmt,
        title=_opt_str(raw.get("title")),
        description=_opt_str(raw.get("description")),
        example=raw.get("example"),
        constraints=dict(constraints),
        true_values=tuple(_string_list(raw.get("trueValues", DEFAULT_TRUE_VALUES), "trueValues", where)),
        false_values=tuple(_string_list(raw.get("falseValues", DEFAULT_FALSE_VALUES), "falseValues", where)),
        decimal_char=_char(raw.get("decimalChar", "."), "decimalChar", where),
        group_char=_char(raw.get("groupChar", ""), "groupChar", where, allow_empty=True),
        bare_number=_bool(raw.get("bareNumber", True), "bareNumber", where),
        missing_values=None if missing is None else tuple(_string_list(missing, "missingValues", where)),
        array_item=raw.get("arrayItem") if isinstance(raw.get("arrayItem"), Mapping) else None,
        descriptor=raw,
    )


def _check_constraints(constraints: Mapping[str, Any], where: str) -> None:
    for key in ("required", "unique"):
        if key in constraints and not isinstance(constraints[key], bool):
            raise SchemaError(f"Dans {where} : la contrainte « {key} » doit valoir true ou false.")
    for key in ("minLength", "maxLength"):
        value = constraints.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise SchemaError(f"Dans {where} : la contrainte « {key} » doit être un entier positif.")
    if "pattern" in constraints and not isinstance(constraints["pattern"], str):
        raise SchemaError(f"Dans {where} : la contrainte « pattern » doit être une expression régulière (texte).")
    if "enum" in constraints and (not isinstance(constraints["enum"], list) or not constraints["enum"]):
        raise SchemaError(f"Dans {where} : la contrainte « enum » doit être une liste non vide de valeurs.")


def _primary_key(raw: Any, names: Sequence[str], source: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    keys = [raw] if isinstance(raw, str) else raw
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise SchemaError(f"Dans le {source} : « primaryKey » doit être un nom de champ ou une liste de noms.")
    for k in keys:
        if k not in names:
            raise SchemaError(f"Dans le {source} : la clé primaire cite le champ « {k} », qui n'existe pas.")
    return tuple(keys)


def _custom_checks(raw: Any, source: str) -> tuple[CustomCheckSpec, ...]:
    if not isinstance(raw, list):
        raise SchemaError(f"Dans le {source} : « custom_checks » doit être une liste.")
    checks = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise SchemaError(f"Dans le {source} : le contrôle personnalisé n°{i} doit avoir un nom (« name »).")
        params = item.get("params", {})
        if not isinstance(params, Mapping):
            raise SchemaError(
                f"Dans le {source} : les paramètres du contrôle « {item['name']} » doivent être un objet."
            )
        checks.append(CustomCheckSpec(name=item["name"], params=dict(params)))
    return tuple(checks)


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
