"""Read schema documents from the network or the disk, within named limits.

The limits are settings with a default and an environment variable each, like ``socle.limits``:

- ``SOCLE_SCHEMA_FETCH_TIMEOUT``: seconds to wait for a server (connection and each read), 30 by default;
- ``SOCLE_SCHEMA_MAX_BYTES``: largest schema document or catalogue accepted, 10 MiB by default
  (the largest schema of schema.data.gouv.fr is under 500 kB).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import socle
from socle.errors import SchemaError, UsageError

_MIB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchSettings:
    """Bounds on reading one schema document."""

    timeout: float = 30.0
    """Seconds to wait for the server, for the connection and for each read."""
    max_bytes: int = 10 * _MIB
    """Largest document accepted, in bytes."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FetchSettings:
        """Defaults overridden by ``SOCLE_SCHEMA_FETCH_TIMEOUT`` and ``SOCLE_SCHEMA_MAX_BYTES``."""
        env = os.environ if environ is None else environ
        timeout = cls.timeout
        max_bytes = cls.max_bytes
        if "SOCLE_SCHEMA_FETCH_TIMEOUT" in env:
            timeout = _positive(env["SOCLE_SCHEMA_FETCH_TIMEOUT"], "SOCLE_SCHEMA_FETCH_TIMEOUT", float)
        if "SOCLE_SCHEMA_MAX_BYTES" in env:
            max_bytes = int(_positive(env["SOCLE_SCHEMA_MAX_BYTES"], "SOCLE_SCHEMA_MAX_BYTES", int))
        return cls(timeout=timeout, max_bytes=max_bytes)


def _positive(raw: str, key: str, kind: type[int] | type[float]) -> float:
    try:
        value = kind(raw.replace("_", "").strip())
    except ValueError:
        raise UsageError(f"La variable {key} doit être un nombre positif, pas « {raw} ».") from None
    if value <= 0:
        raise UsageError(f"La variable {key} doit être un nombre strictement positif, pas « {raw} ».")
    return value


def _opener() -> Any:
    """A URL opener that follows redirects only to http(s): a schema URL must not lead to ``ftp:`` or
    elsewhere. (urllib is imported here: validating a file never needs it.)"""
    import urllib.request

    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(  # noqa: PLR0917 - the signature is urllib's
            self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
        ) -> urllib.request.Request | None:
            if urlsplit(newurl).scheme.lower() not in ("http", "https"):
                raise SchemaError(
                    f"Le serveur redirige vers « {newurl} », qui n'est pas une adresse http(s)."
                )
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(HttpOnlyRedirects())


def fetch_url(url: str, settings: FetchSettings | None = None) -> bytes:
    """Download ``url`` (http or https only) within the timeout and size limit; French errors."""
    limits = settings or FetchSettings.from_env()
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise SchemaError(f"L'adresse « {url} » n'est pas une adresse http:// ou https://.")
    import http.client  # see _opener
    import urllib.error
    import urllib.request

    opener = _opener()
    request = urllib.request.Request(
        url, headers={"User-Agent": f"socle/{socle.__version__}", "Accept": "application/json, */*"}
    )
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise _too_big(f"« {url} »", limits.max_bytes)
            return _read_bounded(response, limits.max_bytes, f"« {url} »")
    except urllib.error.HTTPError as exc:
        raise SchemaError(
            f"Le serveur a répondu {exc.code} ({_http_reason(exc.code)}) pour « {url} »."
        ) from None
    except urllib.error.URLError as exc:
        raise SchemaError(f"Impossible de joindre « {url} » : {_network_reason(exc.reason)}.") from None
    except TimeoutError:
        raise SchemaError(
            f"« {url} » n'a pas répondu dans le délai de {limits.timeout:g} s (SOCLE_SCHEMA_FETCH_TIMEOUT)."
        ) from None
    except OSError as exc:
        raise SchemaError(f"Erreur réseau en lisant « {url} » : {_network_reason(exc)}.") from None
    except http.client.InvalidURL:
        raise SchemaError(f"L'adresse « {url} » est mal formée.") from None
    except http.client.HTTPException as exc:
        raise SchemaError(f"Réponse HTTP incorrecte pour « {url} » ({exc.__class__.__name__}).") from None
    except ValueError:
        raise SchemaError(f"L'adresse « {url} » est mal formée.") from None


def read_local_file(path: Path, settings: FetchSettings | None = None) -> bytes:
    """Read a local schema file within the size limit; French errors."""
    limits = settings or FetchSettings.from_env()
    shown = f"le fichier « {path} »"
    try:
        with path.open("rb") as handle:
            return _read_bounded(handle, limits.max_bytes, shown)
    except FileNotFoundError:
        raise SchemaError(f"Le fichier de schéma « {path} » n'existe pas.") from None
    except IsADirectoryError:
        raise SchemaError(f"« {path} » est un dossier, pas un fichier de schéma.") from None
    except PermissionError:
        raise SchemaError(
            f"Le fichier de schéma « {path} » ne peut pas être lu (permission refusée)."
        ) from None
    except OSError as exc:
        raise SchemaError(f"Le fichier de schéma « {path} » ne peut pas être lu ({exc.strerror}).") from None


def _read_bounded(stream: IO[bytes], max_bytes: int, shown: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise _too_big(shown, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(shown: str, max_bytes: int) -> SchemaError:
    return SchemaError(
        f"Le document {shown} dépasse la taille maximale d'un schéma ({max_bytes} octets, "
        "réglable par SOCLE_SCHEMA_MAX_BYTES)."
    )


_HTTP_REASONS = {
    400: "requête invalide",
    401: "authentification requise",
    403: "accès refusé",
    404: "introuvable",
    410: "supprimé",
    429: "trop de requêtes",
    500: "erreur du serveur",
    502: "passerelle en erreur",
    503: "service indisponible",
    504: "délai de la passerelle dépassé",
}


def _http_reason(code: int) -> str:
    return _HTTP_REASONS.get(code, "erreur HTTP")


def _network_reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "délai dépassé"
    if isinstance(reason, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(reason, OSError) and reason.strerror:
        return str(reason.strerror)
    return str(reason)
