"""Benchmark 1: our template load + generate + .ics against streprogen's render + to_txt.

Both produce the same 12-week hip-knee plan: 36 sessions of 6 exercises (216
prescriptions) with deloads in weeks 5 and 10. Ours is read from the template, dated and
written as a calendar; streprogen's is the equivalent program built for real in
streprogen_program.py (its docstring says what differs), rendered and written as text.
Before timing, both outputs are checked to hold every exercise of every session.

Each round builds everything afresh (streprogen's rep-scheme cache lives on its Program, so
no round reuses another's work). Run with the environment made by benchmarks/run.sh
(streprogen is a benchmark-only dependency) or one with planner and streprogen installed.
"""

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import streprogen_program

from planner.cli.params import build_options
from planner.exporters.ics import plan_to_ics
from planner.plan.generate import generate
from planner.templates import load_library, load_program

STAMP = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
ROUNDS = 30
GOAL = 2.0


def ours() -> bytes:
    """Read the template, generate the 12-week plan and write its calendar's bytes."""
    library = load_library()
    loaded = load_program("hip-knee", library)
    options = build_options(dt.date(2026, 12, 7), "mon,wed,fri", weeks=12)
    plan = generate(loaded.slug, loaded.program, library.by_id(), options)
    return plan_to_ics(plan, STAMP).data


def check_ours(ics: bytes) -> int:
    """Assert the calendar holds 36 sessions, each naming its 6 exercises."""
    library = load_library()
    loaded = load_program("hip-knee", library)
    options = build_options(dt.date(2026, 12, 7), "mon,wed,fri", weeks=12)
    plan = generate(loaded.slug, loaded.program, library.by_id(), options)
    text = ics.decode().replace("\r\n ", "")  # unfold folded lines
    events = text.split("BEGIN:VEVENT")[1:]
    assert len(events) == len(plan.sessions) == 36, (len(events), len(plan.sessions))
    for event, session in zip(events, plan.sessions, strict=True):
        assert len(session.exercises) == 6
        for rx in session.exercises:
            assert rx.name in event.replace("\\,", ","), (session.slot, rx.name)
    return len(events)


def medians_ms(*fns: Callable[[], object]) -> list[float]:
    """Median time of each function, run interleaved so machine noise hits all alike."""
    for fn in fns:
        fn()  # warm-up: imports and pydantic schema building are in bench_process
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(ROUNDS):
        for fn, bucket in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - t0)
    return [statistics.median(t) * 1000 for t in times]


def main() -> None:
    ics = ours()
    text = streprogen_program.render_text()
    sessions = (check_ours(ics), streprogen_program.check_text(text))
    print(f"outputs checked: {sessions[0]} and {sessions[1]} sessions x 6 exercises; "
          f".ics {len(ics)} bytes, streprogen text {len(text.encode())} bytes")  # fmt: skip
    mine, theirs = medians_ms(ours, streprogen_program.render_text)
    print(f"median of {ROUNDS} interleaved rounds, ms")
    print(f"planner template + generate + ics (12 wk hip-knee): {mine:8.2f}")
    print(f"streprogen build + render + to_txt (same plan):     {theirs:8.2f}")
    print(f"speed-up: {theirs / mine:.2f}x (goal >= {GOAL:.0f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
