"""The synthetic data generator of bench/: its ground truth is exact, and it is deterministic.

Standard checks are judged by frictionless itself; custom checks by a small, independent,
row-by-row implementation of the rules written here (not the generator's code), applied to the
CSV as written; and, when a validata-table virtualenv is at hand, by Validata too.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

import datagen

ROWS = 2000

# Columns matched by name as Validata does (schema_sync); frictionless now prefers "fieldsMatch".
pytestmark = pytest.mark.filterwarnings("ignore:The --schema-sync option is deprecated:DeprecationWarning")

# frictionless says 'type is "date/default"' or 'constraint "maxLength" is "256"': the detail is inside.
_NOTE_DETAIL = re.compile(r'^(?:type is|constraint) "([^"]+)"')


@pytest.fixture(scope="module", params=datagen.DATASETS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, datagen.Truth]:
    dataset = request.param
    path = tmp_path_factory.mktemp(dataset) / f"{dataset}.csv"
    truth = datagen.generate(dataset, ROWS, path, seed=7)
    return path, truth


def _frictionless_findings(
    path: Path, dataset: datagen.Dataset
) -> set[tuple[int | None, str, str, str | None]]:
    frictionless = pytest.importorskip("frictionless")
    schema = frictionless.Schema.from_descriptor(
        json.loads(datagen.schema_path(dataset).read_text(encoding="utf-8"))
    )
    resource = frictionless.Resource(
        path.name, basepath=str(path.parent), schema=schema, detector=frictionless.Detector(schema_sync=True)
    )
    report = resource.validate(limit_errors=10**9)
    found = set()
    for task in report.tasks:
        for error in task.errors:
            note = _NOTE_DETAIL.match(error.note or "")
            detail = None
            if error.type in ("type-error", "constraint-error") and note:
                detail = note.group(1).removesuffix("/default")
            found.add(
                (
                    getattr(error, "row_number", None),
                    getattr(error, "field_name", None) or "",
                    error.type,
                    detail,
                )
            )
    return found


def test_standard_findings_are_exactly_those_of_frictionless(generated: tuple[Path, datagen.Truth]) -> None:
    path, truth = generated
    expected = {(f.row, f.field, f.code, f.detail) for f in truth.findings if not f.is_custom}
    assert _frictionless_findings(path, truth.dataset) == expected


# --- An independent reading of the custom checks, for the rows as written ---------------------------

_ACTES_PREFIXES = {
    "commande publique", "urbanisme", "domaine et patrimoine", "fonction publique",
    "institutions et vie politique", "libertes publiques et pouvoirs de police", "finances locales",
    "domaines de competences par themes", "autres domaines de competences",
}  # fmt: skip


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _siret_ok(value: str) -> bool:
    return len(value) == 14 and value.isdigit() and _luhn_ok(value) and _luhn_ok(value[:9])


def _date(value: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"[+-]?\d+", value) else None


def _deliberation_findings(r: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    if r["COLL_SIRET"] and not _siret_ok(r["COLL_SIRET"]):
        out.append(("COLL_SIRET", "french-siret-value"))
    annee = r["BUDGET_ANNEE"]
    if annee:
        single = re.fullmatch(r"\d{4}", annee)
        pair = re.fullmatch(r"(\d{4})/(\d{4})", annee)
        if not single and not (pair and int(pair[1]) < int(pair[2])):
            out.append(("BUDGET_ANNEE", "year-interval-value"))
    if bool(r["BUDGET_ANNEE"]) != bool(r["BUDGET_NOM"]):
        out.append(("BUDGET_ANNEE", "cohesive-columns-value"))
    votes = ["VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]
    if len({bool(r[v]) for v in votes}) > 1:
        out.append(("VOTE_EFFECTIF", "cohesive-columns-value"))
    pref, delib = _date(r["PREF_DATE"]), _date(r["DELIB_DATE"])
    if pref and delib and pref < delib:
        out.append(("PREF_DATE", "compare-columns-value"))
    n = {v: _int(r[v]) for v in votes}
    for big, small in [("VOTE_EFFECTIF", "VOTE_REEL"), *[("VOTE_REEL", v) for v in votes[2:]]]:
        high, low = n[big], n[small]
        if high is not None and low is not None and high < low:
            out.append((big, "compare-columns-value"))
    parts = [n[v] for v in votes[1:]]
    if all(p is not None for p in parts) and parts[0] != sum(p for p in parts[1:] if p is not None):
        out.append(("VOTE_REEL", "sum-columns-value"))
    nom = r["DELIB_MATIERE_NOM"]
    if nom and ("/" not in nom or "/ " in nom or _fold(nom.split("/")[0]) not in _ACTES_PREFIXES):
        out.append(("DELIB_MATIERE_NOM", "nomenclature-actes-value"))
    return out


def _subvention_findings(r: dict[str, str]) -> list[tuple[str, str]]:
    out = [
        (f, "french-siret-value") for f in ("idAttribuant", "idBeneficiaire") if r[f] and not _siret_ok(r[f])
    ]
    if not r["idBeneficiaire"] and not r["rnaBeneficiaire"]:
        out.append(("", "one-of-required"))
    return out


def _custom_findings(path: Path, dataset: datagen.Dataset) -> set[tuple[int, str, str]]:
    rule = _deliberation_findings if dataset == "deliberations" else _subvention_findings
    found: set[tuple[int, str, str]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        for number, cells in enumerate(reader, start=2):
            # Structure defects are reported alone (the truth's rules): nothing more to judge.
            if len(cells) != len(header) or not any(cells):
                continue
            found.update((number, f, code) for f, code in rule(dict(zip(header, cells, strict=True))))
    return found


def test_custom_findings_follow_from_the_rows_as_written(generated: tuple[Path, datagen.Truth]) -> None:
    path, truth = generated
    assert _custom_findings(path, truth.dataset) == truth.custom()


def test_an_error_free_file_is_valid(tmp_path: Path) -> None:
    for dataset in datagen.DATASETS:
        path = tmp_path / f"{dataset}.csv"
        truth = datagen.generate(dataset, ROWS, path, error_rate=0, seed=3)
        assert truth.findings == []
        assert _frictionless_findings(path, dataset) == set()
        assert _custom_findings(path, dataset) == set()


# --- Shape of the output ------------------------------------------------------------------------


def test_every_kind_of_defect_is_present_and_rows_count_like_frictionless(
    generated: tuple[Path, datagen.Truth],
) -> None:
    path, truth = generated
    kinds = {k.name for k in datagen.kinds(truth.dataset)}
    assert {f.kind for f in truth.findings} == kinds
    # One defect per row, error_rate of the cells.
    defects = {f.row for f in truth.findings}
    n_fields = len(next(csv.reader(path.open(encoding="utf-8"))))
    assert len(defects) == round(0.01 * ROWS * n_fields)
    assert min(defects) >= 2 and max(defects) <= ROWS + 1
    assert sum(1 for _ in path.open(encoding="utf-8")) == ROWS + 1


def test_the_same_seed_gives_the_same_file_and_truth(tmp_path: Path) -> None:
    for dataset in datagen.DATASETS:
        a, b, c = (tmp_path / f"{dataset}-{i}.csv" for i in range(3))
        truth_a = datagen.generate(dataset, 500, a, seed=11, truth_path=tmp_path / "a.json")
        truth_b = datagen.generate(dataset, 500, b, seed=11, truth_path=tmp_path / "b.json")
        datagen.generate(dataset, 500, c, seed=12)
        assert a.read_bytes() == b.read_bytes()
        assert truth_a == truth_b
        assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
        assert datagen.Truth.read(tmp_path / "a.json") == truth_a
        assert a.read_bytes() != c.read_bytes()


def test_the_error_rate_cannot_exceed_one_bad_cell_per_row(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="more than the"):
        datagen.generate("subventions", 100, tmp_path / "x.csv", error_rate=0.2)


def test_command_line(tmp_path: Path) -> None:
    out, truth = tmp_path / "d.csv", tmp_path / "d.json"
    assert datagen.main(["deliberations", "300", str(out), "--seed", "2", "--truth", str(truth)]) == 0
    data = json.loads(truth.read_text(encoding="utf-8"))
    assert data["rows"] == 300 and data["seed"] == 2 and data["dataset"] == "deliberations"
    assert len(data["findings"]) >= round(0.01 * 300 * 17)


# --- Validata, when its virtualenv exists (bench/validate.py creates it) ------------------------

_VALIDATA = Path(
    os.environ.get(
        "SOCLE_VALIDATA_PYTHON", str(datagen.REPO / "bench" / ".cache" / "validata-venv" / "bin" / "python")
    )
)


@pytest.mark.slow
def test_validata_agrees_but_for_its_known_mistakes(
    generated: tuple[Path, datagen.Truth], tmp_path: Path
) -> None:
    assert _VALIDATA.exists(), (
        "no validata-table virtualenv: ./test makes it (bench/validate.py --setup-only)"
    )
    path, truth = generated
    dump = tmp_path / "validata.jsonl"
    driver = datagen.REPO / "bench" / "drivers" / "validata_run.py"
    subprocess.run(
        [
            str(_VALIDATA),
            str(driver),
            str(path),
            str(datagen.schema_path(truth.dataset)),
            "--dump",
            str(dump),
        ],
        check=True,
        capture_output=True,
    )
    got = {tuple(json.loads(line)) for line in dump.read_text(encoding="utf-8").splitlines()}
    expected = truth.standard() | truth.custom()
    assert expected - got == set()
    kinds_by_row = {f.row: f.kind for f in truth.findings}
    extra = Counter((kinds_by_row.get(row), code) for row, _, code in got - expected)
    known = {
        # A non-integer vote count also breaks "cohesive columns" for Validata (see ../shared/README.md).
        *((f"integer-{v}", "cohesive-columns-value") for v in datagen._VOTES),
        # Validata runs one-of-required on blank rows, which frictionless reports alone.
        ("blank-row", "one-of-required"),
    }
    assert set(extra) <= known, extra
