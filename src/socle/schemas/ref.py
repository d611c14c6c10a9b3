"""Schema references: what a user writes (``scdl/deliberations@2.1.5``) and what was resolved.

Accepted syntaxes, tried in this order (see ``docs/schemas.md``):

- ``http://…`` or ``https://…``: a schema fetched over the network; ``#resource`` picks a table in a
  Data Package;
- a local file: a path ending in ``.json``, ``.yaml`` or ``.yml`` (optionally followed by ``#resource``),
  or starting with ``/``, ``./``, ``../`` or ``~``;
- a catalogue name: ``publisher/name``, ``publisher/name@version``, ``publisher/name#resource``,
  ``publisher/name@version#resource``, or a short ``name`` when a single catalogue entry ends with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urldefrag

from socle.errors import SchemaError

SCHEMA_FILE_SUFFIXES = (".json", ".yaml", ".yml")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PATH_PREFIXES = ("/", "./", "../", "~", ".\\", "..\\")
# Catalogue names are ``publisher/name`` (or a short name); versions are free-form tags such as 2.1.5.
_CATALOGUE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


class RefKind(StrEnum):
    """Where a schema comes from."""

    CATALOGUE = "catalogue"
    URL = "url"
    FILE = "file"


@dataclass(frozen=True)
class SchemaRef:
    """A schema as named by the user or as resolved by :func:`socle.schemas.load_schema`.

    ``name`` is a catalogue name (``scdl/deliberations``), a URL or a file path; ``version`` is a
    catalogue version name (``None`` for URLs and files, or for "latest" before resolution);
    ``resource`` is the table chosen in a Data Package.
    """

    name: str
    version: str | None = None
    resource: str | None = None

    @property
    def kind(self) -> RefKind:
        """Whether the name is a URL, a local file or a catalogue name."""
        return _kind_of(self.name)

    def __str__(self) -> str:
        text = self.name
        if self.version:
            text += f"@{self.version}"
        if self.resource:
            text += f"#{self.resource}"
        return text


def parse_ref(text: str) -> SchemaRef:
    """Split what the user wrote into a :class:`SchemaRef`; raise :class:`SchemaError` when malformed."""
    cleaned = text.strip()
    if not cleaned:
        raise SchemaError("Référence de schéma vide : indiquez un nom du catalogue, une URL ou un fichier.")
    kind = _kind_of(cleaned)
    if kind is RefKind.URL:
        url, fragment = urldefrag(cleaned)
        return SchemaRef(url, None, fragment or None)
    if _URL_SCHEME.match(cleaned):
        raise SchemaError(
            f"Référence de schéma « {cleaned} » : seules les adresses http:// et https:// sont acceptées."
        )
    if kind is RefKind.FILE:
        path, _, resource = cleaned.partition("#")
        return SchemaRef(path, None, resource or None)
    return _parse_catalogue_ref(cleaned)


def _kind_of(text: str) -> RefKind:
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        return RefKind.URL
    path = text.partition("#")[0]
    if path.lower().endswith(SCHEMA_FILE_SUFFIXES) or path.startswith(_PATH_PREFIXES):
        return RefKind.FILE
    return RefKind.CATALOGUE


def _parse_catalogue_ref(text: str) -> SchemaRef:
    rest, _, resource = text.partition("#")
    name, at, version = rest.partition("@")
    if not _CATALOGUE_NAME.match(name):
        raise SchemaError(
            f"Référence de schéma « {text} » incompréhensible : écrivez « éditeur/nom » "
            "(par exemple scdl/deliberations), éventuellement suivi de « @version » et de « #ressource », "
            "une URL http(s) ou le chemin d'un fichier .json ou .yml."
        )
    if at and not _VERSION.match(version):
        raise SchemaError(f"Référence de schéma « {text} » : la version « {version} » est mal écrite.")
    if "#" in text and not resource:
        raise SchemaError(f"Référence de schéma « {text} » : le nom de ressource après « # » est vide.")
    wanted = None if not at or version == "latest" else version
    return SchemaRef(name, wanted, resource or None)
