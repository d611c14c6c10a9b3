"""``load_schema``: from a reference (catalogue name, URL, file, Data Package resource) to a TableSchema."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from socle.errors import SchemaError
from socle.schemas.catalogue import LocalCatalogue, SchemaNotFoundError
from socle.schemas.datapackage import child_entry, document_kind, select_resource
from socle.schemas.documents import DocumentFormat, format_for_name, parse_document
from socle.schemas.fetch import FetchSettings, fetch_url, read_local_file
from socle.schemas.layout import STORED_FILES, CatalogueEntry, VersionEntry
from socle.schemas.model import TableSchema, parse_table_schema
from socle.schemas.ref import RefKind, SchemaRef, parse_ref

NOT_A_TABLE_SCHEMA = (
    "Socle valide des fichiers tabulaires avec des Table Schemas (ou une table d'un Data Package)"
)

ResourceResolver = Callable[[str], tuple[dict[str, Any], str]]
"""Reads the schema a Data Package resource points to (a relative path or URL): document and label."""


@dataclass(frozen=True)
class LoadedDocument:
    """A schema document as read, before it is parsed as a Table Schema."""

    document: dict[str, Any]
    label: str
    """How messages name it: ``« scdl/deliberations@2.1.5 »``, ``« https://… »``."""
    resolve_resource: ResourceResolver
    entry: CatalogueEntry | None = None
    version: VersionEntry | None = None
    note: str | None = None
    """A French remark on how the version was chosen (e.g. latest not available locally)."""


def load_schema(
    ref: str | SchemaRef,
    *,
    catalogue: LocalCatalogue | None = None,
    settings: FetchSettings | None = None,
) -> TableSchema:
    """Load and check the Table Schema named by ``ref``; raise a French :class:`SchemaError` otherwise.

    ``ref`` is ``scdl/deliberations`` (latest version), ``scdl/deliberations@2.1.5``, a short name
    (``deliberations``) when unambiguous, ``etalab/schema-irve#irve-statique`` (a Data Package table),
    an ``http(s)://`` URL or a local ``.json``/``.yml`` file (both with an optional ``#resource``).
    The catalogue is the user's synced one first, then the snapshot bundled with Socle.
    """
    wanted = parse_ref(ref) if isinstance(ref, str) else ref
    return table_schema_from(read_document(wanted, catalogue=catalogue, settings=settings), wanted)


def read_document(
    wanted: SchemaRef, *, catalogue: LocalCatalogue | None = None, settings: FetchSettings | None = None
) -> LoadedDocument:
    """Read the document ``wanted`` names, without parsing it as a Table Schema."""
    limits = settings or FetchSettings.from_env()
    if wanted.kind is RefKind.URL:
        return _read_url(wanted.name, limits)
    if wanted.kind is RefKind.FILE:
        return _read_file(Path(wanted.name).expanduser(), limits)
    return _read_catalogue(wanted, catalogue or LocalCatalogue.default(), limits)


def table_schema_from(loaded: LoadedDocument, wanted: SchemaRef) -> TableSchema:
    """Parse ``loaded`` as a Table Schema, choosing ``wanted.resource`` when it is a Data Package."""
    resource = wanted.resource
    ref = _resolved_ref(wanted, loaded)
    document, label = loaded.document, loaded.label
    kind = document_kind(document)
    if kind == "jsonschema":
        raise SchemaError(f"{label} est un JSON Schema, pas un Table Schema : {NOT_A_TABLE_SCHEMA}.")
    if kind == "datapackage":
        document, label = _resource_schema(loaded, resource, ref)
    elif resource is not None:
        raise SchemaError(
            f"{label} est un Table Schema, pas un Data Package : « #{resource} » n'a pas de sens ici."
        )
    schema = parse_table_schema(document, source=f"schéma {label}")
    warnings = schema.warnings + ((loaded.note,) if loaded.note else ())
    version = loaded.version.name if loaded.version else schema.version
    return replace(schema, ref=ref, version=version, warnings=warnings)


def _resource_schema(
    loaded: LoadedDocument, resource: str | None, ref: SchemaRef
) -> tuple[dict[str, Any], str]:
    hint = ref.name if ref.kind is RefKind.CATALOGUE else loaded.label.strip("« »")
    chosen = select_resource(loaded.document, resource, loaded.label, hint)
    name = chosen.get("name", resource)
    label = f"{loaded.label[:-2]}#{name} »" if loaded.label.endswith(" »") else f"{loaded.label}#{name}"
    schema = chosen.get("schema")
    if isinstance(schema, Mapping):
        return dict(schema), label
    if isinstance(schema, str) and schema:
        document, _ = loaded.resolve_resource(schema)
        if document_kind(document) != "tableschema":
            raise SchemaError(
                f"Le schéma de la ressource {label} n'est pas un Table Schema : {NOT_A_TABLE_SCHEMA}."
            )
        return document, label
    raise SchemaError(f"La ressource {label} n'a pas de schéma (« schema » absent).")


def _resolved_ref(wanted: SchemaRef, loaded: LoadedDocument) -> SchemaRef:
    if loaded.entry is None:
        return wanted
    return SchemaRef(
        loaded.entry.name, loaded.version.name if loaded.version else None, _resource_name(wanted, loaded)
    )


def _resource_name(wanted: SchemaRef, loaded: LoadedDocument) -> str | None:
    if wanted.resource is None or document_kind(loaded.document) != "datapackage":
        return wanted.resource
    chosen = select_resource(loaded.document, wanted.resource, loaded.label, wanted.name)
    name = chosen.get("name")
    return name if isinstance(name, str) else wanted.resource


# Sources -----------------------------------------------------------------------------------------


def _read_url(url: str, limits: FetchSettings) -> LoadedDocument:
    label = f"« {url} »"
    data = fetch_url(url, limits)
    document = parse_document(data, format_for_name(urlsplit(url).path, data), f"le document {label}")

    def resolve(target: str) -> tuple[dict[str, Any], str]:
        return _fetch_document(urljoin(url, target), limits)

    return LoadedDocument(document, label, resolve)


def _fetch_document(url: str, limits: FetchSettings) -> tuple[dict[str, Any], str]:
    data = fetch_url(url, limits)
    label = f"« {url} »"
    return parse_document(data, format_for_name(urlsplit(url).path, data), f"le document {label}"), label


def _read_file(path: Path, limits: FetchSettings) -> LoadedDocument:
    label = f"« {path} »"
    data = read_local_file(path, limits)
    document = parse_document(data, format_for_name(path.name, data), f"le fichier {label}")

    def resolve(target: str) -> tuple[dict[str, Any], str]:
        if urlsplit(target).scheme.lower() in ("http", "https"):
            return _fetch_document(target, limits)
        local = path.parent / target
        data = read_local_file(local, limits)
        return parse_document(
            data, format_for_name(local.name, data), f"le fichier « {local} »"
        ), f"« {local} »"

    return LoadedDocument(document, label, resolve)


def _read_catalogue(wanted: SchemaRef, catalogue: LocalCatalogue, limits: FetchSettings) -> LoadedDocument:
    entry = catalogue.resolve(wanted.name)
    if entry.schema_type not in STORED_FILES:
        raise SchemaError(
            f"« {entry.name} » est {entry.type_phrase} dans le catalogue de schema.data.gouv.fr : "
            f"{NOT_A_TABLE_SCHEMA} ; ce schéma ne peut donc pas servir à valider un fichier avec Socle."
        )
    version, note = _pick_version(entry, wanted.version, catalogue)
    path = catalogue.file_for(entry, version.name)
    if path is None:
        raise SchemaNotFoundError(_not_local(entry, version.name, catalogue.available_versions(entry)))
    label = f"« {entry.name}@{version.name} »"
    document = parse_document(read_local_file(path, limits), DocumentFormat.JSON, f"le schéma {label}")

    def resolve(target: str) -> tuple[dict[str, Any], str]:
        return _catalogue_resource(
            catalogue, package=entry, version=version, document=document, target=target, limits=limits
        )

    return LoadedDocument(document, label, resolve, entry, version, note)


def _pick_version(
    entry: CatalogueEntry, wanted: str | None, catalogue: LocalCatalogue
) -> tuple[VersionEntry, str | None]:
    """The version asked for (or the latest); a note when the latest is replaced by an older local one."""
    latest = entry.latest
    if latest is None:
        raise SchemaNotFoundError(f"« {entry.name} » n'a aucune version publiée dans le catalogue.")
    if wanted is not None:
        return _named_version(entry, wanted), None
    if latest.file:
        return latest, None
    stored = [v for v in entry.versions if v.file]
    if not stored:
        raise SchemaNotFoundError(_not_local(entry, latest.name, ()))
    chosen = stored[-1]
    return chosen, (
        f"La dernière version publiée de « {entry.name} » ({latest.name}) n'est pas disponible localement : "
        f"Socle utilise la {chosen.name}. « socle schemas sync » télécharge les autres versions."
    )


def _named_version(entry: CatalogueEntry, wanted: str) -> VersionEntry:
    # Tags are sometimes written with a leading "v" (v2.3.0) where the catalogue says 2.3.0.
    found = entry.version(wanted) or entry.version(wanted.removeprefix("v")) or entry.version(f"v{wanted}")
    if found is None:
        raise SchemaNotFoundError(
            f"« {entry.name} » n'a pas de version « {wanted} » "
            f"(versions publiées : {', '.join(entry.version_names)})."
        )
    return found


def _not_local(entry: CatalogueEntry, version: str, available: tuple[str, ...]) -> str:
    local = ", ".join(available) if available else "aucune"
    return (
        f"La version {version} de « {entry.name} » est publiée sur schema.data.gouv.fr mais n'est pas dans "
        f"le catalogue local (versions disponibles localement : {local}). "
        "Lancez « socle schemas sync » pour télécharger les autres versions."
    )


def _catalogue_resource(
    catalogue: LocalCatalogue,
    *,
    package: CatalogueEntry,
    version: VersionEntry,
    document: Mapping[str, Any],
    target: str,
    limits: FetchSettings,
) -> tuple[dict[str, Any], str]:
    """A Data Package resource's schema: stored next to the package, else its own catalogue entry."""
    if urlsplit(target).scheme.lower() in ("http", "https"):
        return _fetch_document(target, limits)
    stored = catalogue.stored_path(package, version.name, target)
    if stored is not None:
        label = f"« {package.name}@{version.name}/{target} »"
        return parse_document(
            read_local_file(stored, limits), DocumentFormat.JSON, f"le schéma {label}"
        ), label
    resource = next(
        (r for r in document.get("resources", []) if isinstance(r, Mapping) and r.get("schema") == target), {}
    )
    child = child_entry(catalogue.entries(), package, resource)
    if child is None or child.version(version.name) is None:
        raise SchemaNotFoundError(
            f"Le schéma « {target} » du Data Package « {package.name}@{version.name} » n'est pas disponible "
            "localement. Lancez « socle schemas sync » pour le télécharger."
        )
    loaded = _read_catalogue(SchemaRef(child.name, version.name), catalogue, limits)
    return loaded.document, loaded.label
