"""Small text helpers shared by the core (no dependency)."""

from __future__ import annotations

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def without_accents(text: str) -> str:
    """``text`` with its accents and other combining marks dropped and the ligatures œ and æ spelt out
    (compatibility forms such as ``ﬁ`` are decomposed too): ``Cœur-Évêque`` → ``Coeur-Eveque``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
