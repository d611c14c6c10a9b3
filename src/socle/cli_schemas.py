"""``socle schemas list|show|sync``: the schema catalogue on the command line.

Exit codes: 0 success; 1 ``sync`` finished but some versions failed; 2 usage error, unknown or
invalid schema, or a catalogue that cannot be read (French message on stderr, no traceback).

This module only declares the arguments; the commands themselves (:mod:`socle.schema_commands`, with
rich and the network code) are imported when one of them runs, so that ``socle validate`` does not
pay for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from socle.schemas.layout import DEFAULT_CATALOGUE_URL

EXIT_ERROR = 2
_FORMATS = ["texte", "text", "json"]


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from socle import schema_commands

        run: Callable[[argparse.Namespace], int] = getattr(schema_commands, name)
        return run(args)

    return handler


def add_commands[P: argparse.ArgumentParser](subparsers: argparse._SubParsersAction[P]) -> None:
    """Add ``schemas`` and its subcommands; each sets ``handler(args) -> exit code``.

    Generic in the parser class so that ``socle.cli``'s French parser subclass is accepted as is.
    """
    schemas = subparsers.add_parser(
        "schemas",
        help="consulter et mettre à jour le catalogue des schémas (schema.data.gouv.fr)",
        description="Le catalogue des schémas de schema.data.gouv.fr : embarqué dans Socle, "
        "mis à jour par « socle schemas sync ».",
    )
    schemas.set_defaults(handler=_help_handler(schemas))
    sub = schemas.add_subparsers(dest="schemas_command", metavar="SOUS-COMMANDE")

    listing = sub.add_parser(
        "list", help="lister les schémas du catalogue", description="Lister les schémas."
    )
    listing.add_argument("--scdl", action="store_true", help="seulement le Socle Commun des Données Locales")
    listing.add_argument("--format", choices=_FORMATS, default="texte", help="format de sortie")
    listing.set_defaults(handler=_command("run_list"))

    show = sub.add_parser(
        "show",
        help="détailler un schéma : champs, types, contraintes, contrôles",
        description="Détailler un schéma du catalogue, d'une URL ou d'un fichier.",
    )
    show.add_argument(
        "name",
        metavar="SCHÉMA",
        help="scdl/deliberations, scdl/deliberations@2.1.5, etalab/schema-irve#irve-statique, "
        "une URL ou un fichier",
    )
    show.add_argument("--format", choices=_FORMATS, default="texte", help="format de sortie")
    show.set_defaults(handler=_command("run_show"))

    syncing = sub.add_parser(
        "sync",
        help="télécharger le catalogue et toutes les versions des schémas",
        description="Télécharger le catalogue de schema.data.gouv.fr et toutes les versions qu'il liste.",
    )
    syncing.add_argument(
        "--catalogue", default=DEFAULT_CATALOGUE_URL, metavar="URL", help="adresse du catalogue"
    )
    syncing.add_argument(
        "--target",
        "--dossier",
        dest="target",
        type=Path,
        metavar="DOSSIER",
        help="dossier de destination (par défaut $SOCLE_HOME/schemas, sinon le dossier de données "
        "de l'utilisateur)",
    )
    syncing.add_argument("--format", choices=_FORMATS, default="texte", help="format du compte rendu")
    syncing.add_argument(
        "--sans-progression", action="store_true", help="ne pas afficher de barre de progression"
    )
    syncing.set_defaults(handler=_command("run_sync"))


def _help_handler(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_ERROR

    return handler
