#!/usr/bin/env bash
# Create ./.venv (if missing) and install paradiplomacy into it: with the web workbench and the
# report's charts (extras web, charts), or with every extra the tests need when given --test.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test,web,postgres,pdf]'
else
  .venv/bin/python -m pip install --quiet -e '.[web,charts]'
fi
