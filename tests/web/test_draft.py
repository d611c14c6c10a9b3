"""Error counts after a change: only the changed rows are judged again, unless a unique field or the
primary key ties rows together."""

from __future__ import annotations

from unittest import mock

from socle.schemas.model import parse_table_schema
from socle.web.datasets import draft
from socle.web.datasets.models import DraftRow
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
