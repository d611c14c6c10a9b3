"""nomenclature-actes-value / nomenclature-acte."""

from __future__ import annotations

import pytest

from socle.validation.custom_checks.base import CheckParamsError

from .conftest import instantiate, make_context, run, schema_of

# Validata 0.12.5's verdicts on these cells (checked by running it); Socle agrees on all of them.
VALIDATA_AGREES = {
    "Urbanisme/Documents d urbanisme": True,
    "urbanisme/x": True,  # case ignored
    "URBANISME/": True,  # nothing is required after the slash
    "Urbanisme": False,  # no slash
    "Urbanisme /x": False,  # space before the slash
    "Urbanisme/ x": False,  # space after the slash
    " Urbanisme/x": False,
    "Libertés publiques et pouvoirs de police/Police municipale": True,
    "LIBERTÉS PUBLIQUES ET POUVOIRS DE POLICE/x": True,  # accents and case ignored
    "Domaines de compétences par thèmes/Culture": True,
    "Domaines de competences par themes/Culture": True,
    "Commande publique/a/b": True,  # only the part before the first slash is a matière
    "Finances locales/Subventions/ x": False,  # a space after any slash
    "Autre/x": False,
    "/x": False,
    "Urbanisme\t/x": False,
    "Urbanisme/x\n": True,
    "urbanism/e": False,
}


def _failing(cells: list[str]) -> list[int]:
    found = run(
        "nomenclature-actes-value", {"column": "m"}, ["id", "m"], ["id", "m"], [["1", c] for c in cells]
    )
    assert all(f[0] == "nomenclature-actes-value" and f[3] == "m" and f[4] == 2 for f in found)
    assert [f[5] for f in found] == [cells[f[2] - 2] for f in found]
    return [f[2] for f in found]


def test_verdicts_shared_with_validata() -> None:
    cells = list(VALIDATA_AGREES)
    expected = [row for row, cell in enumerate(cells, start=2) if not VALIDATA_AGREES[cell]]
    assert _failing(cells) == expected


def test_a_value_without_slash_ending_with_an_extra_character_is_refused() -> None:
    # Validata accepts "Urbanisme." (it cuts the value at find("/") = -1, dropping the last character).
    # Socle refuses it: without "/", there is no matière then sous-matière.
    assert _failing(["Urbanisme.", "Urbanismes", "Finances locales!"]) == [2, 3, 4]


def test_the_ctes_spelling_of_matiere_6_is_accepted_too() -> None:
    # The @ctes classification writes "pourvoirs" (sic); SCDL and Validata "pouvoirs". Validata refuses
    # the @ctes spelling; Socle accepts both, since files exported from @ctes carry it.
    assert _failing(["Libertes publiques et pourvoirs de police/Police municipale"]) == []


def test_decomposed_accents_are_accents() -> None:
    # "é" written as "e" + combining acute (as macOS files may): Validata refuses it, Socle reads it as "é".
    assert _failing(["Domaines de compe\u0301tences par the\u0300mes/Culture"]) == []


def test_reasons_say_what_is_wrong() -> None:
    schema = schema_of(["m"], [{"name": "nomenclature-actes-value", "params": {"column": "m"}}])
    rows = [["Urbanisme"], ["Urbanisme /x"], ["Autre/x"], ["/x"], [" Urbanisme/x"]]
    ctx = make_context(schema, ["m"], rows)
    check = instantiate("nomenclature-actes-value", {"column": "m"}, schema)
    messages = check.check(ctx).sort("row").get_column("message").to_list()
    assert "manque" in messages[0] and "« Urbanisme »" in messages[0]
    assert "ni précédée ni suivie" in messages[1]
    assert "« Autre » n'est pas une matière de niveau 1" in messages[2]
    assert "manque avant la barre oblique" in messages[3]
    assert "commencer par une espace" in messages[4]


def test_newer_validata_name_is_the_same_check() -> None:
    rows = [["Urbanisme"], ["Urbanisme/x"], ["Autre/y"]]
    old = run("nomenclature-actes-value", {"column": "m"}, ["m"], ["m"], rows)
    assert old == run("nomenclature-acte", {"column": "m"}, ["m"], ["m"], rows)
    assert [f[2] for f in old] == [2, 4]


def test_empty_cells_and_absent_column_are_skipped() -> None:
    assert run("nomenclature-actes-value", {"column": "m"}, ["m", "x"], ["m", "x"], [["", "a"]]) == []
    assert run("nomenclature-actes-value", {"column": "m"}, ["m", "x"], ["x"], [["Autre"]]) == []


def test_params_are_checked() -> None:
    with pytest.raises(CheckParamsError):
        instantiate("nomenclature-actes-value", {"colonne": "m"}, schema_of(["m"]))
