"""The on-disk form of a schema catalogue, shared by the bundled snapshot and by ``socle schemas sync``.

A catalogue directory holds::

    catalogue.json                          the entries (format below)
    <publisher>/<name>/<version>/schema.json        a Table Schema version
    <publisher>/<name>/<version>/datapackage.json   a Data Package version (resources' relative
                                                     schema paths are stored under the same folder
                                                     when no catalogue entry provides them)

``catalogue.json`` is ``{"format": 1, "source": URL, "schemas": [entry, …]}`` where each entry keeps
the fields of schema.data.gouv.fr's ``schemas.json`` that Socle shows (name, title, description,
schema_type, labels, homepage, external_doc, contact, datapackage_name, datapackage_title), adds
``scdl`` (labelled "Socle Commun des Données Locales") and, on each version, ``file``: the path of the
stored document relative to the directory, or ``null`` when that version is only listed.
Version names are the catalogue's, never the ``version`` written inside a schema.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from socle.errors import SchemaError

CATALOGUE_FILE = "catalogue.json"
FORMAT_VERSION = 1
DEFAULT_CATALOGUE_URL = "https://schema.data.gouv.fr/schemas/schemas.json"
SCDL_LABEL = "Socle Commun des Données Locales"

TABLE_SCHEMA = "tableschema"
DATA_PACKAGE = "datapackage"
STORED_FILES = {TABLE_SCHEMA: "schema.json", DATA_PACKAGE: "datapackage.json"}
"""The schema types Socle stores and can validate against, with their file name."""

TYPE_LABELS = {
    TABLE_SCHEMA: "Table Schema",
    DATA_PACKAGE: "Data Package",
    "jsonschema": "JSON Schema",
    "other": "autre",
}

_TYPE_PHRASES = {
    TABLE_SCHEMA: "un Table Schema",
    DATA_PACKAGE: "un Data Package",
    "jsonschema": "un JSON Schema",
    "other": "un schéma d'un autre type (ni Table Schema ni Data Package)",
}

# Names and versions become path segments: keep them to characters that cannot escape the folder.
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._+-]*"
_NAME = re.compile(rf"^{_SEGMENT}/{_SEGMENT}$")
_VERSION = re.compile(rf"^{_SEGMENT}$")
_TEXT_KEYS = (
    "title",
    "description",
    "homepage",
    "external_doc",
    "contact",
    "datapackage_name",
    "datapackage_title",
)


@dataclass(frozen=True)
class VersionEntry:
    """One published version of a catalogue entry."""

    name: str
    schema_url: str
    file: str | None = None
    """Path of the stored document, relative to the catalogue directory; ``None`` when not stored."""


@dataclass(frozen=True)
class CatalogueEntry:
    """One schema of the catalogue, with all its published versions (oldest first)."""

    name: str
    schema_type: str
    title: str | None = None
    description: str | None = None
    labels: tuple[str, ...] = ()
    scdl: bool = False
    homepage: str | None = None
    external_doc: str | None = None
    contact: str | None = None
    datapackage_name: str | None = None
    datapackage_title: str | None = None
    versions: tuple[VersionEntry, ...] = field(default_factory=tuple)

    @property
    def type_label(self) -> str:
        """French/usual name of the schema type."""
        return TYPE_LABELS.get(self.schema_type, self.schema_type)

    @property
    def type_phrase(self) -> str:
        """The type in a French sentence: « un JSON Schema », « un schéma d'un autre type »…"""
        return _TYPE_PHRASES.get(self.schema_type, f"un schéma de type « {self.schema_type} »")

    @property
    def version_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.versions)

    @property
    def latest(self) -> VersionEntry | None:
        """The highest version (the one schema.data.gouv.fr calls ``latest``)."""
        return max(self.versions, key=lambda v: version_key(v.name)) if self.versions else None

    def version(self, name: str) -> VersionEntry | None:
        for v in self.versions:
            if v.name == name:
                return v
        return None

    def to_json(self) -> dict[str, Any]:
        """The ``catalogue.json`` form of the entry."""
        out: dict[str, Any] = {"name": self.name, "schema_type": self.schema_type}
        for key in _TEXT_KEYS:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["labels"] = list(self.labels)
        out["scdl"] = self.scdl
        out["versions"] = [
            {"version_name": v.name, "schema_url": v.schema_url, "file": v.file} for v in self.versions
        ]
        return out


def version_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for version names: numeric parts compare as numbers (``0.10.0`` > ``0.9.2``)."""
    parts = re.split(r"[.+-]", name.lower().removeprefix("v"))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def version_file(entry: CatalogueEntry, version: str) -> str:
    """Relative path where a version's document is stored."""
    return f"{entry.name}/{version}/{STORED_FILES[entry.schema_type]}"


def entry_from_upstream(raw: Any, scdl: bool | None = None) -> CatalogueEntry:
    """Check one entry of schema.data.gouv.fr's ``schemas.json``; ``scdl`` defaults to its labels."""
    if not isinstance(raw, Mapping):
        raise SchemaError("Une entrée du catalogue n'est pas un objet JSON.")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SchemaError(
            f"Le catalogue contient un nom de schéma invalide : {name!r} (attendu : « éditeur/nom »)."
        )
    schema_type = raw.get("schema_type")
    if not isinstance(schema_type, str) or not schema_type:
        raise SchemaError(f"L'entrée « {name} » du catalogue n'a pas de « schema_type ».")
    labels = raw.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise SchemaError(f"L'entrée « {name} » du catalogue a des « labels » invalides.")
    versions = raw.get("versions")
    if not isinstance(versions, list):
        raise SchemaError(f"L'entrée « {name} » du catalogue n'a pas de liste « versions ».")
    texts = {key: raw[key] for key in _TEXT_KEYS if isinstance(raw.get(key), str)}
    return CatalogueEntry(
        name=name,
        schema_type=schema_type,
        labels=tuple(labels),
        scdl=SCDL_LABEL in labels if scdl is None else scdl,
        versions=tuple(_version_from_json(v, name) for v in versions),
        **texts,
    )


def _version_from_json(raw: Any, entry_name: str) -> VersionEntry:
    if not isinstance(raw, Mapping):
        raise SchemaError(f"Une version de « {entry_name} » dans le catalogue n'est pas un objet JSON.")
    name = raw.get("version_name")
    if not isinstance(name, str) or not _VERSION.match(name):
        raise SchemaError(f"Le catalogue donne à « {entry_name} » une version au nom invalide : {name!r}.")
    url = raw.get("schema_url")
    if not isinstance(url, str) or not url:
        raise SchemaError(f"La version {name} de « {entry_name} » n'a pas d'adresse « schema_url ».")
    stored = raw.get("file")
    if stored is not None and (not isinstance(stored, str) or not is_safe_relative(stored)):
        raise SchemaError(f"La version {name} de « {entry_name} » désigne un fichier invalide : {stored!r}.")
    return VersionEntry(name=name, schema_url=url, file=stored)


def entry_from_json(raw: Any) -> CatalogueEntry:
    """Read an entry of Socle's own ``catalogue.json``."""
    entry = entry_from_upstream(raw)
    scdl = raw.get("scdl") if isinstance(raw, Mapping) else None
    return replace(entry, scdl=scdl) if isinstance(scdl, bool) else entry


def is_safe_relative(path: str) -> bool:
    """Whether ``path`` is a relative POSIX path that stays inside its folder."""
    if not path or path.startswith(("/", "\\")) or "\\" in path or ":" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def read_catalogue(root: Path) -> tuple[str, list[CatalogueEntry]] | None:
    """The source URL and entries of the catalogue in ``root``, or ``None`` when there is none."""
    path = root / CATALOGUE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SchemaError(
            f"Le catalogue local « {path} » est illisible ({exc.__class__.__name__})."
        ) from None
    if (
        not isinstance(raw, Mapping)
        or raw.get("format") != FORMAT_VERSION
        or not isinstance(raw.get("schemas"), list)
    ):
        raise SchemaError(
            f"Le catalogue local « {path} » n'est pas au format attendu (format {FORMAT_VERSION}) : "
            "relancez « socle schemas sync »."
        )
    source = raw.get("source")
    return (source if isinstance(source, str) else "", [entry_from_json(e) for e in raw["schemas"]])


def catalogue_bytes(source: str, entries: Iterable[CatalogueEntry]) -> bytes:
    """Deterministic ``catalogue.json`` content (one entry per line block, sorted as given)."""
    document = {"format": FORMAT_VERSION, "source": source, "schemas": [e.to_json() for e in entries]}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def document_bytes(document: Mapping[str, Any]) -> bytes:
    """Compact, deterministic JSON for a stored schema document (key order kept as published)."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
