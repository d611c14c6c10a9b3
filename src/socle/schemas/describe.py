"""The catalogue as data for people: the list of schemas and the detail of one (``socle schemas list/show``).

Everything here returns plain JSON-ready structures; the CLI renders them with rich or prints them
as JSON, and the web layer can render them with templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socle.schemas.catalogue import LocalCatalogue
from socle.schemas.datapackage import document_kind, resource_summaries
from socle.schemas.fetch import FetchSettings
from socle.schemas.layout import STORED_FILES, CatalogueEntry
from socle.schemas.loader import read_document, table_schema_from
from socle.schemas.model import Field, TableSchema
from socle.schemas.ref import RefKind, parse_ref


@dataclass(frozen=True)
class SchemaSummary:
    """One line of the catalogue."""

    name: str
    title: str | None
    description: str | None
    schema_type: str
    type_label: str
    scdl: bool
    latest: str | None
    versions: tuple[str, ...]
    local_versions: tuple[str, ...]
    """Versions whose document is on this machine (bundled or synced)."""
    datapackage_name: str | None
    homepage: str | None

    @property
    def usable(self) -> bool:
        """Whether Socle can validate files with this schema (Table Schema or Data Package)."""
        return self.schema_type in STORED_FILES

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "schema_type": self.schema_type,
            "scdl": self.scdl,
            "latest": self.latest,
            "versions": list(self.versions),
            "local_versions": list(self.local_versions),
            "datapackage_name": self.datapackage_name,
            "homepage": self.homepage,
            "usable": self.usable,
        }


def summarise(entry: CatalogueEntry, catalogue: LocalCatalogue) -> SchemaSummary:
    latest = entry.latest
    return SchemaSummary(
        name=entry.name,
        title=entry.title,
        description=entry.description,
        schema_type=entry.schema_type,
        type_label=entry.type_label,
        scdl=entry.scdl,
        latest=latest.name if latest else None,
        versions=entry.version_names,
        local_versions=catalogue.available_versions(entry),
        datapackage_name=entry.datapackage_name,
        homepage=entry.homepage,
    )


def list_schemas(*, scdl_only: bool = False, catalogue: LocalCatalogue | None = None) -> list[SchemaSummary]:
    """The catalogue's entries sorted by name (only the SCDL ones with ``scdl_only``)."""
    local = catalogue or LocalCatalogue.default()
    return [summarise(e, local) for e in local.entries() if e.scdl or not scdl_only]


def describe_field(f: Field) -> dict[str, Any]:
    """A field as shown to people: type, format, constraints, French title, description, example."""
    out: dict[str, Any] = {
        "name": f.name,
        "title": f.title,
        "description": f.description,
        "type": f.type,
        "format": f.format,
        "required": f.required,
        "unique": f.unique,
        "constraints": {k: v for k, v in f.constraints.items() if k not in ("required", "unique")},
        "example": f.example,
    }
    if f.type == "boolean":
        out["true_values"] = list(f.true_values)
        out["false_values"] = list(f.false_values)
    if f.type in ("number", "integer") and (f.decimal_char != "." or f.group_char or not f.bare_number):
        out["decimal_char"], out["group_char"], out["bare_number"] = (
            f.decimal_char,
            f.group_char,
            f.bare_number,
        )
    if f.missing_values is not None:
        out["missing_values"] = list(f.missing_values)
    return out


def describe_schema(schema: TableSchema) -> dict[str, Any]:
    """A whole Table Schema as shown to people (``socle schemas show --format json``)."""
    return {
        "ref": str(schema.ref) if schema.ref else None,
        "name": schema.name,
        "title": schema.title,
        "description": schema.description,
        "version": schema.version,
        "missing_values": list(schema.missing_values),
        "primary_key": list(schema.primary_key),
        "fields": [describe_field(f) for f in schema.fields],
        "custom_checks": [{"name": c.name, "params": dict(c.params)} for c in schema.custom_checks],
        "warnings": list(schema.warnings),
    }


def show_schema(
    ref: str, *, catalogue: LocalCatalogue | None = None, settings: FetchSettings | None = None
) -> dict[str, Any]:
    """Everything ``socle schemas show REF`` displays.

    Keys: ``ref``; ``entry`` (the catalogue line, for catalogue names); ``schema`` (the Table
    Schema, when there is one to show); ``resources`` (the tables of a Data Package named without
    ``#resource``); ``note`` (why there is no Table Schema to show, for other schema types).
    """
    local = catalogue or LocalCatalogue.default()
    wanted = parse_ref(ref)
    result: dict[str, Any] = {
        "ref": str(wanted),
        "entry": None,
        "schema": None,
        "resources": None,
        "note": None,
    }
    entry = local.resolve(wanted.name) if wanted.kind is RefKind.CATALOGUE else None
    if entry is not None:
        result["entry"] = summarise(entry, local).to_json()
        if entry.schema_type not in STORED_FILES:
            result["note"] = (
                f"Ce schéma est {entry.type_phrase} : Socle valide les fichiers tabulaires avec des "
                "Table Schemas, il ne peut pas s'en servir. Sa documentation est sur schema.data.gouv.fr."
            )
            return result
    loaded = read_document(wanted, catalogue=local, settings=settings)
    if document_kind(loaded.document) == "datapackage" and wanted.resource is None:
        result["ref"] = f"{entry.name}@{loaded.version.name}" if entry and loaded.version else str(wanted)
        result["resources"] = resource_summaries(loaded.document, loaded.label, local.entries(), entry)
        return result
    schema = table_schema_from(loaded, wanted)
    result["ref"] = str(schema.ref)
    result["schema"] = describe_schema(schema)
    return result
