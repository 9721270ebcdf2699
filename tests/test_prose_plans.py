"""The words a plan carries from its template stay true once the plan is tailored.

Every shipped template goes through every option set (lengths, kit, pain flags, units),
and its prose (the summary on the cover and the calendar, each phase's goal, the warm-up
and cool-down) is checked against the plan that came out: a week or stage count is the
plan's own, an exercise or movement named is one the plan (or that phase, or that block)
does, and any equipment named is something the person owns and uses in it."""

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

import pytest

from planner.errors import PlannerError
from planner.models import Plan, PlanOptions
from planner.models.common import EQUIPMENT, PAIN_FLAGS
from planner.models.exercise import Exercise
from planner.models.plan import Prescription
from planner.plan.generate import generate
from planner.templates import base_library, load_program, program_slugs

NUMBERS = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}
COUNT = r"(\d+|" + "|".join(NUMBERS) + r")"


class Scope(NamedTuple):
    """What a piece of prose talks about: the exercises it covers and the person's kit."""

    exercises: list[Prescription]
    owned: frozenset[str]
    library: dict[str, Exercise]

    def ids(self) -> set[str]:
        return {rx.exercise for rx in self.exercises}

    def uses(self, kit: str) -> bool:
        """The person owns ``kit`` and an exercise in scope needs it."""
        return kit in self.owned and any(kit in self.library[i].equipment for i in self.ids())

    def has(self, *parts: str) -> bool:
        """An exercise in scope whose id holds one of ``parts``."""
        return any(part in i for i in self.ids() for part in parts)


# A word or phrase of the prose, and what must be true of its scope for it to be said.
TERMS: list[tuple[str, Callable[[Scope], bool]]] = [
    (r"\bband(s|ed)?\b", lambda s: s.uses("band") and any(rx.band for rx in s.exercises)),
    (r"\bbarbell", lambda s: s.uses("barbell")),
    (r"\bdumbbell", lambda s: s.uses("dumbbell")),
    (r"\bbench", lambda s: s.uses("bench")),
    (r"\bfoam[- ]roll", lambda s: s.uses("foam-roller")),
    (r"\b(box|step-ups?|step-downs?|steps and|step work)\b", lambda s: s.uses("step")),
    (
        r"\b(loaded|load steps|with load|add(s|ing)? load|(?<!body )weights?)\b",
        lambda s: any(rx.load for rx in s.exercises),
    ),
    (r"\bbridges?\b", lambda s: s.has("bridge")),
    (r"\bthrusts?\b", lambda s: s.has("thrust")),
    (r"\bclamshells?\b", lambda s: s.has("clamshell")),
    (r"\b(band|crab) walks?\b", lambda s: s.has("band-walk")),
    (r"\bhinges?\b", lambda s: s.has("hinge", "deadlift")),
    (r"\bplanks?\b", lambda s: s.has("plank")),
    (r"\bside-lying\b", lambda s: s.has("side-lying", "clamshell")),
    (r"\bsingle-leg\b|\bone leg\b", lambda s: s.has("single-leg", "step-")),
    (r"\bstretch(es)?\b", lambda s: s.has("stretch")),
    (r"\bknee exercise\b", lambda s: any(s.library[i].knee_focused for i in s.ids())),
]


def stale_terms(text: str, scope: Scope) -> list[str]:
    """The words of ``text`` its scope does not bear out."""
    return [
        m.group(0)
        for pattern, holds in TERMS
        for m in re.finditer(pattern, text, re.IGNORECASE)
        if not holds(scope)
    ]


def counts(text: str, unit: str) -> list[int]:
    """Each '<count> <unit>' the text says ('Eight weeks', '3 stages')."""
    found = re.finditer(rf"\b{COUNT}[ -]{unit}", text, re.IGNORECASE)
    return [int(m[1]) if m[1].isdigit() else NUMBERS[m[1].lower()] for m in found]


def everything(plan: Plan) -> list[Prescription]:
    blocks = [*plan.warmup.exercises, *plan.cooldown.exercises]
    return blocks + [rx for s in plan.sessions for rx in s.exercises]


def problems(plan: Plan, library: dict[str, Exercise]) -> list[str]:
    """Everything the plan's prose says that the plan does not bear out."""
    owned = frozenset(EQUIPMENT if plan.options.equipment is None else plan.options.equipment)
    found: list[str] = []

    def check(where: str, text: str | None, exercises: Iterable[Prescription]) -> None:
        if not text:
            return
        scope = Scope(list(exercises), owned, library)
        found.extend(f"{where}: says '{t}'" for t in stale_terms(text, scope))

    found += [f"summary: says {n} weeks" for n in counts(plan.summary, "weeks?") if n != plan.weeks]
    for unit in ("stages", "phases"):
        for text, where in [(plan.summary, "summary")] + [(p.goal, p.name) for p in plan.phases]:
            found += [
                f"{where}: says {n} {unit}"
                for n in counts(text, f"{unit[:-1]}s?")
                if n != len(plan.phases)
            ]
    check("summary", plan.summary, everything(plan))
    for span in plan.phases:
        weeks = span.last_week - span.first_week + 1
        found += [f"{span.name}: says {n} weeks" for n in counts(span.goal, "weeks?") if n != weeks]
        check(
            span.name,
            span.goal,
            [rx for s in plan.sessions if s.phase == span.name for rx in s.exercises],
        )
    for where, block in [("warm-up", plan.warmup), ("cool-down", plan.cooldown)]:
        check(where, block.activity, block.exercises)
        if block.activity and re.search(r"first exercise", block.activity):
            first = {s.exercises[0].exercise for s in plan.sessions}
            named = {rx.exercise for rx in block.exercises}
            if not first <= named:
                found.append(f"{where}: says 'the first exercise' but lists {sorted(named)}")
    return found


class Options(NamedTuple):
    weeks: int | None
    equipment: tuple[str, ...] | None
    avoid: tuple[str, ...]
    units: str | None


KITS: list[tuple[str, ...] | None] = [None, (), ("band",)]
OPTION_SETS = [
    Options(w, kit, avoid, units)
    for w, kit, avoid, units in itertools.product(
        [None, 4, 12, 26, 52], KITS, [(), *((f,) for f in PAIN_FLAGS)], [None, "lb"]
    )
    # Units change no words; kg (the templates' own) and lb, each with the default length.
    if units is None or w is None
]


@pytest.fixture(scope="module")
def library() -> dict[str, Exercise]:
    return base_library().by_id()


@pytest.mark.parametrize("slug", program_slugs())
def test_prose_stays_true_for_every_option_set(slug: str, library: dict[str, Exercise]) -> None:
    loaded = load_program(slug, base_library())
    made, wrong = 0, []
    for o in OPTION_SETS:
        options = PlanOptions(
            start=dt.date(2026, 12, 7),
            days=("mon", "wed", "fri"),
            weeks=o.weeks,
            equipment=o.equipment,  # type: ignore[arg-type]
            avoid=o.avoid,  # type: ignore[arg-type]
            units=o.units,  # type: ignore[arg-type]
        )
        try:
            plan = generate(slug, loaded.program, loaded.library.by_id(), options)
        except PlannerError:
            continue  # a plan the tool refuses has no prose to check; it says why
        made += 1
        wrong += [f"{o}: {p}" for p in problems(plan, loaded.library.by_id())]
    assert made >= len(OPTION_SETS) // 2
    assert wrong == []


def test_the_check_finds_stale_words(library: dict[str, Exercise]) -> None:
    # The checker itself: words that the plan does not bear out are caught.
    loaded = load_program("hip-knee", base_library())
    options = PlanOptions(
        start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"), weeks=4, equipment=()
    )
    plan = generate("hip-knee", loaded.program, loaded.library.by_id(), options)
    stale = plan.model_copy(
        update={
            "summary": "Eight weeks in two stages of band walks and loaded bridges.",
            "warmup": plan.warmup.model_copy(update={"activity": "one set of the first exercise"}),
        }
    )
    found = problems(stale, library)
    assert "summary: says 8 weeks" in found
    assert "summary: says 2 stages" in found
    assert "summary: says 'band walks'" in found and "summary: says 'loaded'" in found
    assert any(p.startswith("warm-up: says 'the first exercise'") for p in found)
