"""Generate docs/erreurs.md (from the error catalogue), docs/limites.md (from socle.limits) and
docs/import-corpus.md (``socle import`` run on the real files of ../shared/corpus).

Run ``.venv/bin/python scripts/gen_docs.py``; a test fails when the committed files are out of date.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from pathlib import Path

from socle.limits import Limits
from socle.validation import catalogue

DOCS = Path(__file__).resolve().parent.parent / "docs"

_CATEGORY_TITLES = {
    "structure": "Structure du fichier (en-tête, colonnes)",
    "schema": "Problèmes du schéma lui-même",
    "body": "Contenu des cellules et des lignes",
}


def errors_markdown() -> str:
    lines = [
        "# Les erreurs signalées par Socle",
        "",
        "Page générée par `scripts/gen_docs.py` depuis `src/socle/validation/catalogue.py` : ne pas modifier à la main.",
        "",
        "Chaque constat a un **code** stable (repris des noms de frictionless et de Validata), et souvent un",
        "**détail** (le type ou la contrainte en cause). Dans le rapport JSON, ce sont les champs `code` et `detail`.",
        "Les codes se terminant par `-warn` sont des avertissements : ils ne rendent pas le fichier invalide.",
        "",
    ]
    for category, title in _CATEGORY_TITLES.items():
        lines += [
            f"## {title}",
            "",
            "| code | détail | intitulé | message | explication |",
            "|---|---|---|---|---|",
        ]
        for e in catalogue.CATALOGUE.values():
            if e.category != category:
                continue
            message = e.template.replace("|", "\\|")
            lines.append(f"| `{e.code}` | {e.detail or ''} | {e.title} | {message} | {e.doc} |")
        lines.append("")
    return "\n".join(lines)


def limits_markdown() -> str:
    defaults = Limits()
    described = Limits.describe()
    lines = [
        "# Limites de lecture",
        "",
        "Page générée par `scripts/gen_docs.py` depuis `src/socle/limits.py` : ne pas modifier à la main.",
        "",
        "Socle refuse, avec un message clair, un fichier qui dépasse l'une de ces limites, avant de l'avoir lu en",
        "entier quand c'est possible. Chaque limite se relève par une variable d'environnement ou une option de",
        "`socle validate`.",
        "",
        "| limite | valeur par défaut | variable d'environnement | option | signification |",
        "|---|---|---|---|---|",
    ]
    for f in fields(Limits):
        value = getattr(defaults, f.name)
        option = f"--{f.name.replace('_', '-')}"
        shown = f"{value:_}".replace("_", "\u202f")
        lines.append(
            f"| `{f.name}` | {shown} | `SOCLE_LIMIT_{f.name.upper()}` | `{option}` | {described[f.name]} |"
        )
    lines.append("")
    return "\n".join(lines)


CORPUS = DOCS.parent.parent / "shared" / "corpus"
SUBVENTIONS = "scdl/subventions"
# Real files of the corpus and the schema each is imported into.
IMPORTED = {
    "scdl/subventions/real-2018/DEP_Charente_Maritime_donnees-conventions-subventions.xlsx": SUBVENTIONS,
    "scdl/subventions/real-2018/DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv": SUBVENTIONS,
    "scdl/subventions/real-2018/DEP_Nievre_CD58_SUBVENTIONS_2016_LISTE.csv": SUBVENTIONS,
    "scdl/subventions/real-2018/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv": SUBVENTIONS,
    "scdl/subventions/real-2018/DEP_Vendee_Publication_donnees_Open_data_Subventions_Conventions.xlsx": SUBVENTIONS,
    "scdl/subventions/api-subventions-asso_SCDL.csv": SUBVENTIONS,
    "scdl/subventions/api-subventions-asso_SCDL.xlsx": SUBVENTIONS,
    "scdl/subventions/api-subventions-asso_SCDL_DILCRAH_2019.csv": SUBVENTIONS,
    "scdl/subventions/api-subventions-asso_fixture-errors_antibes.csv": SUBVENTIONS,
    "scdl/subventions/api-subventions-asso_test-csv-valid.csv": SUBVENTIONS,
    "scdl/subventions/exemple_invalide_erreurs_cellules.csv": SUBVENTIONS,
    "scdl/prenoms/prenoms-nouveaux-nes_exemple-invalide.csv": "scdl/prenoms",
    "scdl/irve/exemple-valide_v1_2019.csv": "etalab/schema-irve-statique",
    "scdl/dae/dae_exemple_invalide.csv": "atlasante/schema-dae",
    "scdl/decp/decp-table-schema_exemple-valide.xlsx": "corpus:scdl/decp/decp-table-schema_schema_2021.json",
}


def import_markdown() -> str:
    from socle.importing.pipeline import import_file
    from socle.schemas import load_schema

    lines = [
        "# Ce que les fichiers réels demandaient, et ce que Socle en a fait",
        "",
        "Page générée par `scripts/gen_docs.py` en important les fichiers réels de `../shared/corpus/` avec",
        "`socle import` : ne pas modifier à la main. Les mêmes chiffres sont vérifiés par",
        "`tests/importing/test_pipeline_corpus.py`.",
        "",
        "« Avant » : les erreurs du fichier tel quel (colonnes rapprochées par leur nom, comme le fait Validata) ;",
        "« après » : celles du fichier corrigé. Une erreur qui reste est une valeur qu'aucune règle ne peut corriger",
        "avec certitude (un champ obligatoire vide, « Numéraire » qui ne correspond à aucune valeur de la liste…) ;",
        "elle peut être plus nombreuse qu'avant quand une colonne obligatoire manquait au fichier : le fichier",
        "corrigé a toutes les colonnes du schéma, et chaque cellule vide d'un champ obligatoire compte.",
        "",
        "| fichier | schéma | en-tête | colonnes reconnues | corrections | signalements | erreurs avant → après |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, ref in IMPORTED.items():
        schema = load_schema(str(CORPUS / ref.removeprefix("corpus:")) if ref.startswith("corpus:") else ref)
        result = import_file(CORPUS / name, schema)
        counts = result.counts()
        fixes = ", ".join(f"`{c['rule']}` {c['fixes']}" for c in counts if c["fixes"]) or "aucune"
        flags = ", ".join(f"`{c['rule']}` {c['flags']}" for c in counts if c["flags"]) or "aucun"
        sheet = f" (feuille « {result.detection.sheet} »)" if result.detection.sheet else ""
        recognised = f"{result.mapping.recognised} sur {len(result.detection.header.labels)}"
        lines.append(
            f"| `{name.rsplit('/', 1)[-1]}` | {schema.name} | ligne {result.detection.header.row}{sheet} "
            f"| {recognised} | {fixes} | {flags} | {result.before.error_count} → {result.after.error_count} |"
        )
    lines.append("")
    return "\n".join(lines)


def outputs() -> dict[Path, str]:
    return {
        DOCS / "erreurs.md": errors_markdown(),
        DOCS / "limites.md": limits_markdown(),
        DOCS / "import-corpus.md": import_markdown(),
    }


def main() -> int:
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"écrit : {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
