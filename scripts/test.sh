#!/usr/bin/env bash
# Set up and run the whole test suite (lint included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks scripts
.venv/bin/mypy   # the typed core listed in pyproject.toml [tool.mypy]
.venv/bin/python -m pytest "$@"
