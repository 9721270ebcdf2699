"""Benchmarks 2-4: whole-process time, growth per session, and peak memory.

Run with an environment that has planner and streprogen installed (benchmarks/run.sh
makes one). Times are medians of fresh processes run interleaved (A, B, C, A, B, C ...)
so machine noise falls on all alike; memory is each child's peak RSS from getrusage.

The peer is streprogen_program.py run as a script: the same 12-week hip-knee plan built,
rendered and written as text (checked to hold every exercise of every session), against
``planner generate`` writing it as a calendar.
"""

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ROUNDS = 15
PY = sys.executable
PLANNER = str(Path(PY).with_name("planner"))
WORK = Path(tempfile.mkdtemp())
OUT = WORK / "plan.ics"
PEER_OUT = WORK / "plan.txt"
GENERATE = [PLANNER, "generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri",
            "--weeks", "12", "--out", str(OUT)]  # fmt: skip
PEER = [PY, str(HERE / "streprogen_program.py"), str(PEER_OUT)]
IMPORTS = [PY, "-c", "import typer, pydantic, icalendar"]
# 'import pydantic' alone loads its models lazily: no program with a pydantic model starts
# faster than this.
WITH_MODEL = [PY, "-c", "import typer, pydantic, icalendar; from pydantic import BaseModel"]
TYPER = [PY, "-c", "import typer"]
# What Typer really does per command: it coerces options through pydantic TypeAdapters,
# so a second floor runs a Typer command with the same options (24 of generate's), not a
# bare import. Shown for information; the goals are against the bare imports.
FLOOR_APP = """
import typer, pydantic, icalendar
app = typer.Typer()
@app.command()
def generate(template: str, start: str = "", days: str = "", weeks: int | None = None,
             time: str | None = None, tz: str | None = None, duration: int | None = None,
             out: str | None = None, json: str | None = None, name: str | None = None,
             db: str | None = None, remind: str | None = None, calendar_name: str | None = None,
             color: str | None = None, refresh: str | None = None, utc: bool | None = None,
             avoid: str | None = None, equipment: str | None = None, level: str | None = None,
             units: str | None = None, load: list[str] | None = None, bands: str | None = None,
             phase_weeks: str | None = None, explain: bool = False) -> None:
    class M(pydantic.BaseModel):
        x: int
    M(x=1)
app()
"""
FLOOR = [PY, "-c", FLOOR_APP, "x"]

GOAL_VS_PEER = 1.15
GOAL_VS_IMPORTS = 1.4
GOAL_HELP = 1.05
GOAL_RSS = 1.3
GOAL_GROWTH = 1.0


def run_ms(*cmds: list[str]) -> list[float]:
    """Median wall time of each command, run interleaved so machine noise hits all alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(ROUNDS):
        for cmd, bucket in zip(cmds, times, strict=True):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            bucket.append(time.perf_counter() - t0)
    return [statistics.median(t) * 1000 for t in times]


def peak_rss_mb(cmd: list[str]) -> float:
    """Peak RSS of one child, measured in a fresh wrapper so earlier children do not count."""
    code = (
        "import resource,subprocess,sys;"
        "subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PY, "-c", code, *cmd], check=True, capture_output=True, text=True)
    return int(out.stdout) / 1024


def growth() -> None:
    """Per-session cost of a 5-year, 6-a-week plan against the 12-week, 3-a-week plan."""
    from planner.cli.params import build_options
    from planner.exporters.ics import plan_to_ics
    from planner.models.program import ProgramTemplate
    from planner.plan.generate import generate
    from planner.templates import load_library, load_program

    library = load_library()
    base = load_program("hip-knee", library).program
    six = ProgramTemplate.model_validate(
        base.model_dump()
        | {"phases": [p.model_dump() | {"sessions_per_week": 6} for p in base.phases]}
    )
    stamp = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)

    def make(program: ProgramTemplate, weeks: int, days: str) -> Callable[[], int]:
        options = build_options(dt.date(2026, 12, 7), days, weeks=weeks)

        def run() -> int:
            plan = generate("hip-knee", program, library.by_id(), options)
            plan_to_ics(plan, stamp)
            return len(plan.sessions)

        return run

    runs = [make(base, 12, "mon,wed,fri"), make(six, 260, "mon,tue,wed,thu,fri,sat")]
    sessions = [run() for run in runs]  # warm-up, and the sessions each plan has
    assert sessions == [36, 1560], sessions
    times: list[list[float]] = [[], []]
    for _ in range(7):  # interleaved: small, large, small, large ...
        for run, bucket, count in zip(runs, times, sessions, strict=True):
            t0 = time.perf_counter()
            run()
            bucket.append((time.perf_counter() - t0) * 1e6 / count)
    small, large = (statistics.median(t) for t in times)
    print(f"per session: 12 wk x 3 = {small:.1f} us, 260 wk x 6 = {large:.1f} us, "
          f"ratio {large / small:.2f} (goal <= {GOAL_GROWTH})")  # fmt: skip


def check_outputs() -> None:
    """Both whole-process runs wrote the full plan: 36 sessions of 6 exercises each."""
    import streprogen_program
    from bench_streprogen import check_ours

    check_ours(OUT.read_bytes())
    streprogen_program.check_text(PEER_OUT.read_text(encoding="utf-8"))


def main() -> None:
    bare, model, floor, peer, gen = run_ms(IMPORTS, WITH_MODEL, FLOOR, PEER, GENERATE)
    check_outputs()
    print(f"median of {ROUNDS} interleaved fresh processes, ms")
    print(f"python -c 'import typer, pydantic, icalendar':  {bare:7.1f}")
    print(f"  the same with 'from pydantic import BaseModel': {model:7.1f}")
    print(f"Typer command + pydantic model + icalendar:     {floor:7.1f}")
    print(f"streprogen script (same 12-wk plan, to_txt):    {peer:7.1f}")
    print(
        f"planner generate (12 wk hip-knee, writes .ics): {gen:7.1f}  "
        f"= {gen / peer:.2f}x streprogen (goal <= {GOAL_VS_PEER}), "
        f"{gen / bare:.2f}x imports (goal <= {GOAL_VS_IMPORTS}), {gen / model:.2f}x with "
        f"BaseModel, {gen / floor:.2f}x Typer floor"
    )
    typer_only, help_ms = run_ms(TYPER, [PLANNER, "--help"])
    print(f"python -c 'import typer':                       {typer_only:7.1f}")
    print(
        f"planner --help:                                 {help_ms:7.1f}  "
        f"= {help_ms / typer_only:.2f}x (goal <= {GOAL_HELP})"
    )
    growth()
    samples: list[list[float]] = [[], [], [], [], []]
    for _ in range(3):  # interleaved too; the median of three of each
        for cmd, bucket in zip((IMPORTS, WITH_MODEL, FLOOR, PEER, GENERATE), samples, strict=True):
            bucket.append(peak_rss_mb(cmd))
    mem_bare, mem_model, mem_floor, mem_peer, mem_gen = (statistics.median(b) for b in samples)
    print(
        f"peak RSS: imports {mem_bare:.1f} MB (with BaseModel {mem_model:.1f} MB), "
        f"Typer floor {mem_floor:.1f} MB, "
        f"streprogen script {mem_peer:.1f} MB, planner generate {mem_gen:.1f} MB "
        f"= {mem_gen / mem_bare:.2f}x imports (goal <= {GOAL_RSS})"
    )


if __name__ == "__main__":
    main()
