"""Build the referentials shipped in ``src/socle/referentials/data/`` from ``../shared/referentiels/``.

Run ``.venv/bin/python scripts/build_referentials.py [--shared DIR]``; commit the files it writes.
The product never reads ``../shared`` at run time: it reads what this script wrote. A test checks
that the committed files equal what the script builds, so re-run it whenever the sources change.

Built today:

- ``nomenclature_actes.json``: the @ctes classification (natures of acts, matières of level 1 and 2)
  from the ``RetourClassification`` XML (ISO-8859-1, unaccented labels).
- ``cog.json.gz``: the administrative geography (COG) from ``cog/``: every commune actuelle,
  déléguée, associée and arrondissement municipal (INSEE code, name, type, département, région,
  SIREN, population, postal codes, parent commune), the EPCI à fiscalité propre and the EPT of the
  Métropole du Grand Paris (SIREN, name, nature, population, member communes), the départements and
  régions (code, name, chef-lieu, and the SIREN that only the datactivist tables give; the
  datactivist EPCI table is not read, ``epci.json`` already keys EPCI by SIREN). Communes are stored
  column by column and the whole is gzip-compressed with a fixed mtime and sorted keys, so that the
  file stays small (0.65 MB, 3 MB once decompressed, from 12.6 MB of sources) and a rebuild gives
  identical bytes with the same zlib.
"""

from __future__ import annotations

import argparse
import csv
import gzip
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


COG_DIR = Path("referentiels") / "cog"
COG_JSON = ("communes.json", "epci.json", "ept.json", "departements.json", "regions.json")
COG_SIREN_TABLES = (
    "datactivist_identifiants_departements_2022.csv",
    "datactivist_identifiants_regions_2022.csv",
)

# The record types of communes.json, under the INSEE's own TYPECOM codes, in the order records
# sharing a code are stored (584 communes nouvelles share their code with a commune déléguée).
COMMUNE_TYPES = {
    "commune-actuelle": "COM",
    "arrondissement-municipal": "ARM",
    "commune-deleguee": "COMD",
    "commune-associee": "COMA",
}
_TYPE_ORDER = tuple(COMMUNE_TYPES.values())
COMMUNE_COLUMNS = (
    "code",
    "name",
    "type",
    "departement",
    "region",
    "siren",
    "population",
    "postal_codes",
    "parent",
)


def _read_cog(shared: Path, name: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads((shared / COG_DIR / name).read_text(encoding="utf-8"))
    return records


def _read_siren_table(shared: Path, name: str) -> dict[str, dict[str, str]]:
    """A datactivist table, by COG code."""
    with (shared / COG_DIR / name).open(encoding="utf-8", newline="") as f:
        return {row["COG"]: row for row in csv.DictReader(f)}


def _siren(value: str, what: str) -> str:
    if len(value) != 9 or not value.isdigit():
        raise ValueError(f"SIREN invalide pour {what} : {value!r}")
    return value


def _cog_communes(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    seen = set()
    for record in records:
        code = record["code"]
        kind = COMMUNE_TYPES.get(record["type"])
        if kind is None:
            raise ValueError(f"type de commune inattendu : {record['type']!r} ({code})")
        if (code, kind) in seen:
            raise ValueError(f"commune en double : {code} ({kind})")
        seen.add((code, kind))
        # Communes déléguées and associées name their commune actuelle "chefLieu", arrondissements
        # municipaux "commune"; the INSEE calls both the parent commune (COMPARENT).
        parent = record.get("commune") if kind == "ARM" else record.get("chefLieu")
        if (parent is None) != (kind == "COM"):
            raise ValueError(f"commune de rattachement incohérente pour {code} ({kind}) : {parent!r}")
        siren = record.get("siren")
        rows.append(
            {
                "code": code,
                "name": record["nom"],
                "type": kind,
                "departement": record["departement"],
                "region": record["region"],
                "siren": None if siren is None else _siren(siren, f"la commune {code}"),
                "population": record.get("population"),
                "postal_codes": record.get("codesPostaux", []),
                "parent": parent,
            }
        )
    rows.sort(key=lambda row: (row["code"], _TYPE_ORDER.index(row["type"])))
    actuelles = {row["code"] for row in rows if row["type"] == "COM"}
    orphans = [row["code"] for row in rows if row["parent"] is not None and row["parent"] not in actuelles]
    if orphans:
        raise ValueError(f"communes rattachées à une commune inconnue : {orphans[:5]}")
    return rows


def _cog_groupings(records: list[dict[str, Any]], actuelles: set[str], source: str) -> list[dict[str, Any]]:
    """EPCI or EPT records; each commune actuelle belongs to at most one of a file's groupings."""
    groupings = []
    member_of: dict[str, str] = {}
    for record in records:
        siren = _siren(record["code"], f"{record['nom']} ({source})")
        members = sorted(m["code"] for m in record["membres"])
        for code in members:
            if code not in actuelles:
                raise ValueError(f"{source} : membre {code} de {siren} absent des communes actuelles")
            if member_of.setdefault(code, siren) != siren:
                raise ValueError(
                    f"{source} : la commune {code} est membre de {member_of[code]} et de {siren}"
                )
        groupings.append(
            {
                "siren": siren,
                "name": record["nom"],
                "nature": record["type"],
                "population": record.get("populationMunicipale"),
                "members": members,
            }
        )
    return groupings


def _with_siren(
    records: list[dict[str, Any]], table: dict[str, dict[str, str]], actuelles: set[str], what: str
) -> list[dict[str, Any]]:
    """Départements or régions, with the SIREN of the datactivist table (None where it has no row)."""
    unknown = sorted(set(table) - {r["code"] for r in records})
    if unknown:
        raise ValueError(f"{what} de la table datactivist absents du COG : {unknown}")
    rows = []
    for record in records:
        code, row = record["code"], table.get(record["code"])
        if row is not None and row["nom"] != record["nom"]:
            raise ValueError(
                f"{what} {code} : nom {record['nom']!r} dans le COG, {row['nom']!r} chez datactivist"
            )
        if record["chefLieu"] not in actuelles:
            raise ValueError(f"{what} {code} : chef-lieu {record['chefLieu']} absent des communes actuelles")
        entry = {
            "code": code,
            "name": record["nom"],
            "chef_lieu": record["chefLieu"],
            "siren": None if row is None else _siren(row["SIREN"], f"{what} {code}"),
        }
        if "region" in record:
            if row is not None and row["code_region"] != record["region"]:
                raise ValueError(f"{what} {code} : région {record['region']} / {row['code_region']}")
            entry["region"] = record["region"]
        rows.append(entry)
    rows.sort(key=lambda r: r["code"])
    return rows


def build_cog(shared: Path) -> dict[str, Any]:
    """The administrative geography as a JSON-ready dict (communes stored column by column)."""
    communes = _cog_communes(_read_cog(shared, "communes.json"))
    actuelles = {row["code"] for row in communes if row["type"] == "COM"}
    groupings = _cog_groupings(_read_cog(shared, "epci.json"), actuelles, "epci.json")
    ept = _cog_groupings(_read_cog(shared, "ept.json"), actuelles, "ept.json")
    if any(e["nature"] != "EPT" for e in ept):
        raise ValueError("ept.json : nature autre que EPT")
    if any(e["nature"] == "EPT" for e in groupings):
        raise ValueError("epci.json : un EPT figure parmi les EPCI")
    departements_table, regions_table = (_read_siren_table(shared, name) for name in COG_SIREN_TABLES)
    return {
        "sources": [f"shared/{(COG_DIR / name).as_posix()}" for name in (*COG_JSON, *COG_SIREN_TABLES)],
        "communes": {column: [row[column] for row in communes] for column in COMMUNE_COLUMNS},
        "epci": sorted([*groupings, *ept], key=lambda e: e["siren"]),
        "departements": _with_siren(
            _read_cog(shared, "departements.json"), departements_table, actuelles, "département"
        ),
        "regions": _with_siren(_read_cog(shared, "regions.json"), regions_table, actuelles, "région"),
    }


BUILDERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "nomenclature_actes.json": build_nomenclature_actes,
}


def render(data: dict[str, Any]) -> str:
    """The exact text written for a referential (stable, so that a rebuild gives identical bytes)."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def build_all(shared: Path) -> dict[str, str]:
    """File name -> text of every referential written as plain JSON."""
    return {name: render(builder(shared)) for name, builder in BUILDERS.items()}


# Referentials too large to commit as plain text: written as gzip-compressed, compact JSON.
COMPRESSED_BUILDERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "cog.json.gz": build_cog,
}


def render_compact(data: dict[str, Any]) -> str:
    """The JSON text of a compressed referential (compact, keys sorted: stable from one build to the next)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def compress(text: str) -> bytes:
    """Gzip bytes of ``text`` with a fixed mtime and no file name, so that a rebuild gives identical bytes."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def build_all_compressed(shared: Path) -> dict[str, bytes]:
    """File name -> bytes of every gzip-compressed referential."""
    return {name: compress(render_compact(builder(shared))) for name, builder in COMPRESSED_BUILDERS.items()}


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
    for name, data in build_all_compressed(args.shared).items():
        (args.output / name).write_bytes(data)
        print(f"écrit : {args.output / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
