"""Settings read from the environment: where Socle keeps its state, which database it uses."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def home() -> Path:
    """The directory of Socle's state (SQLite file, uploads, secret key): ``SOCLE_HOME``, default ``./var``."""
    path = Path(os.environ.get("SOCLE_HOME", "var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(state: Path) -> str:
    """``SOCLE_SECRET_KEY``, else a key made once and kept in the state directory."""
    given = os.environ.get("SOCLE_SECRET_KEY")
    if given:
        return given
    path = state / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def database(state: Path) -> dict[str, Any]:
    """``DATABASE_URL`` (``postgresql://user:password@host:port/name``) or SQLite in the state directory.

    SQLite runs in WAL mode (readers never wait for the writer), with immediate transactions (a
    writer takes the lock when its transaction starts, not half-way through it) and a busy timeout.
    Connections are kept between requests, on both.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": state / "socle.sqlite3",
            # One connection per server thread, kept between requests (opening one runs the pragmas).
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        return {**database(state), "NAME": unquote(parts.path) or state / "socle.sqlite3"}
    raise ImproperlyConfigured(
        f"DATABASE_URL : schéma « {parts.scheme} » inconnu (postgresql://… ou sqlite:///chemin attendus)."
    )


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "oui", "yes", "on")


def package_dir() -> Path:
    """``socle/web`` itself (templates and static files ship inside the package)."""
    return Path(__file__).resolve().parent
