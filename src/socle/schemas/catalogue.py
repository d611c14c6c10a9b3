"""The local catalogue: schemas synced by the user first, then the snapshot bundled with Socle.

Both are directories in the :mod:`socle.schemas.layout` format. The synced one lives in
``$SOCLE_HOME/schemas`` when ``SOCLE_HOME`` is set, else in the user data directory
(``$XDG_DATA_HOME/socle/schemas``, by default ``~/.local/share/socle/schemas``; on macOS
``~/Library/Application Support/socle/schemas``; on Windows ``%LOCALAPPDATA%\\socle\\schemas``).
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from socle.errors import SchemaError
from socle.schemas.layout import CatalogueEntry, VersionEntry, read_catalogue, version_key


class SchemaNotFoundError(SchemaError):
    """The reference names no schema, or a version that is not available locally."""


def bundled_dir() -> Path:
    """The snapshot shipped inside the package."""
    return Path(__file__).resolve().parent / "data"


def synced_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where ``socle schemas sync`` writes (read from the environment at each call)."""
    env = os.environ if environ is None else environ
    if env.get("SOCLE_HOME"):
        return Path(env["SOCLE_HOME"]).expanduser() / "schemas"
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "socle" / "schemas"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "socle" / "schemas"
    base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "socle" / "schemas"


@dataclass(frozen=True)
class CatalogueLayer:
    """One catalogue directory and its entries."""

    root: Path
    origin: str
    """``synchronisé`` or ``embarqué`` (shown to users)."""
    source: str
    entries: Mapping[str, CatalogueEntry]

    def file(self, name: str, version: str) -> Path | None:
        entry = self.entries.get(name)
        found = entry.version(version) if entry else None
        if found is None or found.file is None:
            return None
        path = self.root / found.file
        return path if path.is_file() else None


def read_layer(root: Path, origin: str) -> CatalogueLayer | None:
    """The catalogue in ``root``, or ``None`` when the directory has none."""
    path = root / "catalogue.json"
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read_layer_cached(str(root), origin, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read_layer_cached(root: str, origin: str, mtime_ns: int, size: int) -> CatalogueLayer | None:
    # Keyed on the file's mtime and size so that a sync in the same process is seen at once.
    read = read_catalogue(Path(root))
    if read is None:
        return None
    source, entries = read
    return CatalogueLayer(Path(root), origin, source, {e.name: e for e in entries})


@dataclass(frozen=True)
class LocalCatalogue:
    """The catalogue layers in lookup order (synced first, then bundled).

    Entries it returns are merged across layers; in them, ``VersionEntry.file`` is the absolute path
    of the stored document (from the first layer that stores that version), not a relative one.
    """

    layers: tuple[CatalogueLayer, ...]

    @classmethod
    def default(cls, environ: Mapping[str, str] | None = None) -> LocalCatalogue:
        """The user's synced catalogue (if any) over the bundled snapshot."""
        return cls.from_dirs(synced_dir(environ), bundled_dir())

    @classmethod
    def from_dirs(cls, *roots: Path) -> LocalCatalogue:
        """Layers read from ``roots``, first wins; directories without a catalogue are skipped."""
        origins = ["synchronisé"] * (len(roots) - 1) + ["embarqué"]
        layers = [read_layer(root, origin) for root, origin in zip(roots, origins, strict=True)]
        return cls(tuple(layer for layer in layers if layer is not None))

    def names(self) -> list[str]:
        """All entry names, sorted case-insensitively."""
        return sorted({n for layer in self.layers for n in layer.entries}, key=str.lower)

    def entries(self) -> list[CatalogueEntry]:
        """All entries, merged across layers, sorted by name."""
        return [self._merged(n) for n in self.names()]

    def get(self, name: str) -> CatalogueEntry | None:
        """The entry with exactly this name, merged across layers."""
        if not any(name in layer.entries for layer in self.layers):
            return None
        return self._merged(name)

    def _merged(self, name: str) -> CatalogueEntry:
        # Metadata from the first layer that has the entry; versions from all, each version's file
        # from the first layer that stores it.
        present = [layer for layer in self.layers if name in layer.entries]
        first = present[0].entries[name]
        versions: dict[str, VersionEntry] = {}
        for layer in present:
            for v in layer.entries[name].versions:
                known = versions.get(v.name)
                stored = layer.file(name, v.name)
                if known is None or (known.file is None and stored is not None):
                    versions[v.name] = replace(v, file=str(stored) if stored else None)
        ordered = sorted(versions.values(), key=lambda v: version_key(v.name))
        return replace(first, versions=tuple(ordered))

    def file_for(self, entry: CatalogueEntry, version: str) -> Path | None:
        """The stored document of ``version`` (absolute path), or ``None`` when only listed."""
        found = self.get(entry.name)
        chosen = found.version(version) if found else None
        return Path(chosen.file) if chosen and chosen.file else None

    def available_versions(self, entry: CatalogueEntry) -> tuple[str, ...]:
        """Versions of ``entry`` whose document is stored locally."""
        return tuple(v.name for v in entry.versions if v.file)

    def stored_path(self, entry: CatalogueEntry, version: str, relative: str) -> Path | None:
        """A file stored next to a version's document (Data Package resources), first layer wins."""
        for layer in self.layers:
            own = layer.entries.get(entry.name)
            found = own.version(version) if own else None
            if found is not None and found.file is not None:
                path = (layer.root / found.file).parent / relative
                if path.is_file():
                    return path
        return None

    def resolve(self, name: str) -> CatalogueEntry:
        """The entry for a full or short name; French :class:`SchemaNotFoundError` otherwise.

        A short name (``deliberations``) is accepted when exactly one entry ends with ``/deliberations``;
        names are compared without regard to case when no exact match exists.
        """
        exact = self.get(name)
        if exact is not None:
            return exact
        all_names = self.names()
        candidates = [n for n in all_names if n.lower() == name.lower()]
        if not candidates and "/" not in name:
            candidates = [n for n in all_names if n.lower().rsplit("/", 1)[-1] == name.lower()]
        if len(candidates) == 1:
            return self._merged(candidates[0])
        if candidates:
            raise SchemaNotFoundError(
                f"Le nom court « {name} » désigne plusieurs schémas : {', '.join(candidates)}. "
                "Écrivez le nom complet."
            )
        raise SchemaNotFoundError(_unknown_message(name, all_names))


def _unknown_message(name: str, all_names: list[str]) -> str:
    wanted = name.lower()
    contains = [n for n in all_names if wanted in n.lower()]
    pool = {n.lower(): n for n in all_names} | {n.lower().rsplit("/", 1)[-1]: n for n in all_names}
    close = [pool[c] for c in difflib.get_close_matches(wanted, list(pool), n=3, cutoff=0.6)]
    # Closest first: names containing what was typed, then difflib's matches by similarity.
    suggestions = list(dict.fromkeys(contains[:5] + close))
    hint = f" Vouliez-vous dire : {', '.join(suggestions)} ?" if suggestions else ""
    return (
        f"Schéma inconnu : « {name} » n'est pas dans le catalogue local.{hint} "
        "« socle schemas list » affiche le catalogue ; « socle schemas sync » le met à jour."
    )
