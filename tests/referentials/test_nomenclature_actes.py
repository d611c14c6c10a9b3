"""The shipped @ctes nomenclature: built from shared/ by the script, read by the package."""

from __future__ import annotations

from pathlib import Path

from socle.referentials import nomenclature_actes

from .conftest import REPO, SHARED, build_script

DATA = REPO / "src" / "socle" / "referentials" / "data"


def test_shipped_files_are_what_the_script_builds() -> None:
    built = build_script().build_all(SHARED)
    assert set(built) == {p.name for p in DATA.glob("*.json")}
    for name, text in built.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, (
            f"relancer scripts/build_referentials.py ({name})"
        )


def test_the_script_writes_where_asked(tmp_path: Path) -> None:
    assert build_script().main(["--shared", str(SHARED), "--output", str(tmp_path)]) == 0
    assert (tmp_path / "nomenclature_actes.json").read_bytes() == (
        DATA / "nomenclature_actes.json"
    ).read_bytes()
    assert build_script().main(["--shared", str(tmp_path / "absent"), "--output", str(tmp_path)]) == 2


def test_contents() -> None:
    n = nomenclature_actes.load()
    assert n.date_classification == "2017-11-13"
    assert [x.abbreviation for x in n.natures] == ["DE", "AR", "AI", "CC", "BF", "AU"]
    assert [m.code for m in n.matieres] == [str(i) for i in range(1, 10)]
    assert len(n.level2()) == 57
    finances = n.matieres[6]
    assert finances.label == "Finances locales"
    assert [c.code for c in finances.children][-2:] == ["7.9", "7.10"]
    urbanisme = n.matieres[1]
    assert urbanisme.children[0].label == "Documents d urbanisme"  # the stray final space is gone


def test_level1_spellings() -> None:
    n = nomenclature_actes.load()
    police = n.matieres[5]
    assert police.spellings == (
        "Libertes publiques et pourvoirs de police",
        "Libertés publiques et pouvoirs de police",
    )
    assert n.matieres[0].spellings == ("Commande Publique", "Commande publique")
    assert len(n.level1_keys()) == 10  # nine matières, n°6 under two spellings
    assert (
        nomenclature_actes.fold("Domaines de compe\u0301tences par THÈMES")
        == "domaines de competences par themes"
    )
    assert nomenclature_actes.fold("Domaines de compe\u0301tences par THÈMES") in n.level1_keys()


def test_loaded_once() -> None:
    assert nomenclature_actes.load() is nomenclature_actes.load()
