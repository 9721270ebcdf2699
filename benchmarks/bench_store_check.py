"""Benchmark: what checking a store for damage costs on open.

Builds a realistic store: one plan of 52 weeks x 3 sessions, every exercise of every
session logged, a check-in every day of the year and a revision every week (as a weekly
``adapt`` would save), then times ``PRAGMA quick_check`` against ``PRAGMA integrity_check``
a whole ``open_store`` with the store's own check, and reading a plan's every row back
(what the first write to a plan costs).

Run from the repository root: ``python benchmarks/bench_store_check.py``.
"""

import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import median_ms
from planner.models import PlanOptions
from planner.models.calendar import CalendarOptions
from planner.models.log import Checkin, LogEntry
from planner.plan.generate import generate
from planner.service.revisions import save
from planner.store.database import Store, open_store
from planner.templates import load_library, load_program, load_snapshot

START = dt.date(2026, 1, 5)


def build(path: Path, weeks: int = 52) -> Store:
    """A store holding one plan with ``weeks`` of training log."""
    library = load_library()
    program = load_program("hip-knee", library).program
    snapshot = load_snapshot("hip-knee")
    store = open_store(path)
    assert store is not None
    for week in range(weeks):  # a weekly adapt saves a revision (slightly different options)
        options = PlanOptions(
            start=START, days=("mon", "wed", "fri"), weeks=weeks, time=dt.time(7, week % 60)
        )
        plan = generate("hip-knee", program, library.by_id(), options)
        save(store, "year", snapshot, plan, CalendarOptions())
    for session in plan.sessions:
        store.log(
            "year",
            [
                LogEntry(slot=session.slot, exercise=rx.exercise, done=(10, 10, 9), pain=2, rpe=7)
                for rx in session.exercises
            ],
        )
    for day in range(365):
        store.checkin("year", Checkin(date=START + dt.timedelta(days=day), morning_pain=1))
    return store


def main() -> None:
    work = Path(tempfile.mkdtemp())
    path = work / "year.db"
    store = build(path)
    db = store._db
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("revisions", "log_entries", "checkins")
    }
    size = path.stat().st_size / 1e6
    quick = median_ms(lambda: db.execute("PRAGMA quick_check").fetchall(), 20)
    full = median_ms(lambda: db.execute("PRAGMA integrity_check").fetchall(), 20)
    store.close()

    def opened() -> None:
        found = open_store(path)
        assert found is not None
        found.close()

    whole = median_ms(opened, 20)

    def command(check: bool) -> None:
        # What a writing command reads anyway (the latest revision), and with check=True
        # what the first write to a plan adds: every row of it read back and checked.
        found = open_store(path)
        assert found is not None
        found.latest("year")
        if check:
            found._read_all("year")
        found.close()

    every_row = median_ms(lambda: command(True), 10) - median_ms(lambda: command(False), 10)
    print(f"store {size:.1f} MB: {counts}")
    print(f"quick_check {quick:.1f} ms, integrity_check {full:.1f} ms, open_store {whole:.1f} ms")
    print(f"reading the plan's every row back before its first write: {every_row:.1f} ms")


if __name__ == "__main__":
    main()
