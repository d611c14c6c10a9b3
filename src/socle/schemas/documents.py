"""Turn the bytes of a schema file (JSON or YAML) into a JSON object, with French errors.

YAML needs PyYAML, imported only when a YAML document is met: the bundled snapshot is all JSON, so
Socle runs without it. YAML aliases are refused because a few nested aliases expand into billions
of nodes when the document is walked or written back as JSON.
"""

from __future__ import annotations

import importlib
import json
from enum import StrEnum
from typing import Any

from socle.errors import SchemaError


class DocumentFormat(StrEnum):
    JSON = "json"
    YAML = "yaml"


def format_for_name(name: str, data: bytes) -> DocumentFormat:
    """Guess the format from a file name or URL path, then from the first character of the data."""
    lowered = name.lower().split("?", 1)[0]
    if lowered.endswith((".yaml", ".yml")):
        return DocumentFormat.YAML
    if lowered.endswith(".json"):
        return DocumentFormat.JSON
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return DocumentFormat.JSON if start in (b"{", b"[") else DocumentFormat.YAML


def parse_document(data: bytes, fmt: DocumentFormat, where: str) -> dict[str, Any]:
    """Decode ``data`` as a JSON object (from JSON or YAML); ``where`` names the source in messages."""
    text = _decode(data, where)
    value = _parse_json(text, where) if fmt is DocumentFormat.JSON else _parse_yaml(text, where)
    if not isinstance(value, dict):
        raise SchemaError(
            f"{_cap(where)} ne contient pas un objet mais {_kind(value)} : un schéma est un objet "
            "(par exemple un Table Schema avec « fields »)."
        )
    return value


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(
            f"{_cap(where)} n'est pas encodé en UTF-8 (octet invalide à la position {exc.start})."
        ) from None


def _parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(
            f"{_cap(where)} n'est pas un JSON valide : erreur ligne {exc.lineno}, colonne {exc.colno}."
        ) from None
    except RecursionError:
        raise SchemaError(f"{_cap(where)} est un JSON trop profondément imbriqué.") from None


def _parse_yaml(text: str, where: str) -> Any:
    yaml = _yaml_module(where)
    try:
        _refuse_aliases(text, yaml, where)
        value = yaml.load(text, Loader=_json_like_loader(yaml))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        position = f" : erreur ligne {mark.line + 1}, colonne {mark.column + 1}" if mark is not None else ""
        raise SchemaError(f"{_cap(where)} n'est pas un YAML valide{position}.") from None
    except RecursionError:
        raise SchemaError(f"{_cap(where)} est un YAML trop profondément imbriqué.") from None
    _check_json_like(value, where)
    return value


def _json_like_loader(yaml: Any) -> Any:
    """PyYAML's safe loader without its date resolver: ``2020-01-01`` stays text, as in the JSON form."""
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return type("SchemaYamlLoader", (yaml.SafeLoader,), {"yaml_implicit_resolvers": resolvers})


def _check_json_like(value: Any, where: str) -> None:
    """Refuse what YAML can say but JSON cannot (binary, sets, explicit dates, non-text keys)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            odd = next((key for key in item if not isinstance(key, str)), None)
            if odd is not None:
                raise SchemaError(f"{_cap(where)} contient la clé {odd!r}, qui n'est pas un texte.")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item is not None and not isinstance(item, str | int | float | bool):
            raise SchemaError(
                f"{_cap(where)} contient une valeur YAML sans équivalent JSON ({type(item).__name__}) : "
                "écrivez-la comme un texte."
            )


def _refuse_aliases(text: str, yaml: Any, where: str) -> None:
    # Scan the event stream first (cheap, no node is built) so that an alias bomb never expands.
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise SchemaError(
                f"{_cap(where)} utilise des alias YAML (« *nom »), que Socle refuse : "
                "écrivez les valeurs en entier."
            )


def _yaml_module(where: str) -> Any:
    try:
        # Imported by name so that the dependency stays optional and untyped stubs are not needed.
        return importlib.import_module("yaml")
    except ImportError:
        raise SchemaError(
            f"{_cap(where)} est au format YAML : installez PyYAML (pip install pyyaml) pour le lire, "
            "ou fournissez la version JSON du schéma."
        ) from None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, str):
        return "un texte"
    if value is None:
        return "une valeur vide"
    return f"une valeur simple ({value!r})"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
