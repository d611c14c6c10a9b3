"""Background tasks of the platform itself (each app keeps its own in its ``tasks.py``): loads ids, asks the
models or the core, returns JSON."""

from __future__ import annotations

from django.db.models import Count, Q
from django.tasks import task

from socle.web.datasets.models import Dataset


@task
def count_draft_rows(dataset_id: int) -> dict[str, int]:
    """How many rows a dataset's draft holds and how many of them have errors (the smallest real job:
    it reaches the database from the worker; ``Dataset.DoesNotExist`` for an unknown id)."""
    dataset = Dataset.objects.get(pk=dataset_id)
    counts = dataset.draft_rows.aggregate(rows=Count("pk"), with_errors=Count("pk", filter=Q(errors__gt=0)))
    return {"dataset": dataset.pk, "rows": counts["rows"], "with_errors": counts["with_errors"]}
