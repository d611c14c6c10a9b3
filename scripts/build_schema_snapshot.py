#!/usr/bin/env python3
"""Rebuild the schema catalogue snapshot bundled with Socle (``src/socle/schemas/data/``).

Usage, from the repository root::

    .venv/bin/python scripts/build_schema_snapshot.py \
        [--source ../shared/schemas] [--output src/socle/schemas/data]

The source is a copy of schema.data.gouv.fr's ``latest`` folders with ``schemas.json`` and
``schemas-scdl.json``. The output is replaced as a whole and is byte-for-byte reproducible; commit it.
``tests/schemas/test_snapshot.py`` fails when the committed snapshot differs from what this builds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from socle.errors import SocleError  # noqa: E402 - needs the sys.path line above when run from a checkout
from socle.schemas.snapshot import build_snapshot  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reconstruit l'instantané du catalogue de schémas embarqué.")
    parser.add_argument(
        "--source", type=Path, default=REPO.parent / "shared" / "schemas", help="copie de schema.data.gouv.fr"
    )
    parser.add_argument(
        "--output", type=Path, default=REPO / "src" / "socle" / "schemas" / "data", help="dossier produit"
    )
    args = parser.parse_args(argv)
    if not (args.source / "schemas.json").is_file():
        print(f"Erreur : « {args.source}/schemas.json » est introuvable.", file=sys.stderr)
        return 2
    try:
        summary = build_snapshot(args.source, args.output)
    except SocleError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(
        f"Instantané écrit dans {args.output} : {summary.entries} schémas au catalogue, "
        f"{summary.stored} documents stockés, {summary.scdl} schémas SCDL."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
