"""What both scanners of CSV bytes share (the C one, ``socle.io._scanner``, and the numpy one,
:mod:`socle.io.scan`): the bytes that matter and the irregularities of quoting they report."""

from __future__ import annotations

from dataclasses import dataclass

QUOTE = 0x22
LF = 0x0A
CR = 0x0D

BAD_OPEN, BAD_CLOSE, UNCLOSED, LONE_CR = 1, 2, 3, 4
"""Kinds of irregularity, as the C scanner numbers them."""
REASONS = {
    BAD_OPEN: "guillemet au milieu d'une cellule non entre guillemets",
    BAD_CLOSE: "texte après le guillemet fermant d'une cellule",
    UNCLOSED: "guillemet ouvrant jamais fermé",
    LONE_CR: "retour chariot seul (fin de ligne Mac)",
}


@dataclass(frozen=True)
class Irregularity:
    """Where the parity model stops being exact, and why (in French)."""

    offset: int
    reason: str
