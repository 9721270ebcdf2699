"""Training days and per-week entries of a phase (pure).

A phase with ``days = ["A", "B"]`` rotates through them session by session, counted from
the phase's first session and on across its weeks (three sessions a week on A/B: week 1 is
A B A, week 2 B A B). An entry with ``day`` is done only in sessions of that day, one
without in every session. An entry with ``weeks`` is done only in those weeks of its phase.

Week numbers on an entry (``weeks``, its pins, a sets rule's ``at_weeks``, a variant's
``after_weeks``) are weeks of the phase, as everywhere else in a template. The entry's
ladder moves only in the weeks it is done: its first listed week is its starting dose
(position 1), the next listed week position 2, and so on. :func:`on_positions` turns the
rules' phase weeks into those positions so the ladder code stays as it is.

A phase made longer than its template (``--weeks``, an extra week from ``planner adapt``)
repeats its last template week's entries in the weeks past it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from planner.models.exercise import Exercise
from planner.models.program import ExerciseEntry, Phase, Pin, ProgramTemplate
from planner.models.rules import Rule, SetsRule, VariantRule
from planner.plan.loads import convert, rounded


def session_day(phase: Phase, week: int, index: int) -> str | None:
    """The training day of session ``index`` (1-based) in week ``week`` of ``phase``."""
    if not phase.days:
        return None
    number = (week - 1) * phase.sessions_per_week + index - 1
    return phase.days[number % len(phase.days)]


def template_week(week: int, template_weeks: int) -> int:
    """The template week whose entries a phase week holds (past the end: the last one)."""
    return min(week, template_weeks)


def in_week(entry: ExerciseEntry, week: int, template_weeks: int) -> bool:
    """Whether ``entry`` is done in phase week ``week`` (any day)."""
    return not entry.weeks or template_week(week, template_weeks) in entry.weeks


def in_session(entry: ExerciseEntry, phase: Phase, day: str | None) -> bool:
    """Whether ``entry`` is done in a session of ``day`` (its week aside).

    An entry day that is not one of the phase's days (only a hand-edited saved template can
    hold one: loading checks it) is done on no day; a day on an entry of a phase without
    days is ignored, as the phase has one kind of session."""
    return entry.day is None or not phase.days or entry.day == day


def week_days(phase: Phase, week: int) -> tuple[str | None, ...]:
    """The day of each session of ``week``, in order."""
    return tuple(session_day(phase, week, i) for i in range(1, phase.sessions_per_week + 1))


def trained_in(entry: ExerciseEntry, phase: Phase, week: int, template_weeks: int) -> bool:
    """Whether ``entry`` is in any session of phase week ``week`` (its ladder moves then)."""
    return in_week(entry, week, template_weeks) and any(
        in_session(entry, phase, day) for day in week_days(phase, week)
    )


def _position(entry: ExerciseEntry, week: int) -> int:
    """The ladder position of phase week ``week`` for an entry limited to weeks."""
    return entry.weeks.index(week) + 1 if week in entry.weeks else 0


def on_positions(entry: ExerciseEntry) -> ExerciseEntry:
    """``entry`` with its sets and variant rules' phase weeks turned into ladder positions
    (see the module docstring); an entry done every week is returned as it is."""
    if not entry.weeks:
        return entry
    rules: list[Rule] = []
    for rule in entry.progression:
        if isinstance(rule, SetsRule):
            at = tuple(p for w in rule.at_weeks if (p := _position(entry, w)) > 1)
            rules.append(rule.model_copy(update={"at_weeks": at or (len(entry.weeks) + 1,)}))
        elif isinstance(rule, VariantRule):
            switch = _position(entry, rule.after_weeks + 1)
            rules.append(rule.model_copy(update={"after_weeks": max(1, switch - 1)}))
        else:
            rules.append(rule)
    return entry.model_copy(update={"progression": tuple(rules)})


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a template's days or weeks: where (``phases[0].exercises[2]``),
    the key, the value as written and what to do (the loader finds the line)."""

    where: str
    key: str
    value: str
    message: str


def problems(program: ProgramTemplate) -> Iterator[Problem]:
    """Every inconsistency between a phase's days and weeks and its entries."""
    for i, phase in enumerate(program.phases):
        yield from _phase_problems(phase, f"phases[{i}]")


def _phase_problems(phase: Phase, at: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for name in phase.days:
        if name in seen:
            yield Problem(at, "days", name, f"day '{name}' is listed twice; name each day once")
        seen.add(name)
    for j, entry in enumerate(phase.exercises):
        where = f"{at}.exercises[{j}]"
        if entry.day is not None and not phase.days:
            yield Problem(
                where,
                "day",
                entry.day,
                f"the {phase.name} phase has no training days; add days = [...] to the phase "
                "or remove 'day'",
            )
        elif entry.day is not None and entry.day not in phase.days:
            yield Problem(
                where,
                "day",
                entry.day,
                f"day '{entry.day}' is not one of the {phase.name} phase's days "
                f"({', '.join(phase.days)})",
            )
        yield from _week_problems(entry, phase, where)
    for name in dict.fromkeys(phase.days):
        if not any(e.day == name for e in phase.exercises):
            yield Problem(
                at,
                "days",
                name,
                f"day '{name}' has no exercise of its own; give an entry day = \"{name}\" "
                "or remove the day",
            )
    yield from _session_problems(phase, at)
    if phase.days and len(phase.days) > phase.sessions_per_week * phase.weeks:
        yield Problem(
            at,
            "days",
            phase.days[-1],
            f"{len(phase.days)} days but only {phase.sessions_per_week * phase.weeks} sessions "
            f"in the {phase.name} phase; some days would never come",
        )


def _week_problems(entry: ExerciseEntry, phase: Phase, where: str) -> Iterator[Problem]:
    """Weeks outside the phase, and pins or rules in weeks the entry is not done."""
    if entry.weeks:
        if len(set(entry.weeks)) != len(entry.weeks) or list(entry.weeks) != sorted(entry.weeks):
            bad = next(
                w
                for k, w in enumerate(entry.weeks)
                if w in entry.weeks[:k] or (k and w < entry.weeks[k - 1])
            )
            yield Problem(where, "weeks", str(bad), "list each week once, in order (like [2, 3])")
        outside = [w for w in entry.weeks if w > phase.weeks]
        if outside:
            yield Problem(
                where,
                "weeks",
                str(outside[0]),
                f"week {outside[0]} is outside the {phase.name} phase's {phase.weeks} weeks",
            )
    done = set(entry.weeks) if entry.weeks else set(range(1, phase.weeks + 1))
    for pin in entry.pins:
        if pin.week > phase.weeks:
            yield Problem(
                where,
                "pins.week",
                str(pin.week),
                f"a pin for week {pin.week}, but the {phase.name} phase has {phase.weeks} weeks",
            )
        elif pin.week not in done:
            yield Problem(
                where,
                "pins.week",
                str(pin.week),
                f"a pin for week {pin.week}, a week this exercise is not done (weeks "
                f"{', '.join(map(str, entry.weeks))})",
            )
    for rule in entry.progression:
        if isinstance(rule, SetsRule) and entry.weeks:
            off = [w for w in rule.at_weeks if w not in entry.weeks or w == entry.weeks[0]]
            if off:
                yield Problem(
                    where,
                    "at_weeks",
                    str(off[0]),
                    f"sets rule: week {off[0]} is not one of this exercise's later weeks "
                    f"({', '.join(map(str, entry.weeks[1:])) or 'none'})",
                )
        if isinstance(rule, VariantRule) and entry.weeks:
            switch = rule.after_weeks + 1
            if switch not in entry.weeks or switch == entry.weeks[0]:
                yield Problem(
                    where,
                    "after_weeks",
                    str(rule.after_weeks),
                    f"variant rule: the switch in week {switch} is not one of this exercise's "
                    f"later weeks ({', '.join(map(str, entry.weeks[1:])) or 'none'})",
                )


_COUNT_FIELD = {"reps": "reps", "steps": "steps", "hold": "seconds"}


def dose_problem(kind: str, dose: Pin | VariantRule, label: str, before: str | None) -> str:
    """What is wrong with the dose a pin or variant rule gives an exercise dosed in
    ``kind`` ("" if nothing), ``label`` naming it in the message.

    A pin that names an exercise must give that exercise's count; a variant must state
    its starting count only when it is dosed another way than the exercise ``before``."""
    field = _COUNT_FIELD[kind]
    given = [f for f in ("reps", "steps", "seconds") if getattr(dose, f) is not None]
    other = [f for f in given if f != field]
    if other:
        return f"{label} is dosed in {kind}; give '{field}', not '{other[0]}'"
    if field in given or (before is not None and before == kind):
        return ""
    if before is None:
        return f"{label} is dosed in {kind}; give '{field}' for its week"
    return (
        f"{label} is dosed in {kind}, the exercise before it in {before}; give its starting "
        f"'{field}' in the rule (and 'sets' if they change)"
    )


def other_loads_in_units(
    entry: ExerciseEntry, library: dict[str, Exercise], before: str, after: str
) -> ExerciseEntry:
    """``entry`` with the loads it gives other exercises (a pin's exercise, a variant's
    stated dose) converted from ``before`` to ``after`` units and rounded to their steps.

    The entry's own loads are converted with it (:func:`planner.plan.loads.in_units`);
    its pins' loads only when it has a load of its own, so the others are done here."""
    if before == after:
        return entry
    plain = entry.model_copy(update={"increment": None})

    def change(value: float, exercise: str) -> float:
        return rounded(plain, library[exercise], convert(value, before, after), after)

    pins = tuple(
        p.model_copy(update={"load": change(p.load, p.exercise)})
        if p.exercise and p.load is not None and entry.load is None
        else p
        for p in entry.pins
    )
    rules: list[Rule] = []
    for rule in entry.progression:
        if isinstance(rule, VariantRule) and rule.load is not None:
            target = rule.to or library[entry.exercise].harder[0]
            rules.append(rule.model_copy(update={"load": change(rule.load, target)}))
        else:
            rules.append(rule)
    if pins == entry.pins and tuple(rules) == entry.progression:
        return entry
    return entry.model_copy(update={"pins": pins, "progression": tuple(rules)})


def _session_problems(phase: Phase, at: str) -> Iterator[Problem]:
    """Sessions the template leaves empty, and an exercise twice in one session (a log
    names the exercise, so it could not tell the two apart). Each is said once."""
    empty: set[str | None] = set()
    twice: set[tuple[int, str]] = set()
    for week in range(1, phase.weeks + 1):
        for day in dict.fromkeys(week_days(phase, week)):
            held = [
                (j, e)
                for j, e in enumerate(phase.exercises)
                if in_week(e, week, phase.weeks) and in_session(e, phase, day)
            ]
            if not held and day not in empty:
                empty.add(day)
                label = f"the day {day} session" if day else "a session"
                yield Problem(
                    at,
                    "days" if day else "name",
                    day or phase.name,
                    f"in week {week} {label} has no exercise (the entries of that day are "
                    "limited to other weeks); give it one for every week",
                )
            seen: set[str] = set()
            for j, e in held:
                pin = next((p for p in e.pins if p.week == week and p.exercise), None)
                done = pin.exercise if pin is not None and pin.exercise else e.exercise
                if done in seen and (j, done) not in twice:
                    twice.add((j, done))
                    yield Problem(
                        f"{at}.exercises[{j}]",
                        "exercise",
                        done,
                        f"'{done}' would be in one session twice (week {week}); a log could "
                        "not tell them apart: pick another exercise, or put them on "
                        "different days or weeks",
                    )
                seen.add(done)
