"""``intervalle-dates``, on the pattern of ``datesPeriodeVersement`` (scdl/subventions)."""

from __future__ import annotations

from .fixes_support import changed, run, schema_of

PERIOD = {
    "name": "datesPeriodeVersement",
    "constraints": {"pattern": "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$"},
}


def test_periods_become_iso_intervals() -> None:
    cells = [
        "2017/09/08_2021/09/07",
        "2017-09-08_2021-09-07",
        "du 08/09/2017 au 07/09/2021",
        "Du 08/09/2017 AU 07/09/2021",
        "08/09/2017 - 07/09/2021",
        "2017-09-08 – 2021-09-07",
        "2017-09-08–2021-09-07",
        " 2017/09/08 _ 2021/09/07 ",
    ]
    assert changed("intervalle-dates", PERIOD, cells) == ["2017-09-08/2021-09-07"] * len(cells)


def test_single_dates_become_iso_when_the_pattern_allows_them() -> None:
    assert changed("intervalle-dates", PERIOD, ["08/09/2017", "2017/09/08"]) == ["2017-09-08"] * 2


def test_valid_values_and_others_stay() -> None:
    cells = ["2017-09-08/2021-09-07", "2017-09-08", "2017", "bientôt", "2017/13/45_2021/09/07", ""]
    assert changed("intervalle-dates", PERIOD, cells) == cells


def test_ambiguous_dates_flag_the_period() -> None:
    out = run("intervalle-dates", PERIOD, ["01/02/2017_03/04/2018", "2017-09-08_09/13/2021"])
    assert out[0][0] == "01/02/2017_03/04/2018" and out[0][1] is not None and "mois/jour" in out[0][1]
    # 09/13/2021 is month first only; the column also holds values read both ways: flagged too.
    assert out[1][0] == "2017-09-08_09/13/2021" and out[1][1] is not None


def test_applies_only_where_the_pattern_expects_intervals() -> None:
    from socle.importing.fixes import load_registry

    rule = load_registry()["intervalle-dates"]()
    fields = [
        PERIOD,
        {"name": "a", "constraints": {"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}},
        {"name": "b", "constraints": {"pattern": ".*"}},  # accepts "_" as well: nothing to fix
        {"name": "c"},
        {"name": "d", "type": "date"},
    ]
    schema = schema_of(*fields)
    assert [rule.applies_to(f, schema) for f in schema.fields] == [True, False, False, False, False]


def test_intervals_only_pattern_does_not_take_single_dates() -> None:
    field = {
        "name": "p",
        "constraints": {"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}/[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    }
    assert changed("intervalle-dates", field, ["2017/09/08", "2017/09/08_2018/01/01"]) == [
        "2017/09/08",
        "2017-09-08/2018-01-01",
    ]
