"""The hip-knee plan (12 weeks, mon/wed/fri) built for real in streprogen, for the benchmarks.

    python benchmarks/streprogen_program.py OUT.txt

Builds, renders and writes the program's ``to_txt`` to OUT.txt: what a streprogen user runs
to get the plan that ``planner generate hip-knee --weeks 12 --days mon,wed,fri`` writes as a
calendar. bench_streprogen.py times it in process, bench_process.py as a whole process;
both check its text with ``check_text`` (outside the timing).

What it prescribes, as closely as streprogen allows:

- The same 36 sessions of 6 exercises (216 prescriptions): activation in weeks 1-3,
  strength in weeks 4-8, functional in weeks 9-12, three identical sessions a week.
- The loaded exercises are dynamic exercises (streprogen picks their sets, reps and
  weights): hip thrust and single-leg deadlift in strength; step-up, single-leg deadlift
  and hip thrust in functional. Every other exercise (body weight, holds, the band walk)
  is a static exercise whose text is computed per week: the template's sets and amount,
  its weekly step up to its cap, and the band ladder for the band walk.
- Deloads in plan weeks 5 and 10 (the plan's, not every 4th week) ease the week before:
  one set fewer and three quarters of the amount (the next lighter band for the band
  walk) for static exercises; for dynamic ones 60% of the reps and 90% of the intensity
  through streprogen's per-week scalers (their rep range, the template's reps -2..+4, is
  wide enough for streprogen to reach that intensity without warnings).

What differs:

- streprogen has no phases: a program repeats the same days every week, so each phase
  is its own Program (durations 3, 5 and 4 weeks) and the text is the three joined; its
  weeks are numbered within each phase.
- Dynamic exercises get streprogen's own rep schemes and weights (from an estimated
  one-rep max: the template's load at the intensity of its reps), not the template's
  fixed sets x reps and its double progression; there are no dates, rest, RPE, cues,
  warm-up or cool-down, and no calendar.
"""

import sys
from collections.abc import Callable
from pathlib import Path

from streprogen import Program, reps_to_intensity

DAYS = ("Monday", "Wednesday", "Friday")
DELOAD_WEEKS = (5, 10)
BANDS = ("yellow", "red", "green", "blue", "black")


class Static:
    """A body-weight, hold or band exercise: sets x amount, a step a week up to a cap."""

    def __init__(
        self,
        name: str,
        sets: int,
        amount: int,
        unit: str = "",
        step: int = 0,
        cap: int = 0,
        set_weeks: tuple[int, ...] = (),
        band: str = "",
    ) -> None:
        self.name, self.sets, self.amount, self.unit = name, sets, amount, unit
        self.step, self.cap, self.set_weeks, self.band = step, cap, set_weeks, band

    def text(self, first_week: int) -> Callable[[int], str]:
        """The per-week text for a phase starting at plan week ``first_week``."""

        def sets_reps(week: int) -> str:
            plan_week = first_week + week - 1
            done = sum(1 for w in range(first_week, plan_week) if w not in DELOAD_WEEKS)
            if plan_week in DELOAD_WEEKS:  # a deload eases the week before it
                done = max(0, done - 1)
            sets = self.sets + sum(1 for w in self.set_weeks if w <= done + 1)
            amount = self.amount + self.step * done
            band = self.band
            if self.band:  # steps 10-20, then the next band at 10
                index, amount = BANDS.index(self.band), self.amount
                for _ in range(done):
                    amount += self.step
                    if amount > self.cap:
                        index, amount = min(index + 1, len(BANDS) - 1), 10
                band = BANDS[index]
            elif self.cap:
                amount = min(amount, self.cap)
            if plan_week in DELOAD_WEEKS:
                sets = max(1, sets - 1)
                if band:
                    band = BANDS[max(0, BANDS.index(band) - 1)]
                else:
                    amount = round(amount * 0.75)
            suffix = f" {band} band" if band else ""
            return f"{sets} x {amount}{self.unit}{suffix}"

        return sets_reps


class Loaded:
    """A loaded exercise: the template's sets x reps at a load, as a dynamic exercise."""

    def __init__(self, name: str, sets: int, reps: int, load: float, gain: float) -> None:
        self.name, self.sets, self.reps, self.load, self.gain = name, sets, reps, load, gain


PHASES: list[tuple[str, int, int, list[Static | Loaded]]] = [
    ("activation", 1, 3, [
        Static("Clamshell", 2, 15, set_weeks=(2,)),
        Static("Side-lying hip abduction", 2, 15, set_weeks=(2,)),
        Static("Glute bridge", 2, 12, step=3, cap=15),
        Static("Isometric bridge hold", 3, 20, " s", step=10, cap=30),
        Static("Side plank on the knees", 2, 20, " s", step=10, cap=30),
        Static("Wall-sit hold (shallow)", 5, 30, " s", step=5, cap=45),
    ]),
    ("strength", 4, 8, [
        Loaded("Hip thrust", 3, 10, 30, 0.05),
        Loaded("Single-leg deadlift", 3, 8, 6, 0.05),
        Static("Single-leg glute bridge", 3, 8, step=1, cap=12),
        Static("Lateral band walk (crab walk)", 2, 15, " steps", step=5, cap=20, band="red"),
        Static("Side plank", 3, 20, " s", step=5, cap=45),
        Static("Wall squat to 45 degrees", 3, 10, step=2, cap=15),
    ]),
    ("functional", 9, 12, [
        Loaded("Step-up", 3, 10, 4, 0.05),
        Static("Step-down", 3, 8, step=1, cap=12),
        Static("Lateral band walk (crab walk)", 2, 20, " steps", step=5, cap=20, band="green"),
        Loaded("Single-leg deadlift", 3, 10, 8, 0.05),
        Loaded("Hip thrust", 3, 8, 35, 0.05),
        Static("Side plank", 3, 30, " s", step=5, cap=60),
    ]),
]  # fmt: skip


def build() -> list[Program]:
    """One streprogen Program per phase, three days a week, every exercise added."""
    programs = []
    for phase, first, last, exercises in PHASES:
        weeks = range(first, last + 1)
        program = Program(
            name=f"Hip plan: {phase} (weeks {first}-{last})",
            duration=len(weeks),
            reps_per_exercise=30,
            rep_scaler_func=[0.6 if w in DELOAD_WEEKS else 1.0 for w in weeks],
            intensity_scaler_func=[0.9 if w in DELOAD_WEEKS else 1.0 for w in weeks],
            units="kg",
            round_to=0.5,
        )
        for day in DAYS:
            with program.Day(day):
                for ex in exercises:
                    if isinstance(ex, Static):
                        program.StaticExercise(ex.name, ex.text(first))
                    else:
                        intensity = reps_to_intensity(ex.reps)
                        one_rm = ex.load * 100 / intensity
                        program.DynamicExercise(
                            ex.name,
                            start_weight=round(one_rm, 1),
                            final_weight=round(one_rm * (1 + ex.gain), 1),
                            min_reps=ex.reps - 2,
                            max_reps=ex.reps + 4,
                            reps=ex.sets * ex.reps,
                            intensity=intensity,
                        )
        programs.append(program)
    return programs


def render_text() -> str:
    """Build, render and write out the whole program as streprogen's text."""
    texts = []
    for program in build():
        program.render()
        texts.append(program.to_txt())
    return "\n".join(texts)


def check_text(text: str) -> int:
    """Assert the text holds every exercise of every session; return the sessions seen."""
    programs = text.split("Program: ")[1:]
    assert len(programs) == len(PHASES), f"{len(programs)} programs, expected {len(PHASES)}"
    sessions = 0
    for body, (phase, first, last, exercises) in zip(programs, PHASES, strict=True):
        assert body.startswith(f"Hip plan: {phase}"), body[:60]
        rendered = body.split("\nProgram\n", 1)[1]
        for week in range(1, last - first + 2):
            block = rendered.split(f" Week {week}\n", 1)[1].split("\n Week ", 1)[0]
            for i, day in enumerate(DAYS):
                nxt = DAYS[i + 1] if i + 1 < len(DAYS) else None
                part = block.split(f"  {day}\n", 1)[1]
                lines = (part.split(f"  {nxt}\n", 1)[0] if nxt else part).splitlines()
                names = [line.strip() for line in lines if line.strip()]
                for ex in exercises:
                    hits = [n for n in names if n.startswith(ex.name + " ")]
                    assert len(hits) == 1, f"{phase} week {week} {day}: {ex.name} in {names}"
                    assert any(c.isdigit() for c in hits[0][len(ex.name) :]), hits[0]
                sessions += 1
    assert sessions == 36, sessions
    return sessions


def main() -> None:
    """Write the rendered text to the file named on the command line."""
    Path(sys.argv[1]).write_text(render_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
