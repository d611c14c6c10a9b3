"""``date-francaise`` and ``date-excel``."""

from __future__ import annotations

from .fixes_support import changed, flagged, run

DATE = {"name": "d", "type": "date"}
FRENCH_FORMAT = {"name": "d", "type": "date", "format": "%d/%m/%Y"}


# --- date-francaise ---------------------------------------------------------------------------------


def test_french_and_year_first_dates_become_iso() -> None:
    cells = ["08/09/2017", "8/9/2017", "08.09.2017", "08-09-2017", "2017/09/08", "2017.09.08", " 08/09/2017 "]
    assert changed("date-francaise", DATE, cells) == ["2017-09-08"] * len(cells)


def test_day_first_by_default() -> None:
    assert changed("date-francaise", DATE, ["03/04/2021", "13/04/2021", "03/03/2021"]) == [
        "2021-04-03",
        "2021-04-13",
        "2021-03-03",
    ]


def test_zero_time_is_dropped() -> None:
    cells = ["2021-03-04 00:00:00", "2021-03-04T00:00:00", "2021-03-04 00:00", "04/03/2021 00:00:00"]
    cells += ["2021-03-04T00:00:00.000Z", "2021-03-04 0:00"]
    assert changed("date-francaise", DATE, cells) == ["2021-03-04"] * len(cells)


def test_the_field_format_is_the_target() -> None:
    assert (
        changed("date-francaise", FRENCH_FORMAT, ["2017-09-08", "2017/09/08", "08.09.2017"])
        == ["08/09/2017"] * 3
    )
    field = {"name": "d", "type": "date", "format": "fmt:%Y%m%d"}
    assert changed("date-francaise", field, ["08/09/2017"]) == ["20170908"]
    field = {"name": "d", "type": "date", "format": "any"}
    assert changed("date-francaise", field, ["2017-09-08 00:00:00"]) == ["2017-09-08 00:00:00"]  # valid


def test_does_not_apply_to_formats_it_cannot_write_with_certainty() -> None:
    from socle.importing.fixes import load_registry

    from .fixes_support import schema_of

    rule = load_registry()["date-francaise"]()
    for fmt in ("%d/%m/%y", "%d %B %Y", "%Y-%m-%dT%H:%M"):
        schema = schema_of({"name": "d", "type": "date", "format": fmt})
        assert not rule.applies_to(schema.fields[0], schema), fmt
    schema = schema_of({"name": "d", "type": "datetime"})
    assert not rule.applies_to(schema.fields[0], schema)


def test_valid_dates_are_never_changed() -> None:
    assert changed("date-francaise", DATE, ["2017-09-08", "2024-1-5"]) == ["2017-09-08", "2024-1-5"]
    # 8/9/2017 is what %d/%m/%Y reads: valid as it is.
    assert changed("date-francaise", FRENCH_FORMAT, ["8/9/2017"]) == ["8/9/2017"]


def test_what_is_not_a_date_stays() -> None:
    cells = ["31/02/2021", "2017/09-08", "08/09", "abc", "2017", "13/13/2021", ""]
    assert changed("date-francaise", DATE, cells) == cells


def test_a_column_mixing_day_first_and_month_first_flags_the_ambiguous_values() -> None:
    cells = ["04/13/2021", "03/04/2021", "13/04/2021", "05/05/2021"]
    out = run("date-francaise", DATE, cells)
    # 04/13 is month first only, 03/04 reads both ways: both are flagged, never guessed.
    assert out[0][0] == "04/13/2021" and out[0][1] is not None and "« 03/04/2021 »" in out[0][1]
    assert out[1][0] == "03/04/2021" and out[1][1] is not None and "« 04/13/2021 »" in out[1][1]
    # 13/04 reads day first only, 05/05 reads the same either way: both are certain.
    assert out[2:] == [("2021-04-13", None), ("2021-05-05", None)]


def test_month_first_values_are_converted_when_nothing_depends_on_the_order() -> None:
    assert changed("date-francaise", DATE, ["04/13/2021", "13/04/2021"]) == ["2021-04-13", "2021-04-13"]


def test_two_digit_years_and_times_are_flagged() -> None:
    assert flagged("date-francaise", DATE, ["08/09/17", "2021-03-04 10:30:00", "2021-03-04T00:00:01"]) == [
        True,
        True,
        True,
    ]


# --- date-excel -------------------------------------------------------------------------------------


def test_a_column_of_serial_numbers_becomes_dates() -> None:
    cells = ["44197", "43000", "44197.0", "", "2021-01-01"]
    assert changed("date-excel", DATE, cells) == ["2021-01-01", "2017-09-22", "2021-01-01", "", "2021-01-01"]
    assert changed("date-excel", FRENCH_FORMAT, ["44197"]) == ["01/01/2021"]


def test_serial_numbers_among_other_invalid_values_are_flagged() -> None:
    out = run("date-excel", DATE, ["44197", "hier", "2021"])
    assert out[0][0] == "44197" and out[0][1] is not None
    assert out[1:] == [("hier", None), ("2021", None)]


def test_numbers_out_of_range_are_not_dates() -> None:
    # 2021 is a year, 12345 a day of 1933: nothing says they are dates.
    assert changed("date-excel", DATE, ["2021", "12345", "99999"]) == ["2021", "12345", "99999"]


def test_dates_rules_run_in_order_on_a_frame() -> None:
    import polars as pl

    from socle.importing.fixes import apply_fixes

    from .fixes_support import frame_of, schema_of

    schema = schema_of(DATE)
    result = apply_fixes(frame_of({"d": [" 08/09/2017", "44197", "2021-01-01 00:00:00"]}), schema)
    assert result.frame.get_column("d").to_list() == ["2017-09-08", "2021-01-01", "2021-01-01"]
    assert result.fixes.select("row", "rule").rows() == [
        (2, "date-francaise"),
        (4, "date-francaise"),
        (3, "date-excel"),
    ]
    assert result.fixes.get_column("step").dtype == pl.Int32
