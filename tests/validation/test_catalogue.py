"""The error catalogue is complete, and its generated documentation is up to date."""

from __future__ import annotations

import importlib.util
import re

import polars as pl
import pytest

from socle.validation import catalogue
from tests.conftest import REPO


def test_every_entry_has_a_title_a_template_and_a_doc() -> None:
    for entry in catalogue.CATALOGUE.values():
        assert entry.title.strip(), entry.key
        assert entry.template.strip(), entry.key
        assert len(entry.doc.strip()) > 20, entry.key
        assert entry.category in {"structure", "body", "schema"}


def test_every_custom_check_code_is_in_the_catalogue() -> None:
    from socle.validation.custom_checks import load_registry

    for name, cls in load_registry().items():
        for code in cls.codes:
            assert code in catalogue.CODES, f"{name} reports {code}, absent from the catalogue"


def test_message_expression_fills_placeholders_per_row() -> None:
    frame = pl.DataFrame({"value": ["12,5", None]})
    expr = catalogue.message("type-error", "integer", value=pl.col("value"))
    out = frame.select(expr.alias("m")).to_series().to_list()
    assert out[0] == "La valeur « 12,5 » n'est pas un nombre entier (par exemple 12 ou -3)."
    assert out[1].startswith("La valeur «  »")


def test_message_refuses_a_missing_parameter() -> None:
    with pytest.raises(KeyError):
        catalogue.message("constraint-error", "minLength", value=pl.col("v"))


def test_text_and_unknown_codes() -> None:
    assert (
        catalogue.text("missing-label", field="COLL_NOM")
        == "La colonne obligatoire « COLL_NOM » est absente du fichier."
    )
    with pytest.raises(KeyError):
        catalogue.entry("constraint-error", "nope")
    with pytest.raises(KeyError):
        catalogue.entry("no-such-code")


def test_templates_use_only_known_placeholders() -> None:
    known = {
        "value",
        "field",
        "row",
        "column",
        "columns",
        "expected",
        "check",
        "reason",
        "limit",
        "hint",
        "allowed",
        "first_row",
        "key",
        "op_text",
        "other",
        "other_value",
        "absent",
        "items",
        "constraint",
    }
    for entry in catalogue.CATALOGUE.values():
        used = set(re.findall(r"\{(\w+)\}", entry.template))
        assert used <= known, (entry.key, used - known)


def test_generated_docs_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path, text in module.outputs().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} est périmé : lancez scripts/gen_docs.py"
        )
