"""Generate docs/erreurs.md (from the error catalogue) and docs/limites.md (from socle.limits).

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


def outputs() -> dict[Path, str]:
    return {DOCS / "erreurs.md": errors_markdown(), DOCS / "limites.md": limits_markdown()}


def main() -> int:
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"écrit : {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
