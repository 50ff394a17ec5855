#!/usr/bin/env bash
# Creates ./.venv, installs the project with its dev tools, and makes sure a browser and CJK fonts exist.
set -euo pipefail
python_bin="${1:-python3}"
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
bash scripts/ensure-browser.sh
bash scripts/ensure-postgres.sh
