"""What one template file cannot know alone, checked against the exercise library.

Every problem is collected (``planner validate`` lists them all); :func:`check_references`
raises them together.
"""

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planner.templates import TemplateProblems, file_text, line_at, unknown_exercise

if TYPE_CHECKING:
    from planner.models import Exercise, ExerciseLibrary, ProgramTemplate
    from planner.models.program import ExerciseEntry


def check_references(program: "ProgramTemplate", library: "ExerciseLibrary", path: Path) -> None:
    """Check exercise ids, dose kinds, bands, loads and variants against ``library``.

    Raises:
        TemplateProblems: one line per problem, each naming file:line and the field.
    """
    problems = reference_problems(program, library, path)
    if problems:
        raise TemplateProblems(problems, path)


def reference_problems(
    program: "ProgramTemplate", library: "ExerciseLibrary", path: Path
) -> list[str]:
    """Every problem :func:`check_references` finds, as ``file:line: field: what`` lines."""
    from planner.plan.days import problems as day_problems
    from planner.plan.progression import load_increment

    known = library.by_id()
    blocks = [("warmup", program.warmup.exercises), ("cooldown", program.cooldown.exercises)]
    blocks += [(f"phases[{i}]", p.exercises) for i, p in enumerate(program.phases)]
    problems: list[str] = []
    text: list[str] = []

    def fail(where: str, key: str, value: str, msg: str) -> None:
        # Read the file again only on failure, to point at the line; valid files pay nothing.
        if not text:
            text.append(file_text(path))
        rows = [
            n for n, row in enumerate(text[0].splitlines(), 1) if f'"{value}"' in row and key in row
        ]
        line = rows[0] if len(rows) == 1 else None
        problems.append(f"{path}{f':{line}' if line else ''}: {where}.{key}: {msg}")

    for where, entries in blocks:
        for j, entry in enumerate(entries):
            at = f"{where}.exercises[{j}]"
            ex = known.get(entry.exercise)
            if ex is None:
                fail(at, "exercise", entry.exercise, unknown_exercise(entry.exercise, known))
                continue
            field = {"reps": "reps", "steps": "steps", "hold": "seconds"}[ex.dose]
            if getattr(entry, field) is None:
                fail(
                    at,
                    "exercise",
                    entry.exercise,
                    f"'{ex.id}' is dosed in {ex.dose}; give '{field}' for it",
                )
            bands = [(entry.band, "band")] + [(p.band, "pins.band") for p in entry.pins]
            bands += [(r.band, "band") for r in entry.progression if r.kind == "variant"]
            for band, key in bands:
                if band is not None and band not in program.bands:
                    fail(
                        at,
                        key.split(".")[-1],
                        band,
                        f"band '{band}' is not in the ladder ({', '.join(program.bands)})",
                    )
            loads = [entry.load] + [p.load for p in entry.pins]
            step = load_increment(ex, entry, program.units)
            for load in loads:
                if load is not None and abs(load / step - round(load / step)) > 1e-6:
                    fail(
                        at,
                        "load",
                        entry.exercise,
                        f"load {load:g} {program.units} is not a multiple of the "
                        f"{step:g} {program.units} increment; round it or set 'increment'",
                    )
            _moved_on_problems(entry, ex, known, at, fail)
    for problem in day_problems(program):
        if not text:
            text.append(file_text(path))
        loc = [int(part) if part.isdigit() else part for part in re.findall(r"\w+", problem.where)]
        line = line_at(text[0], [*loc, problem.key])
        at = f"{path}{f':{line}' if line else ''}"
        problems.append(f"{at}: {problem.where}.{problem.key}: {problem.message}")
    return problems


def _moved_on_problems(
    entry: "ExerciseEntry",
    ex: "Exercise",
    known: dict[str, "Exercise"],
    at: str,
    fail: Callable[[str, str, str, str], None],
) -> None:
    """Problems of the exercises an entry moves on to: its variant and its pins' exercises."""
    from planner.plan.days import dose_problem

    for rule in entry.progression:
        if rule.kind != "variant":
            continue
        target = rule.to or (ex.harder[0] if ex.harder else None)
        if target is None:
            fail(
                at,
                "exercise",
                entry.exercise,
                f"variant rule: '{ex.id}' has no harder variation; set 'to'",
            )
        elif target not in known:
            fail(at, "to", target, unknown_exercise(target, known))
        else:
            # A variant dosed another way states its starting dose.
            wrong = dose_problem(known[target].dose, rule, f"variant '{target}'", ex.dose)
            if wrong:
                fail(at, "to", target, wrong)
    for k, pin in enumerate(entry.pins):
        if pin.exercise is None:
            continue
        if pin.exercise not in known:
            fail(
                f"{at}.pins[{k}]",
                "exercise",
                pin.exercise,
                unknown_exercise(pin.exercise, known),
            )
            continue
        wrong = dose_problem(known[pin.exercise].dose, pin, f"'{pin.exercise}'", None)
        if wrong:
            fail(f"{at}.pins[{k}]", "exercise", pin.exercise, wrong)
