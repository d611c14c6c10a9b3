#!/usr/bin/env bash
# Creates .venv with Python 3.12 or 3.13 and installs Socle into it (with the dev tools if asked).
# Usage: scripts/bootstrap.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local candidate
    for candidate in python3.12 python3.13; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1; then
            command -v "$candidate"; return 0
        fi
    done
    for candidate in "$HOME"/.pyenv/versions/3.12*/bin/python3.12 "$HOME"/.pyenv/versions/3.13*/bin/python3.13 \
                     /usr/bin/python3.12 /usr/bin/python3.13 /usr/local/bin/python3.12 /usr/local/bin/python3.13; do
        if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
    done
    if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
        command -v python3; return 0
    fi
    return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    PY=$(find_python) || { echo "Python 3.12 ou 3.13 est nécessaire : installez-le puis relancez." >&2; exit 2; }
    rm -rf .venv
    "$PY" -m venv .venv
fi

extra="[web]"
[ "${1:-}" = "dev" ] && extra="[dev,web]"
stamp=".venv/.installed$extra"
# Reinstalled when the packaging or the C scanner changed (pip compiles it; without a C compiler
# Socle falls back to its numpy scanner).
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ setup.py -nt "$stamp" ] \
        || [ src/socle/io/_scanner.c -nt "$stamp" ]; then
    rm -f .venv/.installed*
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$extra" 2>&1 \
        | grep -v "^WARNING: Location" || true
    .venv/bin/python -c 'import socle' # fails loudly if the install did not work
    touch "$stamp"
fi
# Byte-compile Socle's sources, as pip does for an installed package: an editable install otherwise
# compiles them at every start when bytecode writing is disabled (PYTHONDONTWRITEBYTECODE). Cached
# files whose source changed are ignored by Python, never used stale.
.venv/bin/python -m compileall -q src/socle >/dev/null
