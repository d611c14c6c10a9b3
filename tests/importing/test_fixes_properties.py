"""Properties of the fixes on frames drawn at random from real-looking and arbitrary cells.

- applying the fixes a second time changes nothing;
- reverting the log gives the original frame back, exactly;
- a cell the validation engine accepts is never changed nor flagged: the oracle is the engine itself
  (``validate_table`` on the same rows), not the fixes' own judge;
- a changed cell has no type error any more, and a flagged cell is never changed.
"""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socle.importing.fixes import apply_fixes, revert_fixes
from socle.io.table import Table
from socle.schemas.model import TableSchema
from socle.validation.engine import validate_table

from .fixes_support import frame_of, schema_of

SCHEMA: TableSchema = schema_of(
    {"name": "date", "type": "date"},
    {"name": "date_fr", "type": "date", "format": "%d/%m/%Y"},
    {"name": "montant", "type": "number"},
    {"name": "montant_fr", "type": "number", "decimalChar": ",", "groupChar": " "},
    {"name": "taux", "type": "number", "constraints": {"minimum": 0, "maximum": 1}},
    {"name": "nombre", "type": "integer"},
    {"name": "ue", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]},
    {"name": "coche", "type": "boolean", "constraints": {"required": True}},
    {"name": "nature", "constraints": {"enum": ["aide en numéraire", "aide en nature", "Nature", "nature"]}},
    {
        "name": "periode",
        "constraints": {"pattern": "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$"},
    },
    {"name": "siret", "constraints": {"pattern": "^\\d{14}$"}},
    {"name": "idBeneficiaire"},
    {"name": "objet", "constraints": {"required": True}},
    custom_checks=[
        {"name": "french-siret-value", "params": {"column": "siret"}},
        {"name": "french-siret-value", "params": {"column": "idBeneficiaire"}},
    ],
)

SPACES = st.sampled_from(["", " ", "\u00a0", "\u202f", "  ", "\t"])
SEPARATOR = st.sampled_from(["/", ".", "-"])


@st.composite
def dates(draw: st.DrawFn) -> str:
    day, month = draw(st.integers(0, 32)), draw(st.integers(0, 13))
    year = draw(st.sampled_from([1999, 2017, 2020, 2021, 2024]))
    sep = draw(SEPARATOR)
    shapes = [
        f"{day:02d}{sep}{month:02d}{sep}{year}",
        f"{day}{sep}{month}{sep}{year}",
        f"{month:02d}{sep}{day:02d}{sep}{year}",
        f"{year}{sep}{month:02d}{sep}{day:02d}",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}-{month:02d}-{day:02d} 00:00:00",
        f"{day:02d}/{month:02d}/{year % 100:02d}",
        f"{year}-{month:02d}-{day:02d}T10:30:00",
        str(draw(st.integers(18000, 74000))),
    ]
    return draw(SPACES) + draw(st.sampled_from(shapes)) + draw(SPACES)


@st.composite
def numbers(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 9_999_999))
    cents = draw(st.sampled_from(["", "00", "5", "50", "234", "07"]))
    group = draw(st.sampled_from(["", " ", "\u00a0", "\u202f", ".", ","]))
    decimal = draw(st.sampled_from([",", "."]))
    text = f"{whole:,}".replace(",", "\x00").replace("\x00", group)
    if cents:
        text += decimal + cents
    sign = draw(st.sampled_from(["", "-", "\u2212", "+"]))
    currency = draw(st.sampled_from(["", " €", "€", " EUR", " euros", "€ "]))
    if currency == "€ ":
        return currency + sign + text
    scientific = draw(st.sampled_from(["", "", "", "E+13", "e-3"]))
    return draw(SPACES) + sign + text + scientific + currency


@st.composite
def booleans(draw: st.DrawFn) -> str:
    word = draw(
        st.sampled_from(["oui", "non", "o", "n", "vrai", "faux", "true", "false", "1", "0", "x", "", "2"])
    )
    return draw(SPACES) + draw(st.sampled_from([word, word.upper(), word.capitalize()])) + draw(SPACES)


@st.composite
def natures(draw: st.DrawFn) -> str:
    word = draw(
        st.sampled_from(["aide en numéraire", "aide en nature", "nature", "numéraire", "aide en numeraire"])
    )
    return draw(SPACES) + draw(st.sampled_from([word, word.upper(), word.title()])) + draw(SPACES)


@st.composite
def periods(draw: st.DrawFn) -> str:
    start, end = draw(dates()), draw(dates())
    between = draw(st.sampled_from(["_", " au ", " - ", "/", "–"]))
    return draw(st.sampled_from([start, f"{start}{between}{end}", f"du {start}{between}{end}"]))


@st.composite
def sirets(draw: st.DrawFn) -> str:
    digits = draw(st.sampled_from(["22800001400016", "21800009900018", "35600000000048", "22800001400017"]))
    sep = draw(st.sampled_from(["", " ", ".", "-", "\u00a0"]))
    shapes = [
        f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:9]}{sep}{digits[9:]}",
        digits + ".0",
        f"{digits[0]},{digits[1:]}E+13",
        f"{digits[0]},{digits[1:3]}E+13",
        digits[:9],
    ]
    return draw(SPACES) + draw(st.sampled_from(shapes)) + draw(SPACES)


ANY_TEXT = st.text(alphabet=st.sampled_from(list("0123456789 ,./-_:eExoOuiNnaé€\u00a0")), max_size=12)


def column(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(strategy, strategy, strategy, ANY_TEXT, st.just(""))


CELLS = {
    "date": column(dates()),
    "date_fr": column(dates()),
    "montant": column(numbers()),
    "montant_fr": column(numbers()),
    "taux": column(numbers()),
    "nombre": column(numbers()),
    "ue": column(booleans()),
    "coche": st.one_of(st.sampled_from(["x", "X", "", " x"]), column(booleans())),
    "nature": column(natures()),
    "periode": column(periods()),
    "siret": column(sirets()),
    "idBeneficiaire": column(sirets()),
    "objet": st.text(min_size=1, max_size=5).filter(lambda t: t.strip() != ""),
}


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    height = draw(st.integers(1, 6))
    return frame_of(
        {name: draw(st.lists(cells, min_size=height, max_size=height)) for name, cells in CELLS.items()}
    )


# Each example runs every rule on thirteen columns, and the engine twice: few examples, many shapes each.
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(frames())
def test_applying_twice_changes_nothing_the_second_time(original: pl.DataFrame) -> None:
    first = apply_fixes(original, SCHEMA)
    second = apply_fixes(first.frame, SCHEMA)
    assert second.fixes.height == 0, second.fixes.to_dicts()
    assert second.frame.equals(first.frame)
    # Flags are stable too: the same cells, for the same reasons.
    assert sorted(second.flags.rows()) == sorted(first.flags.rows())


@PROPERTY
@given(frames())
def test_revert_gives_back_the_original_frame(original: pl.DataFrame) -> None:
    result = apply_fixes(original, SCHEMA)
    assert revert_fixes(result.frame, result.fixes).equals(original)


def _cells_with_findings(frame: pl.DataFrame, codes: set[str] | None = None) -> set[tuple[int, str]]:
    names = [n for n in frame.columns if n != "__row__"]
    rows = [
        names,
        *([cell if cell is not None else "" for cell in row] for row in frame.select(names).rows()),
    ]
    report = validate_table(Table.from_rows(rows), SCHEMA)
    findings = report.findings.filter(pl.col("row").is_not_null() & pl.col("field").is_not_null())
    if codes is not None:
        findings = findings.filter(pl.col("code").is_in(list(codes)))
    return {(int(r), str(f)) for r, f in findings.select("row", "field").rows()}


@PROPERTY
@given(frames())
def test_cells_the_engine_accepts_are_never_touched(original: pl.DataFrame) -> None:
    result = apply_fixes(original, SCHEMA)
    refused = _cells_with_findings(original)
    touched = {(int(r), str(f)) for r, f in result.fixes.select("row", "field").rows()}
    touched |= {(int(r), str(f)) for r, f in result.flags.select("row", "field").rows()}
    assert touched <= refused, touched - refused
    # Changed cells have no type error any more; flagged cells were not changed.
    assert not (touched & _cells_with_findings(result.frame, {"type-error"})) - {
        (int(r), str(f)) for r, f in result.flags.select("row", "field").rows()
    }
    flagged = {(int(r), str(f)) for r, f in result.flags.select("row", "field").rows()}
    changed = {(int(r), str(f)) for r, f in result.fixes.select("row", "field").rows()}
    assert not flagged & changed


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(dates(), ANY_TEXT), min_size=1, max_size=8))
def test_a_date_column_is_stable_and_valid_cells_stay(cells: list[str]) -> None:
    schema = schema_of({"name": "d", "type": "date"})
    original = frame_of({"d": cells})
    first = apply_fixes(original, schema)
    assert apply_fixes(first.frame, schema).fixes.height == 0
    assert revert_fixes(first.frame, first.fixes).equals(original)
    for before, after in zip(cells, first.frame.get_column("d").to_list(), strict=True):
        if before != after:  # an ISO date, or an empty cell for a cell of spaces only
            assert after is not None
            assert (len(after) == 10 and after[4] == "-" and after[7] == "-") or after == before.strip() == ""
