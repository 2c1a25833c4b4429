#!/usr/bin/env bash
# The main job on the embedded default: build the SQLite registry from the bundled data and query it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PARADIPLOMACY_DB=${PARADIPLOMACY_DB:-paradiplomacy.db}
.venv/bin/paradiplomacy init --reset
.venv/bin/paradiplomacy search "Fuchū"
.venv/bin/paradiplomacy show 新潟市
.venv/bin/paradiplomacy show 北九州市
.venv/bin/paradiplomacy ties --country KR --limit 20
mkdir -p out
.venv/bin/paradiplomacy report --out out/report.html
