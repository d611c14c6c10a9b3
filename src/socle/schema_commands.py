"""The ``socle schemas`` commands (arguments declared in :mod:`socle.cli_schemas`).

Exit codes: 0 success; 1 ``sync`` finished but some versions failed; 2 usage error, unknown or
invalid schema, or a catalogue that cannot be read (French message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from socle.errors import SocleError
from socle.schemas import (
    SchemaSummary,
    SyncEvent,
    SyncReport,
    list_schemas,
    show_schema,
    sync,
    synced_dir,
)

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_ERROR = 2
_FORMATS = ["texte", "text", "json"]
_ENUM_SHOWN = 8


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """French message on stderr and exit code 2 for any error of the core."""

    def handler(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except SocleError as exc:
            _stderr().print(Text.assemble(("Erreur : ", "bold red"), str(exc)))
            return EXIT_ERROR

    handler.__doc__ = run.__doc__
    return handler


def _stdout() -> Console:
    return Console(file=sys.stdout, highlight=False)


def _stderr() -> Console:
    return Console(file=sys.stderr, highlight=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# list --------------------------------------------------------------------------------------------


def _run_list(args: argparse.Namespace) -> int:
    """``socle schemas list``."""
    summaries = list_schemas(scdl_only=args.scdl)
    if args.format == "json":
        _print_json([s.to_json() for s in summaries])
        return EXIT_OK
    _stdout().print(_list_table(summaries, scdl_only=args.scdl))
    return EXIT_OK


def _list_table(summaries: Sequence[SchemaSummary], *, scdl_only: bool) -> Table:
    heading = "Schémas du Socle Commun des Données Locales" if scdl_only else "Catalogue des schémas"
    table = Table(
        title=f"{heading} ({len(summaries)})",
        caption="Versions : publiées / sur ce poste (embarquées avec Socle ou téléchargées par "
        "« socle schemas sync »). En gris : types que Socle n'utilise pas pour valider.",
    )
    table.add_column("Schéma", ratio=1, overflow="fold")
    table.add_column("Type", min_width=12)
    table.add_column("Dernière version", min_width=8)
    table.add_column("Versions", min_width=8)
    table.add_column("SCDL", min_width=4)
    for s in summaries:
        name = Text(s.name, style="bold" if s.usable else "dim")
        if s.title:
            name.append(f"\n{s.title}", style="dim")
        table.add_row(
            name,
            Text(s.type_label),
            Text(s.latest or "—"),
            Text(f"{len(s.versions)} / {len(s.local_versions)}"),
            Text("oui" if s.scdl else ""),
        )
    return table


# show --------------------------------------------------------------------------------------------


def _run_show(args: argparse.Namespace) -> int:
    """``socle schemas show NAME``."""
    shown = show_schema(args.name)
    if args.format == "json":
        _print_json(shown)
        return EXIT_OK
    console = _stdout()
    for part in _show_parts(shown):
        console.print(part)
    return EXIT_OK


def _show_parts(shown: Mapping[str, Any]) -> list[Any]:
    parts: list[Any] = [_header(shown)]
    if shown.get("note"):
        parts.append(Text(shown["note"], style="yellow"))
    if shown.get("resources") is not None:
        parts.append(_resources_table(shown["ref"], shown["resources"]))
    schema = shown.get("schema")
    if schema:
        parts.append(_fields_table(schema["fields"]))
        parts.extend(_schema_footer(schema))
    return parts


def _header(shown: Mapping[str, Any]) -> Panel:
    entry = shown.get("entry") or {}
    schema = shown.get("schema") or {}
    title = entry.get("title") or schema.get("title") or shown["ref"]
    lines: list[Text] = [Text(f"Référence : {shown['ref']}")]
    description = entry.get("description") or schema.get("description")
    if description:
        lines.append(Text(description))
    if entry:
        lines.append(
            Text(f"Type : {_type_label(entry['schema_type'])}" + (" — SCDL" if entry["scdl"] else ""))
        )
        lines.append(Text(f"Versions publiées : {', '.join(entry['versions']) or 'aucune'}"))
        lines.append(Text(f"Versions sur ce poste : {', '.join(entry['local_versions']) or 'aucune'}"))
        if entry.get("homepage"):
            lines.append(Text(f"Page du schéma : {entry['homepage']}"))
    elif schema.get("version"):
        lines.append(Text(f"Version : {schema['version']}"))
    return Panel(Group(*lines), title=Text(title, style="bold"), title_align="left")


def _type_label(schema_type: str) -> str:
    labels = {"tableschema": "Table Schema", "datapackage": "Data Package", "jsonschema": "JSON Schema"}
    return labels.get(schema_type, "autre")


def _resources_table(ref: str, resources: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(
        title="Tables du Data Package",
        caption=f"Pour en détailler une : socle schemas show {ref.split('@', 1)[0]}#NOM",
    )
    table.add_column("Nom", no_wrap=True)
    table.add_column("Titre")
    table.add_column("Schéma")
    table.add_column("Entrée du catalogue")
    for r in resources:
        table.add_row(
            Text(r["name"]),
            Text(r.get("title") or ""),
            Text(r.get("schema") or ("intégré au Data Package" if r.get("inline") else "")),
            Text(r.get("catalogue_entry") or ""),
        )
    return table


def _fields_table(fields: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title=f"Champs ({len(fields)})", show_lines=True)
    table.add_column("Champ", ratio=2, min_width=14, overflow="fold")
    table.add_column("Type", min_width=7)
    table.add_column("Oblig.", min_width=6)
    table.add_column("Contraintes", ratio=2, min_width=12, overflow="fold")
    table.add_column("Description", ratio=3, min_width=16, overflow="fold")
    for f in fields:
        name = Text(f["name"], style="bold")
        if f.get("title"):
            name.append(f"\n{f['title']}", style="dim")
        ftype = f["type"] + (f" ({f['format']})" if f["format"] != "default" else "")
        table.add_row(
            name, Text(ftype), Text("oui" if f["required"] else ""), Text(_constraints(f)), _description(f)
        )
    return table


def _constraints(f: Mapping[str, Any]) -> str:
    parts: list[str] = ["unique"] if f["unique"] else []
    labels = {
        "minLength": "longueur ≥ {}",
        "maxLength": "longueur ≤ {}",
        "minimum": "≥ {}",
        "maximum": "≤ {}",
        "exclusiveMinimum": "> {}",
        "exclusiveMaximum": "< {}",
        "pattern": "motif : {}",
    }
    for key, value in f["constraints"].items():
        if key == "enum":
            shown = ", ".join(str(v) for v in value[:_ENUM_SHOWN])
            more = f" … (+{len(value) - _ENUM_SHOWN})" if len(value) > _ENUM_SHOWN else ""
            parts.append(f"valeurs : {shown}{more}")
        elif key in labels:
            parts.append(labels[key].format(value))
        else:
            parts.append(key)
    return "\n".join(parts)


def _description(f: Mapping[str, Any]) -> Text:
    text = Text(f.get("description") or "")
    if f.get("example") not in (None, ""):
        text.append(f"\nExemple : {f['example']}", style="italic")
    return text


def _schema_footer(schema: Mapping[str, Any]) -> list[Any]:
    parts: list[Any] = []
    if schema["primary_key"]:
        parts.append(Text(f"Clé primaire : {', '.join(schema['primary_key'])}"))
    missing = ", ".join(f"« {v} »" if v else "cellule vide" for v in schema["missing_values"])
    parts.append(Text(f"Valeurs considérées comme manquantes : {missing or 'aucune'}"))
    if schema["custom_checks"]:
        table = Table(title=f"Contrôles personnalisés ({len(schema['custom_checks'])})")
        table.add_column("Contrôle", no_wrap=True)
        table.add_column("Paramètres")
        for check in schema["custom_checks"]:
            params = "\n".join(f"{k} : {_param(v)}" for k, v in check["params"].items())
            table.add_row(Text(check["name"]), Text(params))
        parts.append(table)
    if schema["warnings"]:
        parts.append(Text("Remarques :", style="bold yellow"))
        parts.extend(Text(f"• {w}", style="yellow") for w in schema["warnings"])
    return parts


def _param(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


# sync --------------------------------------------------------------------------------------------


def _run_sync(args: argparse.Namespace) -> int:
    """``socle schemas sync``."""
    target = args.target or synced_dir()
    err = _stderr()
    show_progress = not args.sans_progression and err.is_terminal
    if show_progress:
        with Progress(
            TextColumn("Synchronisation"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("", total=None)

            def advance(event: SyncEvent) -> None:
                progress.update(
                    task, total=event.total, completed=event.done, description=f"{event.name}@{event.version}"
                )

            report = sync(args.catalogue, target, on_progress=advance)
    else:
        report = sync(args.catalogue, target)
    if args.format == "json":
        _print_json(_report_json(report))
    else:
        _print_report(report)
    return EXIT_OK if report.ok else EXIT_PARTIAL


def _report_json(report: SyncReport) -> dict[str, Any]:
    return {
        "catalogue": report.catalogue_url,
        "target": str(report.target),
        "entries": report.entries,
        "downloaded": [f"{n}@{v}" for n, v in report.downloaded],
        "already_present": [f"{n}@{v}" for n, v in report.already_present],
        "listed_only": report.listed_only,
        "failures": [
            {"name": f.name, "version": f.version, "url": f.url, "message": f.reason} for f in report.failures
        ],
    }


def _print_report(report: SyncReport) -> None:
    console = _stdout()
    console.print(Text(f"Catalogue : {report.catalogue_url}"))
    console.print(Text(f"Dossier : {report.target}"))
    console.print(
        Text(
            f"{report.entries} schémas au catalogue ; {len(report.downloaded)} versions téléchargées, "
            f"{len(report.already_present)} déjà présentes ; {len(report.listed_only)} schémas listés sans "
            "téléchargement (JSON Schema ou autre type, que Socle n'utilise pas)."
        )
    )
    if report.failures:
        console.print(Text(f"{len(report.failures)} échec(s) :", style="bold red"))
        for failure in report.failures:
            console.print(Text(f"• {failure.describe()}"))
    else:
        console.print(Text("Synchronisation terminée sans erreur.", style="green"))


run_list = _guarded(_run_list)
run_show = _guarded(_run_show)
run_sync = _guarded(_run_sync)
