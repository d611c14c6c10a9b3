"""Errors raised by the core, each carrying a French message meant for the user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem was found in an input file (every part optional)."""

    file: str | None = None
    row: int | None = None
    column: str | None = None
    byte_offset: int | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(f"fichier « {self.file} »")
        if self.row is not None:
            parts.append(f"ligne {self.row}")
        if self.column:
            parts.append(f"colonne « {self.column} »")
        if self.byte_offset is not None:
            parts.append(f"octet {self.byte_offset}")
        return ", ".join(parts)


class SocleError(Exception):
    """Base error: ``message`` is French, complete, and safe to show to a user."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.location.describe() if self.location else ""
        return f"{self.message} ({where})" if where else self.message


class UnusableInputError(SocleError):
    """The input file cannot be read at all (encoding, format, size limits)."""


class LimitExceededError(UnusableInputError):
    """The input is over one of the limits in :mod:`socle.limits`."""


class SchemaError(SocleError):
    """A schema cannot be found, loaded or is not a valid Table Schema."""


class UsageError(SocleError):
    """The caller asked for something that does not make sense (bad option, unknown sheet)."""
