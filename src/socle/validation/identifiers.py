"""SIREN and SIRET numbers as Validata checks them (python-stdnum's rules), for one value or a column.

The column functions are the ``french-siren-value`` and ``french-siret-value`` checks' own; the
one-value functions ask them, so that a form and the validation never disagree.
"""

from __future__ import annotations

import polars as pl

from socle.validation.custom_checks._identifiers import siren_ok, siret_ok

__all__ = ["is_siren", "is_siret", "siren_ok", "siret_ok"]


def is_siret(value: str) -> bool:
    """True when ``value`` is a valid SIRET (14 digits, Luhn key, La Poste's own rule)."""
    return bool(siret_ok(pl.Series([value], dtype=pl.String)).item())


def is_siren(value: str) -> bool:
    """True when ``value`` is a valid SIREN (9 digits, Luhn key)."""
    return bool(siren_ok(pl.Series([value], dtype=pl.String)).item())
