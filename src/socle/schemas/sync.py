"""``socle schemas sync``: copy schema.data.gouv.fr's catalogue and every version it lists to the user's disk.

Only Table Schemas and Data Packages are downloaded (Socle cannot validate with the other types,
which stay listed). Each document is checked before it is written, written atomically, and a
version already on disk is not fetched again (published versions do not change). A version that
cannot be fetched or is invalid is reported, in French, and the others go on. The catalogue index
is written last, so a reader sees the previous index until the new one is complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from socle.errors import SchemaError
from socle.schemas.catalogue import synced_dir
from socle.schemas.datapackage import check_document, child_entry, resources_of
from socle.schemas.documents import DocumentFormat, format_for_name, parse_document
from socle.schemas.fetch import FetchSettings, fetch_url
from socle.schemas.layout import (
    CATALOGUE_FILE,
    DATA_PACKAGE,
    DEFAULT_CATALOGUE_URL,
    STORED_FILES,
    CatalogueEntry,
    VersionEntry,
    catalogue_bytes,
    document_bytes,
    entry_from_upstream,
    is_safe_relative,
    version_file,
    write_atomic,
)
from socle.schemas.model import parse_table_schema


@dataclass(frozen=True)
class SyncFailure:
    """A catalogue entry or version that could not be synced, with a French reason."""

    name: str
    version: str | None
    reason: str
    url: str | None = None

    def describe(self) -> str:
        what = f"{self.name}@{self.version}" if self.version else self.name
        return f"{what} : {self.reason}"


@dataclass(frozen=True)
class SyncEvent:
    """Progress of a sync, one event per version handled."""

    name: str
    version: str
    status: str
    """``téléchargé``, ``déjà présent`` or ``échec``."""
    done: int
    total: int


@dataclass
class SyncReport:
    """What a sync did."""

    target: Path
    catalogue_url: str
    entries: int = 0
    downloaded: list[tuple[str, str]] = field(default_factory=list)
    already_present: list[tuple[str, str]] = field(default_factory=list)
    failures: list[SyncFailure] = field(default_factory=list)
    listed_only: list[str] = field(default_factory=list)
    """Entries of types Socle does not validate with (JSON Schema, other): listed, not downloaded."""

    @property
    def ok(self) -> bool:
        return not self.failures


def sync(
    catalogue_url: str = DEFAULT_CATALOGUE_URL,
    target: Path | None = None,
    *,
    settings: FetchSettings | None = None,
    workers: int = 4,
    on_progress: Callable[[SyncEvent], None] | None = None,
) -> SyncReport:
    """Download the catalogue at ``catalogue_url`` and every Table Schema / Data Package version it lists.

    ``target`` defaults to :func:`socle.schemas.catalogue.synced_dir`. Raises :class:`SchemaError`
    when the catalogue itself cannot be fetched or read (nothing is written then); per-version
    problems are in the report's ``failures``.
    """
    limits = settings or FetchSettings.from_env()
    root = target or synced_dir()
    report = SyncReport(target=root, catalogue_url=catalogue_url)
    entries = _read_upstream(catalogue_url, limits, report)
    _prepare(root)
    report.entries = len(entries)
    report.listed_only = [e.name for e in entries if e.schema_type not in STORED_FILES]
    jobs = [(e, v) for e in entries if e.schema_type in STORED_FILES for v in e.versions]
    progress = _Progress(on_progress, len(jobs))
    pending: list[tuple[CatalogueEntry, VersionEntry]] = []
    for entry, version in jobs:
        if _stored(root, entry, version):
            report.already_present.append((entry.name, version.name))
            progress.step(entry, version, "déjà présent")
        else:
            pending.append((entry, version))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(_sync_version, root, entries, e, v, limits): (e, v) for e, v in pending}
        for future in as_completed(futures):
            entry, version = futures[future]
            stored, problems = future.result()
            if stored:
                report.downloaded.append((entry.name, version.name))
            report.failures.extend(problems)
            progress.step(entry, version, "téléchargé" if stored else "échec")
    report.downloaded.sort()
    report.failures.sort(key=lambda f: (f.name, f.version or "", f.reason))
    write_atomic(root / CATALOGUE_FILE, catalogue_bytes(catalogue_url, _with_files(root, entries)))
    return report


def _prepare(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SchemaError(
            f"Impossible de créer le dossier des schémas synchronisés « {root} » ({exc.strerror or exc}) : "
            "choisissez-en un autre avec SOCLE_HOME ou --target."
        ) from None


@dataclass
class _Progress:
    callback: Callable[[SyncEvent], None] | None
    total: int
    done: int = 0

    def step(self, entry: CatalogueEntry, version: VersionEntry, status: str) -> None:
        self.done += 1
        if self.callback is not None:
            self.callback(SyncEvent(entry.name, version.name, status, self.done, self.total))


def _read_upstream(url: str, limits: FetchSettings, report: SyncReport) -> list[CatalogueEntry]:
    data = fetch_url(url, limits)
    document = parse_document(data, DocumentFormat.JSON, f"le catalogue « {url} »")
    raw_entries = document.get("schemas")
    if not isinstance(raw_entries, list):
        raise SchemaError(
            f"Le catalogue « {url} » n'a pas de liste « schemas » : "
            "ce n'est pas un catalogue de schema.data.gouv.fr."
        )
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_entries, start=1):
        shown = (
            raw.get("name")
            if isinstance(raw, Mapping) and isinstance(raw.get("name"), str)
            else f"entrée n°{position}"
        )
        try:
            entry = entry_from_upstream(raw)
        except SchemaError as exc:
            report.failures.append(SyncFailure(str(shown), None, exc.message))
            continue
        if entry.name in seen:
            report.failures.append(
                SyncFailure(
                    entry.name,
                    None,
                    "le catalogue cite ce schéma deux fois, seule la première entrée est gardée.",
                )
            )
            continue
        seen.add(entry.name)
        entries.append(entry)
    return entries


def _stored(root: Path, entry: CatalogueEntry, version: VersionEntry) -> bool:
    return (root / version_file(entry, version.name)).is_file()


def _sync_version(
    root: Path,
    entries: list[CatalogueEntry],
    entry: CatalogueEntry,
    version: VersionEntry,
    limits: FetchSettings,
) -> tuple[bool, list[SyncFailure]]:
    """Fetch, check and store one version: whether it was stored, and the problems met."""
    try:
        document = _fetch_document(version.schema_url, limits)
        check_document(entry, document, f"« {entry.name}@{version.name} »")
    except SchemaError as exc:
        return False, [SyncFailure(entry.name, version.name, exc.message, version.schema_url)]
    problems: list[SyncFailure] = []
    if entry.schema_type == DATA_PACKAGE:
        problems = _sync_package_resources(
            root, entries=entries, package=entry, version=version, document=document, limits=limits
        )
    try:
        write_atomic(root / version_file(entry, version.name), document_bytes(document))
    except OSError as exc:
        reason = f"écriture impossible dans « {root} » ({exc.strerror or exc.__class__.__name__})."
        return False, [*problems, SyncFailure(entry.name, version.name, reason, version.schema_url)]
    return True, problems


def _fetch_document(url: str, limits: FetchSettings) -> dict[str, Any]:
    data = fetch_url(url, limits)
    return parse_document(data, format_for_name(urlsplit(url).path, data), f"le document « {url} »")


def _sync_package_resources(
    root: Path,
    *,
    entries: list[CatalogueEntry],
    package: CatalogueEntry,
    version: VersionEntry,
    document: Mapping[str, Any],
    limits: FetchSettings,
) -> list[SyncFailure]:
    """Store the resource schemas a Data Package names by relative path when no catalogue entry has them."""
    problems: list[SyncFailure] = []
    folder = (root / version_file(package, version.name)).parent
    for resource in resources_of(document, f"« {package.name}@{version.name} »"):
        target = resource.get("schema")
        if not isinstance(target, str) or urlsplit(target).scheme or child_entry(entries, package, resource):
            continue
        if not is_safe_relative(target):
            problems.append(SyncFailure(package.name, None, f"chemin de ressource refusé : « {target} »."))
            continue
        url = urljoin(version.schema_url, target)
        try:
            schema = _fetch_document(url, limits)
            parse_table_schema(schema, source=f"schéma « {package.name}@{version.name}/{target} »")
            write_atomic(folder / target, document_bytes(schema))
        except SchemaError as exc:
            problems.append(SyncFailure(package.name, f"{version.name}/{target}", exc.message, url))
        except OSError as exc:
            reason = f"écriture impossible ({exc.strerror or exc.__class__.__name__})."
            problems.append(SyncFailure(package.name, f"{version.name}/{target}", reason, url))
    return problems


def _with_files(root: Path, entries: Iterable[CatalogueEntry]) -> list[CatalogueEntry]:
    out: list[CatalogueEntry] = []
    for entry in entries:
        if entry.schema_type not in STORED_FILES:
            out.append(entry)
            continue
        versions = tuple(
            replace(v, file=version_file(entry, v.name) if _stored(root, entry, v) else None)
            for v in entry.versions
        )
        out.append(replace(entry, versions=versions))
    return out
