"""Error counts after a change: only the changed rows are judged again, unless a unique field or the
primary key ties rows together; row numbers under concurrent changes."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.db import connection

from socle.schemas.model import parse_table_schema
from socle.web.datasets import draft
from socle.web.datasets.models import Dataset, DraftRow
from tests.web.conftest import World


def _schema(unique: bool) -> object:
    constraints = {"unique": True} if unique else {}
    return parse_table_schema(
        {
            "fields": [
                {"name": "code", "type": "string", "constraints": constraints},
                {"name": "n", "type": "integer"},
            ]
        }
    )


def test_a_row_of_its_own_is_judged_alone(world: World) -> None:
    schema = _schema(unique=False)
    with mock.patch.object(draft, "schema_of", return_value=schema):
        first = draft.add_row(world.dataset, None, {"code": "a", "n": "x"})
        with mock.patch.object(draft, "revalidate", side_effect=AssertionError("tout le brouillon")):
            second = draft.add_row(world.dataset, None, {"code": "a", "n": "2"})
            draft.change_row(world.dataset, None, first, {"n": "1"})
    assert (first.errors, second.errors) == (0, 0)
    first.refresh_from_db()
    assert first.errors == 0
    with mock.patch.object(draft, "schema_of", return_value=schema):
        draft.change_row(world.dataset, None, second, {"n": "deux"})
    assert DraftRow.objects.get(pk=second.pk).errors == 1


def test_a_unique_field_judges_the_whole_draft_again(world: World) -> None:
    schema = _schema(unique=True)
    with mock.patch.object(draft, "schema_of", return_value=schema):
        first = draft.add_row(world.dataset, None, {"code": "a", "n": "1"})
        second = draft.add_row(world.dataset, None, {"code": "a", "n": "2"})
        assert (DraftRow.objects.get(pk=first.pk).errors, second.errors) == (0, 1)  # the repeat
        draft.delete_row(world.dataset, None, first)
    assert DraftRow.objects.get(pk=second.pk).errors == 0  # repeats no more


def test_the_form_s_verdict_is_stored_without_judging_again(world: World) -> None:
    schema = _schema(unique=False)
    verdict = {"n": ["« deux » n'est pas un nombre entier"]}
    with (
        mock.patch.object(draft, "schema_of", return_value=schema),
        mock.patch.object(draft, "_judge_numbered", side_effect=AssertionError("jugée deux fois")),
    ):
        row = draft.add_row(world.dataset, None, {"code": "a", "n": "deux"}, verdict)
        assert draft.change_row(world.dataset, None, row, {"code": "b", "n": "deux"}, verdict) == ["code"]
    assert DraftRow.objects.get(pk=row.pk).errors == 1


def test_a_verdict_on_other_cells_than_the_row_s_is_not_used(world: World) -> None:
    schema = _schema(unique=False)
    with mock.patch.object(draft, "schema_of", return_value=schema):
        row = draft.add_row(world.dataset, None, {"code": "a", "n": "1"})
        # Only one cell is given: the verdict on it alone says nothing of the whole row.
        draft.change_row(world.dataset, None, row, {"n": "trois"}, {})
    assert DraftRow.objects.get(pk=row.pk).errors == 1


def test_a_row_added_with_a_unique_field_is_judged_against_the_rows_it_may_repeat(world: World) -> None:
    schema = _schema(unique=True)
    with mock.patch.object(draft, "schema_of", return_value=schema):
        draft.add_row(world.dataset, None, {"code": "a", "n": "1"})
        draft.add_row(world.dataset, None, {"code": "b", "n": "1"})
        with mock.patch.object(draft, "revalidate", side_effect=AssertionError("tout le brouillon")):
            # A verdict judged without the other rows is not trusted when values must not repeat.
            third = draft.add_row(world.dataset, None, {"code": "a", "n": "3"}, {})
    assert third.errors == 1
    assert list(DraftRow.objects.order_by("position").values_list("errors", flat=True)) == [0, 0, 1]


@pytest.mark.django_db(transaction=True)
def test_rows_added_at_the_same_time_get_numbers_of_their_own(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = draft._next_position

    def slow(dataset: Dataset) -> int:
        line = real(dataset)
        time.sleep(0.3)  # without the lock, both would read the same last line
        return line

    monkeypatch.setattr(draft, "_next_position", slow)
    monkeypatch.setattr(draft, "schema_of", lambda dataset: _schema(unique=False))
    start = threading.Barrier(3)
    failures: list[BaseException] = []

    def add(n: int) -> None:
        try:
            start.wait()
            draft.add_row(Dataset.objects.get(pk=world.dataset.pk), None, {"code": f"c{n}", "n": str(n)})
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    assert sorted(world.dataset.draft_rows.values_list("position", flat=True)) == [1, 2, 3]
