"""Benchmark: reading a saved plan in a fresh process, sealed rows against unsealed ones.

    python benchmarks/bench_sealed_read.py STORE [ROUNDS]

STORE is a plan store written by this checkout (plan 'k' with a log, as the new side of
bench_compare.py makes in a temporary folder). A copy of it has its seals removed, so
every row is validated, as before seals. Each round starts one fresh interpreter per copy
(alternating), imports what a command would, then times what ``show`` reads from the
store: the latest revision, the log, the check-ins and clearances. That isolates the
store's part of a command, which whole-process timings on a busy machine drown in noise.
Prints medians in milliseconds.
"""

import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import sys, time
from pathlib import Path
from planner.store.database import open_store
import planner.models.calendar, planner.models.log, planner.models.plan
store = open_store(Path(sys.argv[1]))
t0 = time.perf_counter()
store.latest("k")
store.entries("k", include_replaced=True)
store.checkins("k")
store.clearances("k")
print((time.perf_counter() - t0) * 1000)
"""
TABLES = ("revisions", "snapshots", "log_entries", "checkins", "clearances")


def main() -> None:
    sealed = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    unsealed = Path(tempfile.mkdtemp(prefix="bench-read-")) / "plans.db"
    shutil.copy(sealed, unsealed)
    with sqlite3.connect(unsealed) as db:
        for table in TABLES:
            db.execute(f"UPDATE {table} SET seal = NULL")
    times: dict[str, list[float]] = {"sealed": [], "unsealed": []}
    for _ in range(rounds):
        for label, path in (("sealed", sealed), ("unsealed", unsealed)):
            out = subprocess.run(
                [sys.executable, "-c", PROBE, str(path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            times[label].append(float(out.split()[-1]))
    a, b = statistics.median(times["unsealed"]), statistics.median(times["sealed"])
    print(f"median of {rounds} fresh processes each, ms: store read")
    print(f"  unsealed (validated) {a:7.1f}")
    print(f"  sealed (constructed) {b:7.1f}   sealed/unsealed {b / a:4.2f}")


if __name__ == "__main__":
    main()
