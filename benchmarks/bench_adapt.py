"""Benchmark 7: the training loop.

- in-process: ``adapt`` on a 12-week hip-knee plan with 8 logged weeks (144 entries,
  56 check-ins), against generating the same plan; the safety state alone; and the same
  log with a red flag (adapt then holds every session still to come);
- whole process: ``planner log`` (one exercise, and one that reports a red flag and holds
  the plan), ``planner checkin``, ``planner adapt --dry-run`` and ``planner history``
  against ``planner generate`` without a name;
- store: 1,000 log entries written one transaction each, and reading them back.
"""

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import median_ms
from planner.models import PlanOptions
from planner.models.calendar import CalendarOptions
from planner.models.log import Checkin, LogEntry, Logged
from planner.plan.generate import generate
from planner.service.revisions import save
from planner.store.database import open_store
from planner.templates import load_library, load_program, load_snapshot
from planner.training.adapt import adapt
from planner.training.logbook import prescribed
from planner.training.safety_state import safety_state

START = dt.date(2026, 9, 7)
TODAY = START + dt.timedelta(weeks=8, days=-2)
work = Path(tempfile.mkdtemp())


def scripted_log() -> tuple[object, list[LogEntry], list[Checkin], object]:
    library = load_library()
    loaded = load_program("hip-knee", library)
    options = PlanOptions(start=START, days=("mon", "wed", "fri"), weeks=12)
    by_id = library.by_id()

    def regenerate(adjustments: tuple = ()) -> object:  # type: ignore[type-arg]
        return generate("hip-knee", loaded.program, by_id, options, adjustments)

    plan = regenerate()
    entries = [
        LogEntry(
            slot=s.slot,
            exercise=rx.exercise,
            done=prescribed(rx),
            load=rx.load,
            unit=rx.unit,
            band=rx.band,
            pain=(s.week + i) % 4,
        )
        for s in plan.sessions  # type: ignore[attr-defined]
        if s.week <= 8
        for i, rx in enumerate(s.exercises)
    ]
    checkins = [Checkin(date=START + dt.timedelta(days=d), morning_pain=d % 3) for d in range(56)]
    return plan, entries, checkins, (regenerate, by_id, loaded.program.adapt)


def in_process() -> None:
    plan, entries, checkins, (regenerate, by_id, settings) = scripted_log()  # type: ignore[misc]
    stamp = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    log = [Logged(entry=e, logged_at=stamp) for e in entries]
    hurt = [*log[:-1], Logged(entry=log[-1].entry.model_copy(update={"pain": 8}), logged_at=stamp)]
    gen_ms = median_ms(regenerate)
    state_ms = median_ms(lambda: safety_state(plan, log, checkins, [], settings, TODAY))  # type: ignore[arg-type]
    adapt_ms = median_ms(
        lambda: adapt(plan, regenerate, log, checkins, [], by_id, settings, TODAY)  # type: ignore[arg-type]
    )
    held_ms = median_ms(
        lambda: adapt(plan, regenerate, hurt, checkins, [], by_id, settings, TODAY)  # type: ignore[arg-type]
    )
    print(f"in-process, 12 weeks, {len(entries)} entries, {len(checkins)} check-ins:")
    print(f"  generate {gen_ms:.2f} ms   adapt {adapt_ms:.2f} ms ({adapt_ms / gen_ms:.1f}x)")
    print(f"  safety state {state_ms:.2f} ms   adapt with a red flag {held_ms:.2f} ms")


def store_bench() -> None:
    plan, entries, _, _ = scripted_log()
    store = open_store(work / "log.db")
    assert store is not None
    save(store, "knee", load_snapshot("hip-knee"), plan, CalendarOptions())  # type: ignore[arg-type]
    t0 = time.perf_counter()
    for i in range(1000):
        store.log("knee", [entries[i % len(entries)]])
    write = (time.perf_counter() - t0) * 1000
    read = median_ms(lambda: store.entries("knee", include_replaced=True), 10)
    print(f"store: 1000 entries one transaction each {write:.0f} ms ({write / 1000:.2f} ms each);")
    print(f"  reading all 1000 back {read:.1f} ms")
    store.close()


def process() -> None:
    env = {**os.environ, "PLANNER_DB": str(work / "cli.db"), "PLANNER_TODAY": TODAY.isoformat()}
    base = [sys.executable, "-m", "planner"]
    gen = [*base, "generate", "hip-knee", "--start", START.isoformat(), "--days", "mon,wed,fri"]
    subprocess.run(
        [*gen, "--name", "knee", "--out", str(work / "k.ics")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for week in range(1, 8):
        for s in (1, 2, 3):
            subprocess.run(
                [*base, "log", "knee", "--session", f"W{week}S{s}"],
                env=env,
                input="\n1\n" + "\n\n" * 5,
                text=True,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    commands = {
        "generate (no name)": [*gen, "--out", str(work / "g.ics")],
        "log one exercise": [
            *base,
            "log",
            "knee",
            "--exercise",
            "clamshell",
            "--pain",
            "1",
            "--session",
            "W1S1",
        ],
        "checkin": [*base, "checkin", "knee", "--morning-pain", "2"],
        "adapt --dry-run": [*base, "adapt", "knee", "--dry-run"],
        "history": [*base, "history", "knee"],
    }
    results = {}
    for name, cmd in commands.items():
        results[name] = median_ms(
            lambda cmd=cmd: subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL),
            15,
        )
    # A red flag: the first log holds the plan (a new revision); later ones find it held.
    red = [*base, "log", "knee", "--exercise", "clamshell", "--pain", "8", "--session", "W2S1"]
    results["log a red flag"] = median_ms(
        lambda: subprocess.run(
            red, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ),
        15,
    )
    floor = results["generate (no name)"]
    print("whole process (median of 15):")
    for name, ms in results.items():
        print(f"  {name:<20} {ms:6.1f} ms  ({ms / floor:.2f}x generate)")


if __name__ == "__main__":
    in_process()
    store_bench()
    process()
