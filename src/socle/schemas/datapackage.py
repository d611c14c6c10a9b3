"""Data Packages: recognising them and choosing one of their tables (``etalab/schema-irve#irve-statique``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from socle.errors import SchemaError
from socle.schemas.catalogue import SchemaNotFoundError
from socle.schemas.layout import DATA_PACKAGE, TABLE_SCHEMA, CatalogueEntry
from socle.schemas.model import parse_table_schema


def document_kind(document: Mapping[str, Any]) -> str:
    """``tableschema``, ``datapackage`` or ``jsonschema``, from the shape of a descriptor."""
    if "fields" in document:
        return "tableschema"
    if isinstance(document.get("resources"), list):
        return "datapackage"
    declared = document.get("$schema")
    if (isinstance(declared, str) and "json-schema" in declared) or "properties" in document:
        return "jsonschema"
    return "tableschema"


def check_document(entry: CatalogueEntry, document: Mapping[str, Any], label: str) -> None:
    """Refuse a downloaded or bundled document that is not what the catalogue announces, or is invalid."""
    kind = document_kind(document)
    if kind != entry.schema_type:
        raise SchemaError(
            f"le catalogue annonce un {entry.type_label} mais le document est un {_kind_label(kind)}."
        )
    if entry.schema_type == TABLE_SCHEMA:
        parse_table_schema(document, source=f"schéma {label}")
    else:
        resources_of(document, label)


def _kind_label(kind: str) -> str:
    return {TABLE_SCHEMA: "Table Schema", DATA_PACKAGE: "Data Package", "jsonschema": "JSON Schema"}.get(
        kind, kind
    )


def resources_of(document: Mapping[str, Any], label: str) -> list[Mapping[str, Any]]:
    """The resources of a Data Package, each an object with a name."""
    resources = document.get("resources")
    if not isinstance(resources, list) or not resources:
        raise SchemaError(f"Le Data Package {label} ne contient aucune ressource (« resources »).")
    out: list[Mapping[str, Any]] = []
    for i, resource in enumerate(resources, start=1):
        if not isinstance(resource, Mapping):
            raise SchemaError(f"Dans le Data Package {label} : la ressource n°{i} n'est pas un objet JSON.")
        out.append(resource)
    return out


def resource_name(resource: Mapping[str, Any], position: int) -> str:
    name = resource.get("name")
    return name if isinstance(name, str) and name else f"ressource-{position}"


def select_resource(
    document: Mapping[str, Any], wanted: str | None, label: str, ref_hint: str
) -> Mapping[str, Any]:
    """The resource named ``wanted`` (exactly, or by the end of its name: ``statique`` for ``irve-statique``).

    Without ``wanted``, a Data Package of a single table gives that table.
    """
    resources = resources_of(document, label)
    names = [resource_name(r, i) for i, r in enumerate(resources, start=1)]
    if wanted is None:
        if len(resources) == 1:
            return resources[0]
        raise SchemaError(
            f"{label} est un Data Package de {len(resources)} tables ({', '.join(names)}) : "
            f"choisissez-en une, par exemple « {ref_hint}#{names[0]} »."
        )
    for resource, name in zip(resources, names, strict=True):
        if name == wanted:
            return resource
    ends = [i for i, name in enumerate(names) if name.endswith((f"-{wanted}", f"_{wanted}"))]
    if len(ends) == 1:
        return resources[ends[0]]
    raise SchemaNotFoundError(
        f"Le Data Package {label} n'a pas de ressource « {wanted} » (ressources : {', '.join(names)})."
    )


def _normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def child_entry(
    entries: Iterable[CatalogueEntry], package: CatalogueEntry, resource: Mapping[str, Any]
) -> CatalogueEntry | None:
    """The catalogue entry publishing a Data Package resource's Table Schema on its own, if one matches.

    schema.data.gouv.fr lists each resource schema of a Data Package as a Table Schema entry with
    ``datapackage_name`` set; names differ slightly (resource ``irve-statique`` is the entry
    ``etalab/schema-irve-statique``, ``classe-atlaspaysager`` is ``cnigfr/atlas-paysager``), so they
    are compared without separators, one ending the other. The longest such match wins
    (``classe-sousunitepaysagere`` is ``sousunite-paysagere``, not ``unite-paysagere``); a tie is no match.
    """
    wanted = _normalised(str(resource.get("name", "")))
    if not wanted:
        return None
    children = [e for e in entries if e.datapackage_name == package.name and e.schema_type == TABLE_SCHEMA]
    scored = [
        (len(short), e)
        for e in children
        if _names_match(short := _normalised(e.name.rsplit("/", 1)[-1]), wanted)
    ]
    if not scored:
        return None
    best = max(score for score, _ in scored)
    winners = [e for score, e in scored if score == best]
    return winners[0] if len(winners) == 1 else None


def _names_match(entry: str, resource: str) -> bool:
    return entry == resource or entry.endswith(resource) or resource.endswith(entry)


def resource_summaries(
    document: Mapping[str, Any], label: str, entries: Sequence[CatalogueEntry], package: CatalogueEntry | None
) -> list[dict[str, Any]]:
    """Name, title and schema location of each resource, for ``socle schemas show``.

    ``schema`` is the path or URL the resource names, ``inline`` says the schema is written in the package.
    """
    out: list[dict[str, Any]] = []
    for i, resource in enumerate(resources_of(document, label), start=1):
        schema = resource.get("schema")
        child = child_entry(entries, package, resource) if package else None
        out.append(
            {
                "name": resource_name(resource, i),
                "title": resource.get("title") if isinstance(resource.get("title"), str) else None,
                "schema": schema if isinstance(schema, str) else None,
                "inline": isinstance(schema, Mapping),
                "catalogue_entry": child.name if child else None,
            }
        )
    return out
