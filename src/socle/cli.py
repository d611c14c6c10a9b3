"""The ``socle`` command line: a thin door over the core.

Exit codes: 0 the file is valid (or the command succeeded), 1 the file is invalid, 2 the input is
unusable or the command is wrong. Every message is in French; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from socle import __version__
from socle.errors import SocleError, UsageError
from socle.limits import Limits

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNUSABLE = 2

_ARGPARSE_FR = {
    "the following arguments are required: %s": "ces arguments sont obligatoires : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "expected one argument": "une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "usage: ": "utilisation : ",
    "show this help message and exit": "afficher cette aide et quitter",
    "options": "options",
    "positional arguments": "arguments",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s (%(matches)s)",
}


def _translate(text: str) -> str:
    return _ARGPARSE_FR.get(text, text)


# argparse looks its messages up through gettext; route them to French.
setattr(argparse, "_", _translate)  # noqa: B010 - argparse has no public hook for its messages
setattr(argparse, "ngettext", lambda singular, plural, n: _translate(singular if n == 1 else plural))  # noqa: B010


class FrenchParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are French and exit with code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"Erreur : {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} n'est pas strictement positif")
    return value


BUILTIN_COMMANDS = frozenset({"validate", "demo", "import", "schemas"})
"""Commands of the core; others (``serve``) come from the ``socle.commands`` entry points."""


def build_parser(*, extensions: bool = True) -> FrenchParser:
    """The ``socle`` parser; ``extensions``: also the commands other packages add (the web platform's
    ``serve``), looked up only when needed (it reads every installed package's metadata)."""
    parser = FrenchParser(
        prog="socle",
        description="Socle : valider les données locales selon les schémas de schema.data.gouv.fr.",
    )
    parser.add_argument(
        "--version", action="version", version=f"socle {__version__}", help="afficher la version"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchParser)

    validate = sub.add_parser("validate", help="valider un fichier (CSV, XLSX, XLS, ODS) selon un schéma")
    validate.add_argument("file", metavar="FICHIER", help="le fichier à valider")
    validate.add_argument(
        "--schema",
        "-s",
        required=True,
        metavar="SCHÉMA",
        help="schéma : scdl/subventions, scdl/deliberations@2.1.5, une URL ou un fichier local",
    )
    _add_read_options(validate)
    validate.add_argument(
        "--format", choices=["texte", "text", "json"], default="texte", help="format du rapport"
    )
    validate.add_argument(
        "--ignorer-casse",
        "--ignore-header-case",
        dest="ignore_case",
        action="store_true",
        help="rapprocher les colonnes des champs sans tenir compte des majuscules",
    )
    validate.add_argument("--tout", action="store_true", help="afficher toutes les erreurs (texte)")
    validate.add_argument(
        "--sans-progression", action="store_true", help="ne pas afficher de barre de progression"
    )
    validate.set_defaults(handler=_cmd_validate)

    demo = sub.add_parser("demo", help="valider le fichier d'exemple fourni avec Socle")
    demo.add_argument(
        "--format", choices=["texte", "text", "json"], default="texte", help="format du rapport"
    )
    demo.set_defaults(handler=_cmd_demo)

    from socle.cli_import import add_command as add_import

    add_import(sub, _add_read_options)

    try:
        from socle.cli_schemas import add_commands
    except ImportError:  # the schema commands are optional while the catalogue is built
        pass
    else:
        add_commands(sub)
    if extensions:
        _add_extensions(sub)
    return parser


def _add_extensions(sub: Any) -> None:
    from importlib.metadata import entry_points

    for extension in entry_points(group="socle.commands"):
        try:
            add = extension.load()
        except ImportError:  # the package that adds it is only partly installed
            continue
        add(sub)


def _add_read_options(cmd: argparse.ArgumentParser) -> None:
    group = cmd.add_argument_group("lecture du fichier")
    group.add_argument(
        "--sheet", "--feuille", dest="sheet", metavar="FEUILLE", help="feuille : numéro (1, 2…) ou nom"
    )
    group.add_argument(
        "--encoding", "--encodage", dest="encoding", metavar="ENCODAGE", help="forcer l'encodage"
    )
    group.add_argument(
        "--delimiter",
        "--separateur",
        dest="delimiter",
        metavar="CAR",
        help="forcer le séparateur (, ; | ou tab)",
    )
    limits = cmd.add_argument_group("limites (voir docs/limites.md)")
    for name, description in Limits.describe().items():
        limits.add_argument(
            f"--{name.replace('_', '-')}",
            dest=f"limit_{name}",
            type=_positive_int,
            metavar="N",
            help=f"{description} (variable SOCLE_LIMIT_{name.upper()})",
        )


def _limits_from(args: argparse.Namespace) -> Limits:
    overrides = {name: getattr(args, f"limit_{name}", None) for name in Limits.names()}
    return Limits.from_env().with_overrides(**overrides)


def _sheet(value: str | None) -> str | int | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else value


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() in {"tab", "\\t", "tabulation"}:
        return "\t"
    if len(value) != 1:
        raise UsageError(f"Le séparateur doit être un seul caractère, pas « {value} ».")
    return value


def _cmd_validate(args: argparse.Namespace) -> int:
    from socle.io import read_table
    from socle.schemas import load_schema
    from socle.validation.engine import ValidationOptions, validate_table

    schema = load_schema(args.schema)
    path = Path(args.file)
    if not path.exists():
        raise UsageError(f"Le fichier « {args.file} » n'existe pas.")
    if path.is_dir():
        raise UsageError(f"« {args.file} » est un dossier, pas un fichier.")
    table = read_table(
        path,
        limits=_limits_from(args),
        sheet=_sheet(args.sheet),
        encoding=args.encoding,
        delimiter=_delimiter(args.delimiter),
    )
    options = ValidationOptions(ignore_header_case=args.ignore_case)
    show_progress = not args.sans_progression and args.format != "json" and sys.stderr.isatty()
    if show_progress:
        from socle.render.progress import validate_with_progress

        report = validate_with_progress(table, schema, options, path)
    else:
        report = validate_table(table, schema, options)
    _print_report(report, args.format, shown=None if getattr(args, "tout", False) else 5)
    return EXIT_OK if report.valid else EXIT_INVALID


def _print_report(report: Any, fmt: str, shown: int | None) -> None:
    if fmt == "json":
        report.write_json(sys.stdout)
        return
    from rich.console import Console

    from socle.render.terminal import render_report

    render_report(report, Console(), shown_per_group=shown)


def sample_path() -> Path:
    """The sample file shipped with Socle (a subventions file with a few mistakes)."""
    from importlib import resources

    return Path(str(resources.files("socle") / "data" / "exemples" / "subventions-exemple.csv"))


def _cmd_demo(args: argparse.Namespace) -> int:
    from socle.io import read_table
    from socle.schemas import load_schema
    from socle.validation.engine import validate_table

    path = sample_path()
    report = validate_table(read_table(path), load_schema("scdl/subventions"))
    if args.format not in {"json"}:
        print(f"Validation du fichier d'exemple {path.name} selon le schéma scdl/subventions.\n")
    _print_report(report, args.format, shown=5)
    return EXIT_OK if report.valid else EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(extensions=not given or given[0] not in BUILTIN_COMMANDS)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_UNUSABLE
    return _run(handler, args)


def _run(handler: Any, args: argparse.Namespace) -> int:
    """Run a command; every failure becomes a French message and an exit code, never a traceback."""
    try:
        code: int = handler(args)
    except SocleError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of the output went away (``socle … | head``): stop quietly, as a command killed by
        # SIGPIPE would. Further writes to stdout go nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except MemoryError:
        print("Erreur : mémoire insuffisante pour lire ce fichier ; réduisez --batch-bytes.", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # last resort: a French message, never a traceback
        if os.environ.get("SOCLE_DEBUG"):
            raise
        print(
            f"Erreur interne inattendue ({type(exc).__name__}) : {exc}. "
            "Relancez avec SOCLE_DEBUG=1 pour le détail et signalez-le.",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    return code


RUNTIME_SETTINGS = {
    "_RJEM_MALLOC_CONF": "dirty_decay_ms:1000,muzzy_decay_ms:0",
    "OPENBLAS_NUM_THREADS": "1",
}
"""Environment of the command, unless the user set a variable:

- polars allocates with jemalloc, which by default keeps freed pages for 10 s before giving them back:
  a table checked batch after batch would hold on to the memory of batches long gone (about 70 MB on
  a million rows). The command asks for them to be given back after 1 s: a batch still reuses the
  pages of the one before it (giving them back sooner costs page faults, about 0.1 s per million
  rows), and memory stays within about twice the file's size.
- numpy starts OpenBLAS threads that spin for a while waiting for matrix work Socle never gives
  (about 0.1 s of a core, taken from the reading of the file)."""


def tune_runtime() -> None:
    """Set the command's :data:`RUNTIME_SETTINGS` the user did not set. Only effective before polars
    and numpy are first imported."""
    for name, value in RUNTIME_SETTINGS.items():
        os.environ.setdefault(name, value)


def entry() -> None:
    """The ``socle`` command: :func:`main`, then leave at once. Output is flushed first; the memory of
    a large table is then given back to the system in one go instead of being freed object by object
    (tens of milliseconds on a million rows)."""
    tune_runtime()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):  # a reader that went away (``socle … | head``)
        pass
    os._exit(code)


if __name__ == "__main__":
    entry()
