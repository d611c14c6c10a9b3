"""Helpers for the schema catalogue tests: the shared reference data and a local web site."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SHARED_SCHEMAS = SHARED / "schemas"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class Site:
    """A small web site on 127.0.0.1 whose pages the test sets (``site.routes[path] = Route(...)``)."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    """Paths answered with a 302 to the given location."""
    hits: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def json(self, path: str, document: Any, status: int = 200) -> str:
        self.routes[path] = Route(json.dumps(document).encode("utf-8"), status)
        return self.url(path)

    def text(self, path: str, text: str, content_type: str = "text/plain") -> str:
        self.routes[path] = Route(text.encode("utf-8"), 200, content_type)
        return self.url(path)


def minimal_schema(*names: str, **extra: Any) -> dict[str, Any]:
    """A small valid Table Schema with string fields ``names`` (``a`` by default)."""
    fields = [{"name": n, "type": "string"} for n in (names or ("a",))]
    return {"fields": fields, **extra}


def write_catalogue(
    root: Path, schemas: dict[str, dict[str, Any]], source: str = "https://test/schemas.json"
) -> Path:
    """A catalogue directory in Socle's layout.

    ``schemas`` maps a name to ``{"type": ..., "versions": {version: document or None}, **metadata}``;
    a ``None`` document is a version listed but not stored.
    """
    from socle.schemas.layout import (
        CATALOGUE_FILE,
        CatalogueEntry,
        VersionEntry,
        catalogue_bytes,
        document_bytes,
        version_file,
    )

    entries = []
    for name, spec in schemas.items():
        meta = {k: v for k, v in spec.items() if k not in ("type", "versions")}
        entry = CatalogueEntry(name=name, schema_type=spec.get("type", "tableschema"), **meta)
        versions = []
        for version, document in spec["versions"].items():
            stored = None
            if document is not None:
                stored = version_file(entry, version)
                (root / stored).parent.mkdir(parents=True, exist_ok=True)
                (root / stored).write_bytes(document_bytes(document))
            versions.append(VersionEntry(version, f"https://test/{name}/{version}/schema.json", stored))
        entries.append(
            CatalogueEntry(name=name, schema_type=entry.schema_type, versions=tuple(versions), **meta)
        )
    root.mkdir(parents=True, exist_ok=True)
    (root / CATALOGUE_FILE).write_bytes(catalogue_bytes(source, entries))
    return root
