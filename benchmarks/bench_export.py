"""Benchmark 8: every export format of the 12-week hip-knee plan, against .ics.

- in-process: render the plan (no file I/O) as ics (events laid out, then rendered, as
  ``planner export`` does), html with charts, md, csv and json; html and md also with
  8 logged weeks (144 entries, 56 check-ins) so planned-vs-done marks are drawn;
- whole process: ``planner export NAME --out plan.EXT`` for ics and html on a saved plan.

The target (issue 6): html with charts within 1.5x of ics.
"""

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import median_ms
from planner.exporters.formats import render_document
from planner.exporters.ics import plan_to_ics
from planner.exporters.record import Record
from planner.models import PlanOptions
from planner.models.calendar import CalendarOptions
from planner.models.log import Checkin, LogEntry
from planner.plan.generate import generate
from planner.templates import load_library, load_program
from planner.training.logbook import prescribed

STAMP = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
START = dt.date(2026, 12, 7)


def main() -> None:
    library = load_library()
    program = load_program("hip-knee", library).program
    options = PlanOptions(
        start=START, days=("mon", "wed", "fri"), weeks=12, time=dt.time(18), tz="Europe/Berlin"
    )
    plan = generate("hip-knee", program, library.by_id(), options)
    calendar = CalendarOptions()
    entries = [
        LogEntry(slot=s.slot, exercise=rx.exercise, done=prescribed(rx), pain=2)
        for s in plan.sessions
        if s.week <= 8
        for rx in s.exercises
    ]
    checkins = [Checkin(date=START + dt.timedelta(days=d), morning_pain=1) for d in range(56)]
    ics = median_ms(lambda: plan_to_ics(plan, STAMP, calendar))
    print(f"in-process, 12 weeks x 3 sessions ({len(plan.sessions)} sessions), median of 30:")
    print(f"  ics                         {ics:6.2f} ms")
    for fmt in ("html", "md", "csv", "json"):
        ms = median_ms(lambda fmt=fmt: render_document(fmt, plan))
        print(f"  {fmt:<27} {ms:6.2f} ms  ({ms / ics:.2f}x ics)")
    for fmt in ("html", "md", "csv"):
        ms = median_ms(lambda fmt=fmt: render_document(fmt, plan, Record(entries, checkins)))
        label = f"{fmt}, {len(entries)} logged"
        print(f"  {label:<27} {ms:6.2f} ms  ({ms / ics:.2f}x ics)")
    print(
        "  sizes: "
        + ", ".join(
            f"{fmt} {len(render_document(fmt, plan, Record(entries, checkins))) // 1024} KiB"
            for fmt in ("html", "md", "csv", "json")
        )
    )

    work = Path(tempfile.mkdtemp())
    env = {**os.environ, "PLANNER_DB": str(work / "plans.db")}
    planner = [sys.executable, "-m", "planner"]
    subprocess.run(
        [
            *planner,
            "generate",
            "hip-knee",
            "--start",
            "2026-12-07",
            "--days",
            "mon,wed,fri",
            "--weeks",
            "12",
            "--name",
            "bench",
            "--out",
            str(work / "first.ics"),
        ],
        env=env,
        check=True,
        capture_output=True,
    )

    def export(suffix: str) -> None:
        subprocess.run(
            [*planner, "export", "bench", "--out", str(work / f"plan.{suffix}")],
            env=env,
            check=True,
            capture_output=True,
        )

    print("whole process, median of 10:")
    ics_process = median_ms(lambda: export("ics"), rounds=10)
    html_process = median_ms(lambda: export("html"), rounds=10)
    print(f"  export --out plan.ics   {ics_process:6.1f} ms")
    print(f"  export --out plan.html  {html_process:6.1f} ms  ({html_process / ics_process:.2f}x)")


if __name__ == "__main__":
    main()
