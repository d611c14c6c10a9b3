"""Terminal report, grouped by column, in French (rich)."""

from __future__ import annotations

from typing import Any

import polars as pl
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from socle.validation import catalogue
from socle.validation.report import ValidationReport

DEFAULT_SHOWN = 5


def render_report(
    report: ValidationReport, console: Console, *, shown_per_group: int | None = DEFAULT_SHOWN
) -> None:
    """Print ``report``: a summary, the structure problems, then the cell problems grouped by column."""
    console.print(_summary(report))
    if report.source.notes:
        for note in report.source.notes:
            console.print(Text(f"ℹ {note}", style="cyan"))
    if report.warnings.height:
        console.print(Text("\nAvertissements", style="bold yellow"))
        for row in report.warnings.iter_rows(named=True):
            console.print(Text(f"  ⚠ {row['message']}", style="yellow"))
    if report.valid:
        console.print(Text("\n✔ Le fichier est valide.", style="bold green"))
        return
    structure = report.findings.filter(
        pl.col("code").replace_strict(catalogue.CATEGORIES, default="body") != "body"
    )
    if structure.height:
        console.print(Text("\nProblèmes de structure", style="bold red"))
        for row in structure.iter_rows(named=True):
            console.print(Text(f"  ✘ {row['message']}", style="red"))
    body = report.findings.filter(
        pl.col("code").replace_strict(catalogue.CATEGORIES, default="body") == "body"
    )
    if body.height:
        console.print(Text("\nProblèmes dans les données, par colonne", style="bold red"))
        _render_body(body, console, shown_per_group)
    console.print(
        Text(
            f"\n✘ Le fichier n'est pas valide : {report.error_count} erreur(s).",
            style="bold red",
        )
    )


def _summary(report: ValidationReport) -> Panel:
    src = report.source
    lines = [
        f"Fichier : {src.path}",
        f"Schéma : {report.schema_name or '?'}"
        + (f" (version {report.schema_version})" if report.schema_version else ""),
        f"Lignes de données : {report.rows} — colonnes : {len(report.header)}",
    ]
    read = [src.format.upper()]
    if src.encoding:
        read.append(f"encodage {src.encoding}")
    if src.delimiter:
        shown = {"\t": "tabulation", ",": "virgule", ";": "point-virgule", "|": "barre verticale"}
        read.append(f"séparateur {shown.get(src.delimiter, src.delimiter)}")
    if src.sheet:
        read.append(f"feuille « {src.sheet} »")
    lines.append("Lecture : " + ", ".join(read))
    return Panel("\n".join(lines), title="Rapport de validation Socle", expand=False)


def _render_body(body: pl.DataFrame, console: Console, shown: int | None) -> None:
    groups = (
        body.with_columns(pl.col("field").fill_null("(hors colonnes)"))
        .group_by(["column", "field"], maintain_order=False)
        .agg(pl.len().alias("n"), pl.col("code").value_counts(sort=True).alias("codes"))
        .sort(["column", "field"], nulls_last=True)
    )
    for column, name, count, codes in groups.iter_rows():
        where = f"colonne {column} « {name} »" if column is not None else f"« {name} »"
        summary = ", ".join(f"{c['code']} × {c['count']}" for c in codes)
        table = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("Ligne", justify="right")
        table.add_column("Valeur")
        table.add_column("Message")
        subset = body.filter(
            (pl.col("column") == column if column is not None else pl.col("column").is_null())
            & (pl.col("field").fill_null("(hors colonnes)") == name)
        )
        limit = subset.height if shown is None else shown
        for row in subset.head(limit).iter_rows(named=True):
            table.add_row(_cell(row["row"]), _cell(row["value"], 40), row["message"])
        more = subset.height - limit
        parts: list[Any] = [Text(f"{count} erreur(s) : {summary}", style="dim"), table]
        if more > 0:
            parts.append(
                Text(
                    f"… et {more} autre(s) (option --tout pour tout afficher, ou --format json)", style="dim"
                )
            )
        console.print(Panel(Group(*parts), title=where, title_align="left", expand=True))


def _cell(value: object, width: int | None = None) -> str:
    if value is None:
        return ""
    text = str(value)
    if width is not None and len(text) > width:
        return text[: width - 1] + "…"
    return text
