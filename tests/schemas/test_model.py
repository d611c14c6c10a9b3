"""Table Schema checks: every invalid schema is refused in French, naming what and where."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socle.errors import SchemaError
from socle.schemas import load_schema, parse_table_schema
from socle.schemas.model import FIELD_TYPES


def _schema(field: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    fields = [{"name": "id", "type": "string"}]
    if field is not None:
        fields.append(field)
    return {"fields": fields, **top}


def test_a_valid_schema_is_parsed() -> None:
    schema = parse_table_schema(
        _schema(
            {
                "name": "montant",
                "type": "number",
                "decimalChar": ",",
                "constraints": {"required": True, "minimum": 0},
            },
            primaryKey="id",
            missingValues=["", "NA"],
            custom_checks=[{"name": "french-siret-value", "params": {"column": "id"}}],
        )
    )
    montant = schema.get_field("montant")
    assert montant is not None and montant.required and montant.decimal_char == ","
    assert schema.primary_key == ("id",)
    assert schema.missing_values == ("", "NA")
    assert schema.custom_checks[0].params == {"column": "id"}
    assert schema.warnings == ()


@pytest.mark.parametrize(
    ("descriptor", "fragments"),
    [
        ([], ["n'est pas un objet"]),
        ({"fields": []}, ["« fields »", "liste non vide"]),
        ({"fields": "a"}, ["« fields »"]),
        ({"fields": ["a"]}, ["champ n°1", "objet"]),
        ({"fields": [{"type": "string"}]}, ["champ n°1", "« name »"]),
        (_schema({"name": "x", "type": "text"}), ["« x »", "« text »", "n'existe pas"]),
        (_schema({"name": "x", "type": "string", "format": "url"}), ["« x »", "format « url »"]),
        (_schema({"name": "x", "type": "geopoint", "format": "lonlat"}), ["« x »", "format « lonlat »"]),
        (_schema({"name": "x", "type": "date", "format": "jj/mm/aaaa"}), ["« x »", "motif de date"]),
        (_schema({"name": "x", "type": "date", "format": "%d/%q/%Y"}), ["« x »", "%q"]),
        (_schema({"name": "x", "constraints": []}), ["« x »", "« constraints »", "objet"]),
        (
            _schema({"name": "x", "constraints": {"requird": True}}),
            ["« x »", "contrainte inconnue", "requird"],
        ),
        (
            _schema({"name": "x", "constraints": {"required": "yes"}}),
            ["« x »", "« required »", "true ou false"],
        ),
        (_schema({"name": "x", "constraints": {"maxLength": -1}}), ["« x »", "« maxLength »", "-1"]),
        (_schema({"name": "x", "constraints": {"minLength": 1.5}}), ["« x »", "« minLength »"]),
        (
            _schema({"name": "x", "constraints": {"minLength": 5, "maxLength": 2}}),
            ["« x »", "minLength", "maxLength"],
        ),
        (_schema({"name": "x", "constraints": {"enum": []}}), ["« x »", "« enum »", "non vide"]),
        (_schema({"name": "x", "constraints": {"enum": ["a", 1]}}), ["« x »", "valeur 1", "pas un texte"]),
        (
            _schema({"name": "x", "type": "integer", "constraints": {"enum": [1, "deux"]}}),
            ["« x »", "« deux »", "nombre entier"],
        ),
        (
            _schema({"name": "x", "type": "number", "constraints": {"minimum": "zéro"}}),
            ["« x »", "« minimum »"],
        ),
        (
            _schema({"name": "x", "type": "integer", "constraints": {"maximum": True}}),
            ["« x »", "« maximum »"],
        ),
        (
            _schema({"name": "x", "type": "integer", "constraints": {"minimum": 10, "maximum": 1}}),
            ["« x »", "aucune valeur possible"],
        ),
        (
            _schema({"name": "x", "type": "number", "constraints": {"exclusiveMinimum": 1, "maximum": 1}}),
            ["« x »", "aucune valeur possible"],
        ),
        (
            _schema({"name": "x", "type": "date", "constraints": {"minimum": "01/02/2020"}}),
            ["« x »", "une date"],
        ),
        (
            _schema(
                {"name": "x", "type": "date", "format": "%d/%m/%Y", "constraints": {"minimum": "2020-02-01"}}
            ),
            ["« x »", "au format « %d/%m/%Y »"],
        ),
        (
            _schema({"name": "x", "type": "yearmonth", "constraints": {"maximum": "2020-13"}}),
            ["« x »", "année-mois"],
        ),
        (_schema({"name": "x", "constraints": {"pattern": 12}}), ["« x »", "« pattern »", "texte"]),
        (_schema({"name": "x", "constraints": {"pattern": "^(ab$"}}), ["« x »", "^(ab$", "position"]),
        (_schema({"name": "x", "constraints": {"pattern": "[z-a]"}}), ["« x »", "[z-a]"]),
        (_schema({"name": "x", "trueValues": ["oui", "1"], "falseValues": ["non", "1"]}), ["« x »", "« 1 »"]),
        (_schema({"name": "x", "trueValues": "oui"}), ["« x »", "trueValues"]),
        (_schema({"name": "x", "decimalChar": ",", "groupChar": ","}), ["« x »", "decimalChar", "groupChar"]),
        (_schema({"name": "x", "decimalChar": ""}), ["« x »", "decimalChar"]),
        (_schema({"name": "x", "bareNumber": "no"}), ["« x »", "bareNumber"]),
        (_schema({"name": "x", "missingValues": [None]}), ["« x »", "missingValues"]),
        (_schema({"name": "x", "arrayItem": "string"}), ["« x »", "arrayItem"]),
        (_schema({"name": "id"}), ["plusieurs fois", "« id »"]),
        (_schema(missingValues="NA"), ["missingValues"]),
        (_schema(primaryKey="nope"), ["clé primaire", "« nope »"]),
        (_schema(primaryKey=[1]), ["primaryKey"]),
        (_schema(foreignKeys={}), ["foreignKeys", "liste"]),
        (
            _schema(foreignKeys=[{"fields": "nope", "reference": {"resource": "r", "fields": "id"}}]),
            ["clé étrangère n°1", "« nope »"],
        ),
        (
            _schema(foreignKeys=[{"fields": ["id"], "reference": {"resource": "r", "fields": ["a", "b"]}}]),
            ["clé étrangère n°1", "même nombre"],
        ),
        (_schema(custom_checks={}), ["custom_checks", "liste"]),
        (_schema(custom_checks=[{"params": {}}]), ["contrôle personnalisé n°1", "« name »"]),
        (_schema(custom_checks=["french-siret-value"]), ["contrôle personnalisé n°1"]),
        (
            _schema(custom_checks=[{"name": "french-siret-value", "params": ["id"]}]),
            ["« french-siret-value »", "« params »"],
        ),
        (
            _schema(custom_checks=[{"name": "french-siret-value", "params": {"column": "SIRET"}}]),
            ["« french-siret-value »", "« column »", "« SIRET »", "n'existe pas"],
        ),
        (
            _schema(custom_checks=[{"name": "one-of-required", "params": {"column1": "id", "column2": 3}}]),
            ["« one-of-required »", "« column2 »"],
        ),
        (
            _schema(
                custom_checks=[{"name": "sum-columns-value", "params": {"column": "id", "columns": "id"}}]
            ),
            ["« sum-columns-value »", "« columns »", "liste"],
        ),
        (
            _schema(
                custom_checks=[
                    {"name": "cohesive-columns-value", "params": {"column": "id", "othercolumns": ["x"]}}
                ]
            ),
            ["« cohesive-columns-value »", "« othercolumns »", "« x »"],
        ),
    ],
)
def test_invalid_schemas_are_refused_saying_what_and_where(descriptor: Any, fragments: list[str]) -> None:
    with pytest.raises(SchemaError) as caught:
        parse_table_schema(descriptor, source="schéma « test »")
    for fragment in fragments:
        assert fragment in caught.value.message


def test_messages_name_the_schema() -> None:
    with pytest.raises(SchemaError, match=r"du schéma « scdl/test@1\.0 »"):
        parse_table_schema(_schema({"name": "x", "type": "texte"}), source="schéma « scdl/test@1.0 »")


def test_one_of_required_accepts_column_or_column1() -> None:
    for params in ({"column": "id", "column2": "b"}, {"column1": "id", "column2": "b"}):
        schema = parse_table_schema(
            {
                "fields": [{"name": "id"}, {"name": "b"}],
                "custom_checks": [{"name": "one-of-required", "params": params}],
            }
        )
        assert schema.custom_checks[0].params == params


def test_numeric_bounds_written_as_text_are_accepted() -> None:
    # datagouv/schema-fontaine-eau writes "minimum": "-90"; frictionless reads it with the field's type.
    schema = parse_table_schema(
        _schema({"name": "lat", "type": "number", "constraints": {"minimum": "-90", "maximum": "90"}})
    )
    lat = schema.get_field("lat")
    assert lat is not None and lat.constraints == {"minimum": "-90", "maximum": "90"}


def test_bounds_follow_the_field_format() -> None:
    schema = parse_table_schema(
        _schema({"name": "d", "type": "date", "format": "%d/%m/%Y", "constraints": {"minimum": "01/02/2020"}})
    )
    assert schema.fields[1].constraints["minimum"] == "01/02/2020"


def test_constraints_that_do_not_apply_are_dropped_with_a_warning() -> None:
    schema = parse_table_schema(
        _schema({"name": "n", "type": "integer", "constraints": {"pattern": "^\\d+$", "minimum": 0}})
    )
    n = schema.get_field("n")
    assert n is not None and n.constraints == {"minimum": 0}
    assert len(schema.warnings) == 1
    assert "« pattern »" in schema.warnings[0] and "« n »" in schema.warnings[0]


def test_misplaced_and_misspelt_properties_are_reported_as_warnings() -> None:
    schema = parse_table_schema(
        _schema(
            {"name": "x", "enum": ["a"], "contraints": {"required": True}, "exemple": "a", "rdfType": "t"}
        )
    )
    text = "\n".join(schema.warnings)
    assert "« enum » est écrit au niveau du champ" in text
    assert "« contraints »" in text and "« constraints »" in text
    assert "« exemple »" in text and "« example »" in text
    assert "rdfType" not in text
    assert len(schema.warnings) == 3
    assert not schema.fields[1].required


def test_a_format_without_meaning_is_a_warning() -> None:
    schema = parse_table_schema(_schema({"name": "n", "type": "integer", "format": "entier"}))
    assert "format « entier »" in schema.warnings[0]


def test_python_compatible_patterns_of_the_real_schemas_compile() -> None:
    # Backreferences and escaped non-ASCII punctuation (cnigfr/schema-friches, CEREMA) are valid in Python.
    for pattern in (r"^(\d)\1$", r"^[A-Z\–\’ ]+$"):
        parse_table_schema(_schema({"name": "x", "constraints": {"pattern": pattern}}))


def test_the_descriptor_is_kept_verbatim() -> None:
    descriptor = _schema({"name": "x", "type": "integer", "constraints": {"pattern": "a"}}, custom="kept")
    before = copy.deepcopy(descriptor)
    schema = parse_table_schema(descriptor)
    assert schema.descriptor == before
    assert schema.fields[1].descriptor["constraints"] == {"pattern": "a"}


def test_snapshot_schemas_with_known_oddities_load_with_warnings() -> None:
    schema = load_schema("cnigfr/unite-paysagere")
    assert any("« enum » est écrit au niveau du champ" in w for w in schema.warnings)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
_field = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=5)},
    optional={
        "type": st.sampled_from(sorted(FIELD_TYPES)) | st.text(max_size=5),
        "format": st.sampled_from(["default", "email", "%Y", "any"]) | _json,
        "constraints": st.dictionaries(
            st.sampled_from(["required", "unique", "minimum", "maximum", "minLength", "enum", "pattern"]),
            _json,
            max_size=3,
        ),
        "trueValues": _json,
        "decimalChar": _json,
    },
)


@given(
    fields=st.lists(_field, min_size=1, max_size=4),
    extra=st.dictionaries(
        st.sampled_from(["primaryKey", "missingValues", "custom_checks", "foreignKeys"]), _json, max_size=2
    ),
)
def test_any_descriptor_is_parsed_or_refused_with_a_schema_error(
    fields: list[dict[str, Any]], extra: dict[str, Any]
) -> None:
    try:
        schema = parse_table_schema({"fields": fields, **extra})
    except SchemaError as exc:
        assert exc.message
    else:
        assert [f.name for f in schema.fields] == [f["name"] for f in fields]
