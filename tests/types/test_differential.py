"""Differential tests: Socle's field types against frictionless 5.21's ``Field.read_cell``.

Each strategy mixes realistic values of the type, "token soups" built from the characters that
matter for it (signs, separators, spaces of every kind, exponents, Unicode digits…) and random
text. A whole list of cells is read at once, so that the vectorised stages and the Python fallback
both run and must agree with frictionless cell by cell.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.types.support import compare

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPACES = ["", " ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000", "\x1c", "\x0b", "\u200b"]
UNICODE_DIGITS = ["٣", "１", "߁", "۵", "०"]


def soup(tokens: list[str], max_size: int = 7) -> st.SearchStrategy[str]:
    """Texts made of the tokens that matter for a type."""
    return st.lists(st.sampled_from(tokens), max_size=max_size).map("".join)


def cells(*strategies: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """Lists of cells drawn from the strategies and from random text."""
    one = st.one_of(*strategies, st.text(max_size=8))
    return st.lists(one, min_size=1, max_size=25)


digits = st.text("0123456789", min_size=1, max_size=5)
space = st.sampled_from(SPACES)
sign = st.sampled_from(["", "+", "-"])


# --- numbers --------------------------------------------------------------------------------------

integer_like = st.builds(lambda a, s, d, b: f"{a}{s}{d}{b}", space, sign, digits, space)
INTEGER_TOKENS = [
    "0",
    "1",
    "7",
    "00",
    "42",
    "-",
    "+",
    "_",
    " ",
    "\u00a0",
    "\x1c",
    ".",
    ",",
    "e",
    "€",
    "a",
    *UNICODE_DIGITS,
]


@FAST
@given(cells(integer_like, soup(INTEGER_TOKENS)), st.booleans())
def test_integer(values: list[str], bare: bool) -> None:
    compare({"type": "integer", "bareNumber": bare}, values)


@FAST
@given(cells(st.just("9" * 30), st.just("-" + "1" * 25), st.just("0" * 4301), st.just("1" * 4300)))
def test_integer_long(values: list[str]) -> None:
    compare({"type": "integer"}, values)


number_like = st.builds(
    lambda s, a, sep, b, e: f"{s}{a}{sep}{b}{e}",
    sign,
    digits,
    st.sampled_from(["", ".", ",", " "]),
    st.text("0123456789", max_size=4),
    st.sampled_from(["", "e5", "E-3", "e+10", "e999999999999999999999"]),
)
NUMBER_TOKENS = [
    "0",
    "1",
    "25",
    "-",
    "+",
    ".",
    ",",
    " ",
    "\u00a0",
    "_",
    "e",
    "E",
    "inf",
    "Infinity",
    "nan",
    "NaN",
    "sNaN",
    "\x1c",
    "€",
    "%",
    *UNICODE_DIGITS,
]
NUMBER_OPTIONS = [
    {},
    {"decimalChar": "."},
    {"decimalChar": ","},
    {"decimalChar": ",", "groupChar": " "},
    {"decimalChar": ",", "groupChar": "."},
    {"groupChar": ","},
    {"bareNumber": False},
    {"bareNumber": False, "decimalChar": ",", "groupChar": " "},
]


@THOROUGH
@given(cells(number_like, soup(NUMBER_TOKENS)), st.sampled_from(NUMBER_OPTIONS))
def test_number(values: list[str], options: dict[str, Any]) -> None:
    compare({"type": "number", **options}, values)


YEAR_TOKENS = ["2024", "0", "1", "12", "-", "+", "_", " ", "\t", "\x1c", "\u00a0", *UNICODE_DIGITS]


@FAST
@given(cells(st.builds(str, st.integers(-100, 12000)), soup(YEAR_TOKENS, 5)))
def test_year(values: list[str]) -> None:
    compare({"type": "year"}, values)


yearmonth_like = st.builds(
    lambda y, s, m: f"{y}{s}{m}", digits, st.sampled_from(["-", "/", "--", " - "]), digits
)


@FAST
@given(cells(yearmonth_like, soup(["2024", "03", "3", "13", "00", "-", "+", " ", "_", "\x1c", "٣"], 6)))
def test_yearmonth(values: list[str]) -> None:
    compare({"type": "yearmonth"}, values)


# --- booleans -------------------------------------------------------------------------------------

FRENCH_TRUE = ["true", "True", "TRUE", "1", "vrai", "Vrai", "VRAI", "oui", "Oui", "OUI"]
FRENCH_FALSE = ["false", "False", "FALSE", "0", "faux", "Faux", "FAUX", "non", "Non", "NON"]
BOOLEAN_OPTIONS = [
    {},
    {"trueValues": FRENCH_TRUE, "falseValues": FRENCH_FALSE},
    {"trueValues": ["oui"], "falseValues": ["non"]},
    {"trueValues": ["1"], "falseValues": ["0"]},
]


@FAST
@given(
    cells(st.sampled_from([*FRENCH_TRUE, *FRENCH_FALSE, "yes", " oui", "OUI ", "o", "N"])),
    st.sampled_from(BOOLEAN_OPTIONS),
)
def test_boolean(values: list[str], options: dict[str, Any]) -> None:
    compare({"type": "boolean", **options}, values)


# --- strings --------------------------------------------------------------------------------------

EMAIL_TOKENS = [
    "a",
    "Z",
    "0",
    ".",
    "..",
    "@",
    "-",
    "_",
    "__",
    "+",
    "'",
    '"',
    "\\",
    " ",
    "\n",
    "é",
    "Ā",
    "日",
    "xn--",
    "fr",
    "com",
    "K",
    "ſ",
    "ı",
    "!",
    "#",
    "(",
    ")",
]
email_like = st.builds(
    lambda u, d, t: f"{u}@{d}.{t}",
    st.text('abcxyz0.-_+é"', min_size=0, max_size=8),
    st.text("abc0-_é.", min_size=0, max_size=8),
    st.sampled_from(["fr", "com", "c0", "1", "", "xn--p1ai", "FR"]),
)


EMAIL_EDGES = [
    "a\n@b.fr",
    "a@b.fr\n",
    '"a\\.b"@c.fr',
    '"a@b"@c.fr',
    '"a\\ b"@c.fr',
    "ſ@b.fr",
    "a@b.KR",
    "a@K.fr",
    "a" * 64 + "@b.fr",
    "a" * 65 + "@b.fr",
    "a@" + "b" * 63 + ".fr",
    "a@" + "b" * 64 + ".fr",
    "a@" + ("b" * 60 + ".") * 4 + "fr",
]


@THOROUGH
@given(cells(email_like, soup(EMAIL_TOKENS, 9), st.sampled_from(EMAIL_EDGES)))
def test_email(values: list[str]) -> None:
    compare({"type": "string", "format": "email"}, values)


@FAST
@given(cells(soup(["http", "s", ":", "//", "a", "1", "+", ".", "-", "é", " ", "/", "?", "#"], 6)))
def test_uri(values: list[str]) -> None:
    compare({"type": "string", "format": "uri"}, values)


uuid_like = st.builds(
    lambda h, pre, sep, br: f"{pre}{br[0]}{sep.join([h[:8], h[8:12], h[12:16], h[16:20], h[20:]])}{br[1]}",
    st.text("0123456789abcdefABCDEF", min_size=30, max_size=33),
    st.sampled_from(["", "urn:uuid:", "uuid:", "urn:", "URN:"]),
    st.sampled_from(["-", "", "--", "_"]),
    st.sampled_from([("", ""), ("{", "}"), ("{{", "}"), (" ", ""), ("+", ""), ("-", ""), ("0x", "")]),
)


@THOROUGH
@given(cells(uuid_like, soup(["0", "f", "-", "{", "}", "urn:", "uuid:", " ", "_", "x", "+", "１"], 10)))
def test_uuid(values: list[str]) -> None:
    compare({"type": "string", "format": "uuid"}, values)


BINARY_EDGES = ["==QQQQQQ==", "=QQ==", "Q=Q=Q=Q", "QQQ=Q", "QQ=Q=", "QQQQ=", "QQ==QQ=", "=", "é"]


@THOROUGH
@given(
    cells(
        soup(["QQ", "A", "b", "9", "+", "/", "=", "==", " ", "\n", "-", "_", ".", "é"], 9),
        st.sampled_from(BINARY_EDGES),
    )
)
def test_binary(values: list[str]) -> None:
    compare({"type": "string", "format": "binary"}, values)


@FAST
@given(cells(st.text(max_size=12)))
def test_string_default_and_any(values: list[str]) -> None:
    compare({"type": "string"}, values)
    compare({"type": "any"}, values)


# --- dates and times ------------------------------------------------------------------------------

date_like = st.builds(
    lambda y, s1, m, s2, d: f"{y}{s1}{m}{s2}{d}",
    st.sampled_from(["2024", "1999", "0000", "0001", "9999", "24", "２０２４"]),
    st.sampled_from(["-", "/", "", " "]),
    st.sampled_from(["01", "1", "02", "12", "13", "00", " 1"]),
    st.sampled_from(["-", "/", "", " "]),
    st.sampled_from(["01", "1", "29", "30", "31", "32", " 1", "011"]),
)
dmy_like = st.builds(
    lambda d, m, y, sep: f"{d}{sep}{m}{sep}{y}",
    st.sampled_from(["01", "1", "29", "31", "32", " 5"]),
    st.sampled_from(["01", "1", "02", "12", "13"]),
    st.sampled_from(["2024", "2023", "0000", "24", "99"]),
    st.sampled_from(["/", "-", " ", "  "]),
)
DATE_TOKENS = ["2024", "01", "1", "31", "-", "/", " ", "T", "t", ":", "10", "Z", "٣"]


@THOROUGH
@given(
    cells(date_like, dmy_like, soup(DATE_TOKENS, 6)),
    st.sampled_from(
        ["default", "%Y-%m-%d", "%Y", "%d/%m/%Y", "fmt:%d/%m/%Y", "%d/%m/%y", "%Y%m%d", "%d %m %Y"]
    ),
)
def test_date(values: list[str], fmt: str) -> None:
    compare({"type": "date", "format": fmt}, values)


# frictionless' own dateutil calls warn about unknown time zone names; Socle's do not.
ANY_WARNINGS = pytest.mark.filterwarnings("ignore::dateutil.parser.UnknownTimezoneWarning")


@ANY_WARNINGS
@FAST
@given(cells(date_like, dmy_like, soup([*DATE_TOKENS, "jan", "March", "10:30"], 5)))
def test_date_any(values: list[str]) -> None:
    compare({"type": "date", "format": "any"}, values)


time_like = st.builds(
    lambda h, m, s, f, z: f"{h}:{m}{s}{f}{z}",
    st.sampled_from(["10", "00", "23", "24", "25", "1", "١٠"]),
    st.sampled_from(["00", "30", "59", "60", "5"]),
    st.sampled_from(["", ":00", ":59", ":60", ":5", "00"]),
    st.sampled_from(["", ".5", ",123456789", ".", ".0"]),
    st.sampled_from(["", "Z", "z", "+01:00", "-0530", "+01", "+24:00", "+01:60", "+00:00", "+1"]),
)
TIME_TOKENS = ["10", "00", "24", ":", ".", "5", "Z", "+", "-", "01", " ", "h"]


@THOROUGH
@given(cells(time_like, soup(TIME_TOKENS, 7)), st.sampled_from(["default", "%H:%M", "%H:%M:%S", "%Hh%M"]))
def test_time(values: list[str], fmt: str) -> None:
    compare({"type": "time", "format": fmt}, values)


@ANY_WARNINGS
@FAST
@given(cells(time_like, soup(TIME_TOKENS, 5)))
def test_time_any(values: list[str]) -> None:
    compare({"type": "time", "format": "any"}, values)


DATETIME_EDGES = [
    "9999-12-31T24:00:00",
    "9999-12-31T23:00:00-05:00",
    "2024-01-05T24:00:00",
    "2024-01-05T24:00:00.000001",
    "0001-01-01T00:00:00+01:00",
    "2024-W01-1T10:00:00",
    "2024W011T10:00:00",
    "2024-001T10:00:00",
    "2024-01-05T10:00:00+24",
    "2024-01-05T10:00:00.5Z",
    "2024-01-05 10:00:00Z",
    "0000-01-01T10:00:00Z",
]
datetime_like = st.builds(
    lambda d, sep, t: f"{d}{sep}{t}",
    date_like,
    st.sampled_from(["T", " ", "t", "x", "5", ""]),
    time_like,
)


@THOROUGH
@given(
    cells(datetime_like, soup([*DATE_TOKENS, *TIME_TOKENS], 8), st.sampled_from(DATETIME_EDGES)),
    st.sampled_from(
        ["default", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S%z"]
    ),
)
def test_datetime(values: list[str], fmt: str) -> None:
    compare({"type": "datetime", "format": fmt}, values)


@ANY_WARNINGS
@FAST
@given(cells(datetime_like))
def test_datetime_any(values: list[str]) -> None:
    compare({"type": "datetime", "format": "any"}, values)


duration_like = st.builds(
    lambda s, parts, t: f"{s}P{parts}{t}",
    st.sampled_from(["", "-", "+"]),
    soup(["1Y", "2M", "3W", "4D", "1.5Y", "0,5D", "999999999999D", "1"], 3),
    st.sampled_from(
        ["", "T", "T1H", "T2M", "T3S", "T1.5S", "T1H30M", "T100000000000000H", "\n", "0001-02-03T04:05:06"]
    ),
)


@FAST
@given(cells(duration_like, soup(["P", "T", "1", "Y", "M", "D", "H", "S", "W", "-", ".", ","], 6)))
def test_duration(values: list[str]) -> None:
    compare({"type": "duration"}, values)


# --- geography and JSON ---------------------------------------------------------------------------

coordinate = st.one_of(
    st.floats(-200, 200, allow_nan=False).map(lambda f: f"{f:.5f}"),
    st.sampled_from(
        ["180", "-180", "90", "-90", "180.0000000000000001", "nan", "inf", "1e1", "1_0", "", " 2 "]
    ),
)
geopoint_default = st.builds(
    lambda a, sep, b: f"{a}{sep}{b}", coordinate, st.sampled_from([",", ", ", " ,", ";", ",,"]), coordinate
)
geopoint_array = st.builds(lambda a, b: f"[{a}, {b}]", coordinate, coordinate)
geopoint_object = st.builds(
    lambda a, b, order: json.dumps(dict([("lon", a), ("lat", b)][::order])),
    st.floats(-200, 200),
    st.floats(-100, 100),
    st.sampled_from([1, -1]),
)


@THOROUGH
@given(
    cells(geopoint_default, geopoint_array, geopoint_object), st.sampled_from(["default", "array", "object"])
)
def test_geopoint(values: list[str], fmt: str) -> None:
    compare({"type": "geopoint", "format": fmt}, values)


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.floats(-200, 200), st.text(max_size=4)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)
position = st.lists(
    st.one_of(st.floats(-180, 180), st.integers(-180, 180), st.booleans()), min_size=1, max_size=3
)
geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["Point", "MultiPoint", "LineString", "Polygon", "MultiPolygon", "MultiLineString", "Other"]
        ),
        "coordinates": st.one_of(
            position, st.lists(position, max_size=5), st.lists(st.lists(position, max_size=5), max_size=2)
        ),
    }
)
geojson_values = st.one_of(
    geometry,
    st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "geometry": st.one_of(st.none(), geometry),
            "properties": st.one_of(st.none(), st.just({}), st.just([])),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("FeatureCollection"),
            "features": st.lists(st.one_of(geometry, st.integers()), max_size=3),
        }
    ),
    st.fixed_dictionaries(
        {"type": st.just("GeometryCollection"), "geometries": st.lists(geometry, max_size=3)}
    ),
    st.fixed_dictionaries(
        {"type": st.just("Point"), "coordinates": position},
        optional={
            "crs": st.one_of(
                st.none(),
                st.just({"type": "name", "properties": {"name": "x"}}),
                st.just({"type": "link", "properties": {"href": "h"}}),
                json_values,
            ),
            "bbox": st.one_of(st.lists(st.floats(-10, 10), max_size=4), json_values),
        },
    ),
    json_values,
)
topojson_values = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("Topology"),
            "objects": st.dictionaries(st.text(max_size=2), geometry, max_size=2),
            "arcs": st.lists(st.lists(st.one_of(st.none(), position), max_size=3), max_size=2),
        },
        optional={"transform": json_values, "bbox": json_values},
    ),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["LineString", "Polygon", "Point"]),
            "arcs": st.lists(st.one_of(st.integers(), st.lists(st.integers(), max_size=2)), max_size=3),
            "coordinates": position,
        }
    ),
    json_values,
)


def texts_of(values: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    spacing = st.sampled_from([None, 1, (",", ":"), (", ", ": ")])

    def dump(value: Any, how: Any) -> str:
        if isinstance(how, tuple):
            return json.dumps(value, separators=how)
        return json.dumps(value, indent=how)

    return st.builds(dump, values, spacing)


@THOROUGH
@given(cells(texts_of(geojson_values)), st.sampled_from(["default", "topojson"]))
def test_geojson(values: list[str], fmt: str) -> None:
    compare({"type": "geojson", "format": fmt}, values)


@FAST
@given(cells(texts_of(topojson_values)))
def test_topojson(values: list[str]) -> None:
    compare({"type": "geojson", "format": "topojson"}, values)


@FAST
@given(cells(texts_of(json_values), soup(["{", "}", "[", "]", '"a"', ":", ",", "1", " ", "NaN", "\n"], 8)))
def test_object_and_array(values: list[str]) -> None:
    compare({"type": "object"}, values)
    compare({"type": "array"}, values)


ITEM_DESCRIPTORS = [
    {"type": "string", "enum": ["bouton", "interphone"]},
    {"type": "string", "constraints": {"enum": ["x", "y"]}},
    {"type": "string", "constraints": {"required": True, "enum": ["x", "y"]}},
    {"type": "integer", "constraints": {"minimum": 2}},
    {"type": "number"},
    {"type": "boolean"},
    {"type": "year"},
    {"type": "date"},
    {"type": "any"},
]
item_arrays = st.lists(
    st.one_of(json_scalars, st.sampled_from(["x", "y", "z", "", "2024-01-01", "3", "true", "bouton"])),
    max_size=4,
).map(json.dumps)


@THOROUGH
@given(cells(item_arrays), st.sampled_from(ITEM_DESCRIPTORS))
def test_array_items(values: list[str], item: dict[str, Any]) -> None:
    compare({"type": "array", "arrayItem": item}, values)
