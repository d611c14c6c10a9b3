"""``siret-compact``, on the fields of scdl/subventions: ``idAttribuant`` (pattern ``^\\d{14}$`` and
``french-siret-value``) and ``idBeneficiaire`` (``french-siret-value`` only)."""

from __future__ import annotations

from .fixes_support import changed, flagged, run, schema_of

ATTRIBUANT = {"name": "idAttribuant", "constraints": {"pattern": "^\\d{14}$"}}
BENEFICIAIRE = {"name": "idBeneficiaire"}
SCHEMA = schema_of(
    ATTRIBUANT,
    BENEFICIAIRE,
    {"name": "montant", "type": "number"},
    custom_checks=[
        {"name": "french-siret-value", "params": {"column": "idAttribuant"}},
        {"name": "french-siret-value", "params": {"column": "idBeneficiaire"}},
    ],
)


def test_separators_are_removed() -> None:
    cells = [
        "228 000 014 00016",
        "228\u00a0000\u00a0014\u00a000016",
        "228.000.014.00016",
        "228-000-014-00016",
        " 22800001400016 ",
        "22800001400016.0",
        "2,2800001400016E+13",  # every digit is still there
    ]
    assert changed("siret-compact", ATTRIBUANT, cells, schema=SCHEMA) == ["22800001400016"] * len(cells)


def test_lost_digits_are_flagged() -> None:
    cells = ["8,03E+13", "2.28E+13", "2,280000140001E+13"]  # the last one may have lost a final digit
    assert flagged("siret-compact", ATTRIBUANT, cells, schema=SCHEMA) == [True, True, True]
    assert flagged("siret-compact", BENEFICIAIRE, cells, schema=SCHEMA) == [True, True, True]


def test_what_the_schema_accepts_stays() -> None:
    # french-siret-value reads "228 000 014 00016" as python-stdnum does: valid, so left alone.
    assert changed("siret-compact", BENEFICIAIRE, ["228 000 014 00016", "22800001400016"], schema=SCHEMA) == [
        "228 000 014 00016",
        "22800001400016",
    ]


def test_wrong_numbers_are_not_made_up() -> None:
    cells = ["228 000 014", "2280000140001", "228 000 014 00017", "abc", ""]
    # Compacting 228 000 014 00017 gives a number with a wrong key: the check would still refuse it.
    assert changed("siret-compact", ATTRIBUANT, cells, schema=SCHEMA) == cells


def test_siren_fields_by_check_or_by_name() -> None:
    schema = schema_of(
        {"name": "siren_collectivite", "constraints": {"pattern": "^[0-9]{9}$"}},
        {"name": "id", "constraints": {"pattern": "^[0-9]{9}$"}},
        custom_checks=[{"name": "french-siren-value", "params": {"column": "id"}}],
    )
    for name in ("siren_collectivite", "id"):
        field = next(f for f in [{"name": "siren_collectivite"}, {"name": "id"}] if f["name"] == name)
        out = run("siret-compact", field, ["228 000 014", "228.000.014", "228 000 014 00016"], schema=schema)
        assert [value for value, _ in out] == ["228000014", "228000014", "228 000 014 00016"]


def test_applies_to_identifier_fields_only() -> None:
    from socle.importing.fixes import load_registry

    rule = load_registry()["siret-compact"]()
    assert [rule.applies_to(f, SCHEMA) for f in SCHEMA.fields] == [True, True, False]
