"""``code-insee``: a lost leading zero comes back only when the COG knows the padded code."""

from __future__ import annotations

import polars as pl

from socle.importing.fixes import apply_fixes
from socle.schemas.model import parse_table_schema

SCHEMA = parse_table_schema(
    {
        "fields": [
            {"name": "COLL_INSEE", "type": "string", "constraints": {"pattern": "^[0-9AB]{5}$"}},
            {"name": "NOM", "type": "string"},
        ]
    }
)


def _fix(codes: list[str]) -> tuple[list[str], pl.DataFrame, pl.DataFrame]:
    frame = pl.DataFrame(
        {
            "COLL_INSEE": codes,
            "NOM": ["x"] * len(codes),
            "__row__": pl.Series(range(2, len(codes) + 2), dtype=pl.Int64),
        }
    )
    result = apply_fixes(frame, SCHEMA)
    return result.frame.get_column("COLL_INSEE").to_list(), result.fixes, result.flags


def test_a_known_commune_gets_its_zero_back() -> None:
    fixed, fixes, flags = _fix(["1001", "1053.0", "75056", "2A004"])
    assert fixed == ["01001", "01053", "75056", "2A004"]
    assert fixes.get_column("rule").to_list() == ["code-insee", "code-insee"]
    assert fixes.get_column("before").to_list() == ["1001", "1053.0"]
    assert flags.height == 0


def test_a_code_the_cog_does_not_know_is_flagged_not_guessed() -> None:
    fixed, fixes, flags = _fix(["1999", "9999"])
    assert fixed == ["1999", "9999"]
    assert fixes.height == 0
    assert flags.get_column("rule").to_list() == ["code-insee", "code-insee"]
    assert "01999" in flags.get_column("reason")[0]


def test_fields_without_insee_in_their_name_are_left_alone() -> None:
    schema = parse_table_schema(
        {"fields": [{"name": "code", "type": "string", "constraints": {"pattern": "^[0-9]{5}$"}}]}
    )
    frame = pl.DataFrame({"code": ["1001"], "__row__": pl.Series([2], dtype=pl.Int64)})
    result = apply_fixes(frame, schema)
    assert result.frame.get_column("code").to_list() == ["1001"]
    assert result.fixes.height == 0
