"""Build the catalogue snapshot bundled with Socle from a copy of schema.data.gouv.fr's ``latest`` folders.

The source is laid out as schema.data.gouv.fr publishes it: ``schemas.json`` (the catalogue),
``schemas-scdl.json`` (the entries labelled SCDL) and, for each entry, the files of its latest
version under ``<publisher>/<name>/``. Only the latest version of each schema is in that copy; the
others are listed in the snapshot's catalogue without a file, and ``socle schemas sync`` fetches them.

Used by ``scripts/build_schema_snapshot.py``; never called at run time.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from socle.errors import SchemaError
from socle.schemas.datapackage import check_document
from socle.schemas.documents import format_for_name, parse_document
from socle.schemas.layout import (
    CATALOGUE_FILE,
    DEFAULT_CATALOGUE_URL,
    STORED_FILES,
    CatalogueEntry,
    catalogue_bytes,
    document_bytes,
    entry_from_upstream,
    version_file,
)

_LATEST = "/latest/"


@dataclass(frozen=True)
class SnapshotSummary:
    """What a build wrote."""

    entries: int
    stored: int
    scdl: int


def build_snapshot(source: Path, output: Path) -> SnapshotSummary:
    """Write the snapshot of ``source`` into ``output`` (replaced as a whole); raise on any bad input."""
    files, entries = snapshot_contents(source)
    staging = output.with_name(f".{output.name}.building")
    if staging.exists():
        shutil.rmtree(staging)
    for relative, data in sorted(files.items()):
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if output.exists():
        shutil.rmtree(output)
    staging.rename(output)
    return SnapshotSummary(entries=len(entries), stored=len(files) - 1, scdl=sum(e.scdl for e in entries))


def snapshot_contents(source: Path) -> tuple[dict[str, bytes], list[CatalogueEntry]]:
    """Every file of the snapshot (relative path → bytes) and the catalogue entries."""
    upstream = _read_json(source / "schemas.json")
    scdl_names = {e["name"] for e in _read_json(source / "schemas-scdl.json")["schemas"]}
    files: dict[str, bytes] = {}
    entries: list[CatalogueEntry] = []
    for raw in upstream["schemas"]:
        entry = entry_from_upstream(raw, scdl=raw.get("name") in scdl_names)
        if entry.schema_type in STORED_FILES:
            entry = _store_latest(source, raw, entry, files)
        entries.append(entry)
    unknown = scdl_names - {e.name for e in entries}
    if unknown:
        raise SchemaError(
            f"schemas-scdl.json cite des schémas absents de schemas.json : {', '.join(sorted(unknown))}."
        )
    files[CATALOGUE_FILE] = catalogue_bytes(DEFAULT_CATALOGUE_URL, entries)
    return files, entries


def _store_latest(
    source: Path, raw: dict[str, Any], entry: CatalogueEntry, files: dict[str, bytes]
) -> CatalogueEntry:
    latest = entry.latest
    url = raw.get("schema_url")
    if latest is None or not isinstance(url, str) or _LATEST not in url:
        raise SchemaError(f"L'entrée « {entry.name} » n'a pas d'adresse « latest » exploitable.")
    path = source / entry.name / url.split(_LATEST, 1)[1]
    data = path.read_bytes()
    document = parse_document(data, format_for_name(path.name, data), f"le fichier « {path} »")
    check_document(entry, document, f"« {entry.name} »")
    relative = version_file(entry, latest.name)
    files[relative] = document_bytes(document)
    versions = tuple(replace(v, file=relative) if v.name == latest.name else v for v in entry.versions)
    return replace(entry, versions=versions)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
