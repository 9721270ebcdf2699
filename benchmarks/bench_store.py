"""Benchmark 5: saved plans and CalDAV publishing.

- in-process: export of a saved 12-week plan (open store, version, render, write) against
  a plain first export of the same plan;
- whole process: ``planner export NAME`` against ``planner generate`` without a name;
- publish to a local Radicale: first publish (36 objects) and a no-op republish.

Run with the project's test extras installed (Radicale); benchmarks/run.sh does it.
"""

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import median_ms
from planner.exporters.ics import plan_to_ics
from planner.fileio import write_atomic
from planner.models import PlanOptions
from planner.models.calendar import CalendarOptions
from planner.plan.generate import generate
from planner.service import calendar as saved
from planner.service.revisions import save
from planner.store.database import open_store
from planner.templates import load_library, load_program, load_snapshot
from tests.caldav_server import PASSWORD, USER, Radicale

NOW = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
work = Path(tempfile.mkdtemp())


def in_process() -> None:
    library = load_library()
    program = load_program("hip-knee", library).program
    options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"), weeks=12)
    plan = generate("hip-knee", program, library.by_id(), options)
    out = work / "plan.ics"
    db = work / "bench.db"
    store = open_store(db)
    assert store is not None
    save(store, "knee", load_snapshot("hip-knee"), plan, CalendarOptions())

    def plain() -> None:
        write_atomic(out, plan_to_ics(plan, NOW).data)

    def stored() -> None:
        prepared = saved.prepare(store, "knee", NOW)
        saved.export_ics(store, "knee", prepared, lambda data: write_atomic(out, data))

    stored()
    a, b = median_ms(plain), median_ms(stored)
    print(f"export 12 wk x 3: first export {a:.1f} ms, saved-plan export {b:.1f} ms "
          f"({b / a:.2f}x)")  # fmt: skip
    store.close()


def whole_process() -> None:
    planner = str(Path(sys.executable).with_name("planner"))
    env = {**os.environ, "PLANNER_DB": str(work / "cli.db"), "SOURCE_DATE_EPOCH": "1795000000"}
    base = [planner, "generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri",
            "--weeks", "12", "--out", str(work / "p.ics")]  # fmt: skip
    subprocess.run([*base, "--name", "knee"], check=True, env=env, stdout=subprocess.DEVNULL)
    cmds = [
        base,
        [planner, "export", "knee", "--out", str(work / "e.ics")],
        [*base, "--name", "knee"],
    ]
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(15):
        for cmd, bucket in zip(cmds, times, strict=True):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
            bucket.append(time.perf_counter() - t0)
    gen, exp, named = (statistics.median(t) * 1000 for t in times)
    print(f"process: generate {gen:.0f} ms, export NAME {exp:.0f} ms ({exp / gen:.2f}x), "
          f"generate --name {named:.0f} ms ({named / gen:.2f}x)")  # fmt: skip


def publishing() -> None:
    server = Radicale(work / "radicale").start()
    planner = str(Path(sys.executable).with_name("planner"))
    env = {**os.environ, "PLANNER_DB": str(work / "pub.db"), "PLANNER_CALDAV_PASSWORD": PASSWORD}
    setup = [planner, "generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri",
             "--weeks", "12", "--name", "knee", "--out", str(work / "k.ics")]  # fmt: skip
    subprocess.run(setup, check=True, env=env, stdout=subprocess.DEVNULL)
    cmd = [planner, "publish", "knee", "--caldav-url", server.url, "--username", USER]
    try:
        for label in ("first publish (36 created)", "republish (36 unchanged)"):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True)
            print(f"{label}: {(time.perf_counter() - t0) * 1000:.0f} ms  {done.stdout.strip()}")
    finally:
        server.stop()


if __name__ == "__main__":
    in_process()
    whole_process()
    publishing()
