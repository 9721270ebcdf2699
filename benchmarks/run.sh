#!/usr/bin/env bash
# Run every benchmark in a throw-away environment (streprogen, Radicale and Xandikos are
# installed here).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${BENCH_VENV:-/tmp/planner-bench-venv}"
python3 -m venv "$venv"
"$venv/bin/pip" install -q . streprogen radicale xandikos
"$venv/bin/python" benchmarks/bench_streprogen.py
"$venv/bin/python" benchmarks/bench_process.py
"$venv/bin/python" benchmarks/bench_store.py
"$venv/bin/python" benchmarks/bench_tailor.py
"$venv/bin/python" benchmarks/bench_adapt.py
"$venv/bin/python" benchmarks/bench_export.py
"$venv/bin/python" benchmarks/bench_publish.py
