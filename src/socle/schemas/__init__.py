"""The schema catalogue: Table Schemas of schema.data.gouv.fr, bundled, synced, or read from a URL or a file.

- :func:`load_schema` turns a reference (``scdl/deliberations``, ``scdl/deliberations@2.1.5``,
  ``etalab/schema-irve#irve-statique``, a URL, a file) into a checked :class:`TableSchema`;
- :func:`list_schemas` and :func:`show_schema` describe the catalogue;
- :func:`sync` copies schema.data.gouv.fr's catalogue and all its versions to the user's disk.

See ``docs/schemas.md``.
"""

from socle.schemas.catalogue import LocalCatalogue, SchemaNotFoundError, bundled_dir, synced_dir
from socle.schemas.describe import SchemaSummary, describe_schema, list_schemas, show_schema
from socle.schemas.fetch import FetchSettings
from socle.schemas.layout import DEFAULT_CATALOGUE_URL, CatalogueEntry, VersionEntry
from socle.schemas.loader import load_schema
from socle.schemas.model import CustomCheckSpec, Field, TableSchema, parse_table_schema
from socle.schemas.ref import SchemaRef, parse_ref
from socle.schemas.sync import SyncEvent, SyncFailure, SyncReport, sync

__all__ = [
    "DEFAULT_CATALOGUE_URL",
    "CatalogueEntry",
    "CustomCheckSpec",
    "FetchSettings",
    "Field",
    "LocalCatalogue",
    "SchemaNotFoundError",
    "SchemaRef",
    "SchemaSummary",
    "SyncEvent",
    "SyncFailure",
    "SyncReport",
    "TableSchema",
    "VersionEntry",
    "bundled_dir",
    "describe_schema",
    "list_schemas",
    "load_schema",
    "parse_ref",
    "parse_table_schema",
    "show_schema",
    "sync",
    "synced_dir",
]
