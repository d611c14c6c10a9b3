"""The ``socle`` command as a process: exit codes survive the quick exit, and a reader that stops early
(``socle … | head``) gets neither a traceback nor an internal-error message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SUBVENTIONS_HEADER = (
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,"
    "rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,"
    "notificationUE,pourcentageSubvention,dispositifAide"
)


def _command(*args: str) -> list[str]:
    # The console script's function, run as the installed command runs it.
    return [sys.executable, "-c", "from socle.cli import entry; entry()", *args]


def test_exit_codes_are_kept(tmp_path: Path) -> None:
    sample = REPO / "src" / "socle" / "data" / "exemples" / "subventions-exemple.csv"
    done = subprocess.run(
        _command("validate", str(sample), "--schema", "scdl/subventions"), capture_output=True, check=False
    )
    assert done.returncode == 1
    assert "Rapport de validation" in done.stdout.decode("utf-8")
    absent = str(tmp_path / "absent.csv")
    missing = subprocess.run(_command("validate", absent, "--schema", "scdl/subventions"), check=False)
    assert missing.returncode == 2


def test_a_reader_that_stops_early_gets_no_error_message(tmp_path: Path) -> None:
    rows = "\n".join(
        f"Commune de Test,21540001000019,2024-01-0{i % 9 + 1},D{i},Asso,12345678900011,,Objet,pas un montant,"
        "aide en numéraire,,,,,,"
        for i in range(20_000)
    )
    path = tmp_path / "big.csv"
    path.write_text(f"{SUBVENTIONS_HEADER}\n{rows}\n", encoding="utf-8")
    process = subprocess.Popen(
        _command("validate", str(path), "--schema", "scdl/subventions", "--format", "json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(100)
    process.stdout.close()  # the report is several megabytes: the command meets a closed pipe
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141
    assert head.startswith(b'{"format_version"')
    assert "Erreur" not in errors and "Traceback" not in errors


def test_the_command_tunes_its_runtime_unless_the_user_did() -> None:
    probe = (
        "import os; from socle.cli import tune_runtime; tune_runtime(); "
        "print(os.environ['_RJEM_MALLOC_CONF'], os.environ['OPENBLAS_NUM_THREADS'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"_RJEM_MALLOC_CONF", "OPENBLAS_NUM_THREADS"}}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["dirty_decay_ms:1000,muzzy_decay_ms:0", "1"]
    mine = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**env, "_RJEM_MALLOC_CONF": "narenas:1", "OPENBLAS_NUM_THREADS": "2"},
        check=True,
    )
    assert mine.stdout.split() == ["narenas:1", "2"]
