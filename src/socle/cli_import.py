"""``socle import``: turn a real-world file into a schema-conformant CSV, showing every choice and change.

Exit codes: 0 the clean file is valid; 1 it was written but still has errors (what no rule could fix
with certainty); 2 unusable input or usage error (French message, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socle.importing.pipeline import ImportResult

EXIT_OK = 0
EXIT_INVALID = 1


def add_command[P: argparse.ArgumentParser](
    subparsers: argparse._SubParsersAction[P], add_read_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add ``import``; its handler returns the exit code."""
    cmd = subparsers.add_parser(
        "import",
        help="importer un fichier réel : colonnes reconnues, cellules corrigées, CSV conforme au schéma",
        description="Retrouver le tableau d'un fichier (feuille, ligne d'en-tête), reconnaître ses colonnes, "
        "corriger ce qui peut l'être avec certitude et écrire un CSV conforme au schéma. Chaque choix et "
        "chaque correction sont affichés ; une valeur douteuse est signalée, jamais devinée.",
    )
    cmd.add_argument("file", metavar="FICHIER", help="le fichier à importer (CSV, XLSX, XLS, ODS)")
    cmd.add_argument("--schema", "-s", required=True, metavar="SCHÉMA", help="schéma : scdl/subventions…")
    cmd.add_argument(
        "--output",
        "-o",
        "--sortie",
        dest="output",
        required=True,
        metavar="CSV",
        help="le CSV corrigé à écrire",
    )
    cmd.add_argument(
        "--mapping",
        "--correspondance",
        dest="mapping",
        metavar="JSON",
        help="une correspondance de colonnes enregistrée (voir --save-mapping) à utiliser",
    )
    cmd.add_argument(
        "--save-mapping",
        "--enregistrer-correspondance",
        dest="save_mapping",
        metavar="JSON",
        help="enregistrer la correspondance de colonnes, pour la corriger ou la réutiliser",
    )
    cmd.add_argument(
        "--report",
        "--rapport",
        dest="report",
        metavar="JSON",
        help="écrire le journal des corrections en JSON",
    )
    cmd.add_argument(
        "--header-row",
        "--ligne-entete",
        dest="header_row",
        type=int,
        metavar="N",
        help="numéro de la ligne d'en-tête (sinon détectée)",
    )
    cmd.add_argument(
        "--accept",
        "--accepter",
        dest="accept",
        metavar="RÈGLES",
        help="n'appliquer que ces règles (codes, virgules)",
    )
    cmd.add_argument(
        "--refuse",
        "--refuser",
        dest="refuse",
        metavar="RÈGLES",
        help="ne pas appliquer ces règles (codes, virgules)",
    )
    cmd.add_argument("--tout", action="store_true", help="afficher chaque correction et chaque signalement")
    add_read_options(cmd)
    cmd.set_defaults(handler=run_import)


def _codes(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def run_import(args: argparse.Namespace) -> int:
    from socle.cli import _delimiter, _limits_from, _sheet
    from socle.errors import UsageError
    from socle.importing.mapping import ColumnMapping
    from socle.importing.pipeline import import_file
    from socle.schemas import load_schema

    schema = load_schema(args.schema)
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"Le fichier « {args.file} » n'existe pas (ou n'est pas un fichier).")
    mapping = ColumnMapping.load(args.mapping) if args.mapping else None
    try:
        result = import_file(
            path,
            schema,
            mapping=mapping,
            sheet=_sheet(args.sheet),
            header_row=args.header_row,
            accept=_codes(args.accept),
            refuse=_codes(args.refuse) or (),
            limits=_limits_from(args),
            encoding=args.encoding,
            delimiter=_delimiter(args.delimiter),
        )
    except ValueError as exc:  # an unknown rule code, in French
        raise UsageError(str(exc)) from None
    result.write_csv(args.output)
    if args.save_mapping:
        result.mapping.save(args.save_mapping)
    if args.report:
        result.write_report(args.report)
    _print(result, args, sys.stdout)
    return EXIT_OK if result.after.valid else EXIT_INVALID


def _print(result: ImportResult, args: argparse.Namespace, out: Any) -> None:
    def say(text: str = "") -> None:
        print(text, file=out)

    say(
        f"Import de {Path(result.detection.path).name} selon le schéma {result.schema.name} "
        f"(version {result.schema.version})."
    )
    say()
    say("Tableau trouvé")
    for line in result.detection.reasons:
        say(f"  {line}")
    say()
    say("Correspondance des colonnes")
    for line in result.mapping.summary():
        say(f"  {line}")
    if result.mapping.pending:
        say(
            "  Des correspondances sont seulement proposées : elles ne sont pas appliquées. Pour les confirmer, "
            "enregistrez la correspondance (--save-mapping), corrigez-la puis relancez avec --mapping."
        )
    say()
    say("Corrections")
    counts = [c for c in result.counts() if c["fixes"] or c["flags"]]
    if not counts:
        say("  aucune cellule à corriger")
    for c in counts:
        flagged = f", {c['flags']} signalée(s) sans être modifiée(s)" if c["flags"] else ""
        say(f"  {c['label']} ({c['rule']}) : {c['fixes']} cellule(s) corrigée(s){flagged}")
    shown = None if args.tout else 5
    fixes = result.fixes.fixes
    for row in fixes.head(shown).iter_rows(named=True) if shown else fixes.iter_rows(named=True):
        say(
            f"    ligne {row['row']}, {row['field']} : « {row['before']} » → « {row['after']} » ({row['rule']})"
        )
    if shown and fixes.height > shown:
        say(
            f"    … et {fixes.height - shown} autre(s) (--tout pour tout voir, --report pour le journal JSON)"
        )
    flags = result.fixes.flags
    for row in flags.head(shown).iter_rows(named=True) if shown else flags.iter_rows(named=True):
        say(
            f"    ligne {row['row']}, {row['field']} : « {row['value']} » laissée telle quelle : {row['reason']}"
        )
    if shown and flags.height > shown:
        say(f"    … et {flags.height - shown} autre(s) signalement(s)")
    if result.blank_rows:
        say(f"  {len(result.blank_rows)} ligne(s) vide(s) laissée(s) de côté.")
    say()
    say("Validation")
    say(f"  fichier tel quel : {_errors(result.before.error_count)}")
    say(f"  après corrections : {_errors(result.after.error_count)}")
    say()
    if not result.after.valid:
        # The remaining findings, as ``socle validate`` shows them (rows of the clean file).
        from rich.console import Console

        from socle.render.terminal import render_report

        say("Erreurs restantes dans le fichier corrigé")
        render_report(
            result.after, Console(file=out, highlight=False), shown_per_group=None if args.tout else 3
        )
        say()
    state = "valide" if result.after.valid else "encore invalide"
    say(f"Fichier corrigé écrit : {args.output} ({state}).")


def _errors(count: int) -> str:
    return "aucune erreur" if count == 0 else f"{count} erreur{'s' if count > 1 else ''}"
