"""The @ctes nomenclature (classification of acts sent to the prefecture), shipped with Socle.

Built by ``scripts/build_referentials.py`` from the ``RetourClassification`` XML; read lazily, once,
through :mod:`importlib.resources` so that it works from a wheel as well as from a checkout.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

DATA_FILE = "nomenclature_actes.json"


@dataclass(frozen=True)
class Nature:
    """A nature of act (``DE`` délibérations, ``AR`` actes réglementaires…)."""

    code: str
    abbreviation: str
    label: str


@dataclass(frozen=True)
class Matiere:
    """A matière of level 1 (code ``7``) or 2 (code ``7.5``)."""

    code: str
    label: str
    """The label as the @ctes file writes it (without accents)."""
    scdl_label: str | None = None
    """Level 1 only: the accented spelling the SCDL asks for (and Validata accepts)."""
    children: tuple[Matiere, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every accepted spelling of the label (the @ctes one and, for level 1, the SCDL one)."""
        if self.scdl_label is None or self.scdl_label == self.label:
            return (self.label,)
        return (self.label, self.scdl_label)


@dataclass(frozen=True)
class NomenclatureActes:
    """The whole classification."""

    date_classification: str
    natures: tuple[Nature, ...]
    matieres: tuple[Matiere, ...]

    def level1_keys(self) -> frozenset[str]:
        """Comparison keys (see :func:`fold`) of every accepted spelling of a level-1 matière."""
        return frozenset(fold(s) for m in self.matieres for s in m.spellings)

    def level2(self) -> tuple[Matiere, ...]:
        """Every matière of level 2, in code order."""
        return tuple(child for m in self.matieres for child in m.children)


def fold(text: str) -> str:
    """Lower case without diacritics: how level-1 labels are compared (Validata ignores case and accents)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@cache
def load() -> NomenclatureActes:
    """The shipped nomenclature (read on first use, then cached)."""
    text = resources.files("socle.referentials").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    raw = json.loads(text)
    return NomenclatureActes(
        date_classification=raw["date_classification"],
        natures=tuple(Nature(n["code"], n["abbreviation"], n["label"]) for n in raw["natures"]),
        matieres=tuple(
            Matiere(
                code=m["code"],
                label=m["label"],
                scdl_label=m["scdl_label"],
                children=tuple(Matiere(c["code"], c["label"]) for c in m["children"]),
            )
            for m in raw["matieres"]
        ),
    )
