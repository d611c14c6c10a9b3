"""Build the referentials shipped in ``src/socle/referentials/data/`` from ``../shared/referentiels/``.

Run ``.venv/bin/python scripts/build_referentials.py [--shared DIR]``; commit the files it writes.
The product never reads ``../shared`` at run time: it reads what this script wrote. A test checks
that the committed files equal what the script builds, so re-run it whenever the sources change.

Built today:

- ``nomenclature_actes.json``: the @ctes classification (natures of acts, matières of level 1 and 2)
  from the ``RetourClassification`` XML (ISO-8859-1, unaccented labels).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"
OUTPUT = REPO / "src" / "socle" / "referentials" / "data"

ACTES_NS = "{http://www.interieur.gouv.fr/ACTES#v1.1-20040216}"
ACTES_XML = Path("referentiels") / "nomenclature-actes" / "actes_classification_megalis_2017-11-13.xml"

# The SCDL (délibérations) asks for level-1 matières "en minuscules accentuées" and Validata
# accepts exactly these spellings, ignoring case and accents. They are the @ctes labels with their
# accents, except n°6: the @ctes file spells it "pourvoirs" (sic), SCDL and Validata "pouvoirs".
# Both spellings are kept so that files written from either source pass.
SCDL_LEVEL1_SPELLINGS = {
    "1": "Commande publique",
    "2": "Urbanisme",
    "3": "Domaine et patrimoine",
    "4": "Fonction publique",
    "5": "Institutions et vie politique",
    "6": "Libertés publiques et pouvoirs de police",
    "7": "Finances locales",
    "8": "Domaines de compétences par thèmes",
    "9": "Autres domaines de compétences",
}
# The only level-1 codes where the SCDL spelling is not the @ctes label once accents and case are set
# aside; the build fails if the XML ever disagrees elsewhere, so that a new file gets a human look.
EXPECTED_SPELLING_DIFFERENCES = frozenset({"6"})


def fold(text: str) -> str:
    """Lower case without accents (the comparison key of level-1 labels)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _attr(element: ET.Element, name: str) -> str:
    value = element.get(f"{ACTES_NS}{name}")
    if value is None:
        raise ValueError(f"attribut actes:{name} absent de <{element.tag}>")
    # Labels in the file carry stray trailing spaces ("Documents d urbanisme ").
    return " ".join(value.split())


def build_nomenclature_actes(shared: Path) -> dict[str, Any]:
    """The @ctes nomenclature as a JSON-ready dict."""
    source = shared / ACTES_XML
    root = ET.parse(source).getroot()  # the XML declaration gives ISO-8859-1; ElementTree honours it
    date = root.findtext(f"{ACTES_NS}DateClassification")
    natures = [
        {
            "code": _attr(n, "CodeNatureActe"),
            "abbreviation": _attr(n, "TypeAbrege"),
            "label": _attr(n, "Libelle"),
        }
        for n in root.iter(f"{ACTES_NS}NatureActe")
    ]
    natures.sort(key=lambda n: int(n["code"]))
    matieres = []
    for m1 in root.iter(f"{ACTES_NS}Matiere1"):
        code = _attr(m1, "CodeMatiere")
        label = _attr(m1, "Libelle")
        scdl = SCDL_LEVEL1_SPELLINGS.get(code)
        if scdl is None:
            raise ValueError(f"matière de niveau 1 inattendue : {code} {label}")
        if (fold(scdl) != fold(label)) != (code in EXPECTED_SPELLING_DIFFERENCES):
            raise ValueError(
                f"orthographe SCDL et @ctes à revoir pour la matière {code} : {scdl!r} / {label!r}"
            )
        children = [
            {"code": f"{code}.{_attr(m2, 'CodeMatiere')}", "label": _attr(m2, "Libelle")}
            for m2 in m1.iter(f"{ACTES_NS}Matiere2")
        ]
        matieres.append({"code": code, "label": label, "scdl_label": scdl, "children": children})
    matieres.sort(key=lambda m: int(m["code"]))
    if len(matieres) != len(SCDL_LEVEL1_SPELLINGS):
        raise ValueError(f"{len(matieres)} matières de niveau 1 au lieu de {len(SCDL_LEVEL1_SPELLINGS)}")
    return {
        "source": f"shared/{ACTES_XML.as_posix()}",
        "date_classification": date,
        "natures": natures,
        "matieres": matieres,
    }


BUILDERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "nomenclature_actes.json": build_nomenclature_actes,
}


def render(data: dict[str, Any]) -> str:
    """The exact text written for a referential (stable, so that a rebuild gives identical bytes)."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def build_all(shared: Path) -> dict[str, str]:
    """File name -> text of every referential."""
    return {name: render(builder(shared)) for name, builder in BUILDERS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="dossier shared/ (par défaut ../shared)"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="dossier où écrire les référentiels")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(f"Dossier introuvable : {args.shared}", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in build_all(args.shared).items():
        (args.output / name).write_text(text, encoding="utf-8")
        print(f"écrit : {args.output / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
