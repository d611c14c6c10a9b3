"""Reference syntax: catalogue names, versions, Data Package resources, URLs, files."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socle.errors import SchemaError
from socle.schemas import SchemaRef, parse_ref
from socle.schemas.ref import RefKind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scdl/deliberations", SchemaRef("scdl/deliberations")),
        ("scdl/deliberations@2.1.5", SchemaRef("scdl/deliberations", "2.1.5")),
        ("scdl/deliberations@latest", SchemaRef("scdl/deliberations")),
        ("  deliberations  ", SchemaRef("deliberations")),
        ("etalab/schema-irve#irve-statique", SchemaRef("etalab/schema-irve", None, "irve-statique")),
        ("etalab/schema-irve@2.3.1#statique", SchemaRef("etalab/schema-irve", "2.3.1", "statique")),
        ("https://example.org/schema.json", SchemaRef("https://example.org/schema.json")),
        ("HTTP://example.org/dp.json#table", SchemaRef("http://example.org/dp.json", None, "table")),
        ("schema.json", SchemaRef("schema.json")),
        ("some/dir/schema.YML", SchemaRef("some/dir/schema.YML")),
        ("./datapackage.json#base", SchemaRef("./datapackage.json", None, "base")),
        ("/abs/path/without-suffix", SchemaRef("/abs/path/without-suffix")),
        ("~/schemas/x@1.json", SchemaRef("~/schemas/x@1.json")),
    ],
)
def test_parse_ref(text: str, expected: SchemaRef) -> None:
    assert parse_ref(text) == expected


def test_kinds() -> None:
    assert parse_ref("scdl/budget").kind is RefKind.CATALOGUE
    assert parse_ref("https://x.org/s").kind is RefKind.URL
    assert parse_ref("s.yaml").kind is RefKind.FILE


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "vide"),
        ("   ", "vide"),
        ("ftp://example.org/schema.json", "http:// et https://"),
        ("file:///etc/passwd", "http:// et https://"),
        ("scdl/deliberations/extra", "incompréhensible"),
        ("scdl/../etc", "incompréhensible"),
        ("scdl/deliberations@", "version"),
        ("scdl/deliberations@2 1", "version"),
        ("scdl/deliberations#", "ressource"),
    ],
)
def test_malformed_refs_are_refused_in_french(text: str, fragment: str) -> None:
    with pytest.raises(SchemaError, match=fragment):
        parse_ref(text)


_segment = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True)
_version = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True)


@given(publisher=_segment, name=_segment, version=st.none() | _version, resource=st.none() | _segment)
def test_str_and_parse_round_trip(
    publisher: str, name: str, version: str | None, resource: str | None
) -> None:
    ref = SchemaRef(f"{publisher}/{name}", version, resource)
    assert parse_ref(str(ref)) == ref


@given(st.text(max_size=60))
def test_parse_ref_never_crashes(text: str) -> None:
    try:
        ref = parse_ref(text)
    except SchemaError as exc:
        assert exc.message
    else:
        assert ref.name
