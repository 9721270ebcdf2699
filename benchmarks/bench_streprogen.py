"""Benchmark 1: our generate + .ics export against streprogen's render(), in one run.

Both build the same shape of program: 12 weeks, 3 sessions a week, 6 exercises a
session. streprogen only prescribes sets/reps/weights; we also date every session and
produce a calendar. Run with the environment made by benchmarks/run.sh (streprogen is a
benchmark-only dependency).
"""

import datetime as dt
import statistics
import time
from collections.abc import Callable

from streprogen import DynamicExercise, Program

from planner.cli.params import build_options
from planner.exporters.ics import plan_to_ics
from planner.plan.generate import generate
from planner.templates import load_library, load_program

STAMP = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
ROUNDS = 30


def streprogen_render() -> None:
    """Build and render a 12-week, 3-day, 6-exercise streprogen program."""
    program = Program(name="Hip plan", duration=12, units="kg", round_to=2.5)
    names = ["Hip thrust", "Single-leg deadlift", "Glute bridge", "Step-up", "Band walk", "Squat"]
    with program.Day("A"):
        for name in names:
            DynamicExercise(name, start_weight=30, final_weight=40, min_reps=8, max_reps=12)
    with program.Day("B"):
        for name in names:
            DynamicExercise(name, start_weight=30, final_weight=40, min_reps=8, max_reps=12)
    with program.Day("C"):
        for name in names:
            DynamicExercise(name, start_weight=30, final_weight=40, min_reps=8, max_reps=12)
    program.render()
    program.to_txt()


def make_ours() -> Callable[[], None]:
    """Template reading happens once per process in real use; time it inside too."""

    def run() -> None:
        library = load_library()
        loaded = load_program("hip-knee", library)
        options = build_options(dt.date(2026, 12, 7), "mon,wed,fri", weeks=12)
        plan = generate(loaded.slug, loaded.program, library.by_id(), options)
        plan_to_ics(plan, STAMP)

    return run


def medians_ms(*fns: Callable[[], None]) -> list[float]:
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
    ours, theirs = medians_ms(make_ours(), streprogen_render)
    print(f"planner generate+ics (12 wk x 3 x 6): {ours:8.2f} ms (median of {ROUNDS})")
    print(f"streprogen render+to_txt (same shape): {theirs:8.2f} ms (median of {ROUNDS})")
    print(f"speed-up: {theirs / ours:.2f}x (goal >= 2x)")


if __name__ == "__main__":
    main()
