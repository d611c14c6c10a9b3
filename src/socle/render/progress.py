"""A progress bar for long validations (only on a terminal)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from socle.io.table import Table
from socle.schemas.model import TableSchema
from socle.validation.engine import ValidationOptions, validate_table
from socle.validation.report import ValidationReport


def validate_with_progress(
    table: Table, schema: TableSchema, options: ValidationOptions, path: Path
) -> ValidationReport:
    """Validate with a rich progress display on stderr, counting rows read."""
    console = Console(stderr=True)
    with Progress(
        TextColumn("Validation de {task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} lignes".replace(",", " ")),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(path.name, total=None)
        return validate_table(
            table, schema, options, progress=lambda rows: progress.update(task, completed=rows)
        )
