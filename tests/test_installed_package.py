"""Smoke test of the installed product: a fresh virtualenv, a real (non-editable) install, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv with Socle installed from a copy of the sources, as a user would install it."""
    root = tmp_path_factory.mktemp("install")
    source = root / "src-copy"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "bench", "tests", "var", "*.egg-info", "__pycache__", ".*_cache", "*.so"
        ),
    )
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(source)], check=True, capture_output=True, text=True)
    shutil.rmtree(source)  # the installed package must not need its sources, nor ../shared
    return venv / "bin" / "socle"


def run(socle: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [str(socle), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False
    )


@pytest.mark.slow
def test_installed_cli_help_and_exit_codes(installed: Path, tmp_path: Path) -> None:
    help_ = run(installed, "--help", cwd=tmp_path)
    assert help_.returncode == 0
    assert "validate" in help_.stdout

    valid = run(
        installed,
        "validate",
        str(CORPUS / "scdl/subventions/exemple_valide.csv"),
        "-s",
        "scdl/subventions",
        cwd=tmp_path,
    )
    assert valid.returncode == 0, valid.stderr
    assert "valide" in valid.stdout

    invalid_file = CORPUS / "scdl/subventions/exemple_invalide_erreurs_cellules.csv"
    invalid = run(
        installed, "validate", str(invalid_file), "-s", "scdl/subventions", "--format", "json", cwd=tmp_path
    )
    assert invalid.returncode == 1, invalid.stderr
    assert '"valid": false' in invalid.stdout

    unusable = tmp_path / "vide.csv"
    unusable.write_bytes(b"")
    refused = run(installed, "validate", str(unusable), "-s", "scdl/subventions", cwd=tmp_path)
    assert refused.returncode == 2
    assert "Erreur" in refused.stderr
    assert "Traceback" not in refused.stderr

    demo = run(installed, "demo", cwd=tmp_path)
    assert demo.returncode == 1
    assert "subventions-exemple.csv" in demo.stdout

    listing = run(installed, "schemas", "list", "--scdl", cwd=tmp_path)
    assert listing.returncode == 0
    assert "scdl/deliberations" in listing.stdout

    # The install compiled the C scanner of CSV bytes (its numpy fallback is for machines without a
    # C compiler).
    python = installed.parent / "python"
    built = subprocess.run(
        [
            str(python),
            "-c",
            "import socle.io._scanner, socle.io.csv_reader as r; print(r._scanner is not None)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert built.stdout.strip() == "True", built.stderr
