"""Build a dated, progressive plan from a program template and a person's options (pure).

Tailoring comes first (:mod:`planner.plan.tailor`), then the schedule
(:mod:`planner.plan.schedule`); each exercise entry of a phase climbs its ladder
(:mod:`planner.plan.ladder`) week by week, as the plan's adjustments say
(:mod:`planner.plan.adjustments`).
"""

import hashlib
from collections.abc import Collection, Iterator
from dataclasses import replace

from planner.errors import TemplateError
from planner.models.adapt import Adjustment
from planner.models.exercise import Exercise
from planner.models.plan import Block, PhaseSpan, Plan, PlanOptions, Prescription, Session
from planner.models.program import Block as TemplateBlock
from planner.models.program import Deload, ExerciseEntry, Phase, ProgramTemplate
from planner.plan.adjustments import PlanAdjustments
from planner.plan.ladder import EntryLadder, Trained, refused, settle
from planner.plan.progression import Dose, Lookups, deload, load_increment, round_hold, start_dose
from planner.plan.schedule import PhaseDays, build_schedule
from planner.plan.substitute import lightest_band, recast
from planner.plan.tailor import Tailored, tailor
from planner.version import __version__


def plan_id(
    slug: str, options: PlanOptions, owner: str | None = None, taken: Collection[str] = ()
) -> str:
    """A stable id from what identifies a plan: the template, its start date and, when
    given, its ``owner`` (``name:<saved plan>`` or ``calendar:<calendar name>``).

    Days, times and weeks are left out on purpose: moving sessions to other weekdays must
    keep the same event UIDs so calendars update instead of duplicating. Without an owner
    the id is the one every earlier version gave, so a file written again updates the
    events it wrote before.

    An id that would clash with one in ``taken`` (the same, or one of the two followed by
    ``-`` starting the other: publishing claims every UID that starts with ``<id>-``) is
    made again with a counter in the hash, never appended to the id, so the id keeps its
    one shape ``<slug>-<10 hex digits>``.
    """
    base = f"{slug}|{options.start.isoformat()}"
    if owner is not None:
        base = f"{base}|{owner}"
    for attempt in range(_ATTEMPTS):
        text = base if attempt == 0 else f"{base}|{attempt}"
        candidate = f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"
        if not any(_clash(candidate, other) for other in taken):
            return candidate
    # Only a slug that itself is, or starts with, a saved plan's id and '-' gets here
    # (a template file named like 'hip-knee-2507608acf.toml'): no hash can help then.
    raise TemplateError(
        f"template '{slug}': its name starts like the id of a saved plan, so its calendar "
        "events would be mixed up with that plan's; rename the template file"
    )


# Ids to try before giving up: a chance clash of 40-bit digests repeats with odds of one
# in a trillion per try, so more than one retry means the slug itself clashes.
_ATTEMPTS = 8


def _clash(one: str, other: str) -> bool:
    """Whether two plan ids would claim each other's UIDs (``<id>-<slot>@planner``)."""
    return one == other or one.startswith(f"{other}-") or other.startswith(f"{one}-")


def deload_weeks(plan: Deload | None, weeks: int) -> tuple[int, ...]:
    """Plan weeks (1-based) that are planned deloads; short plans get none (§5)."""
    if plan is None or weeks < plan.min_plan_weeks:
        return ()
    every = set(range(plan.every, weeks + 1, plan.every)) if plan.every else set()
    return tuple(sorted(every | {w for w in plan.weeks if w <= weeks}))


class PlanBuild:
    """One plan being built: the tailored template, its adjustments and the lookups every
    exercise shares, and what each exercise was last done at (across phases), for the
    week-over-week rules."""

    def __init__(
        self, tailored: Tailored, program: ProgramTemplate, adjusted: PlanAdjustments
    ) -> None:
        self.program = program
        self.library = tailored.library
        self.bands = self.program.bands
        self.units = self.program.units
        self.look = Lookups(self.library, self.bands, self.units)
        self.tailored = tailored
        self.adjusted = adjusted
        self.trained: dict[str, Trained] = {}
        self.last_load: dict[str, float] = {}
        self.start_band = lightest_band(program)

    def stand_in(self, entry: ExerciseEntry, chosen: str) -> ExerciseEntry:
        """``entry`` recast for the stand-in ``planner adapt`` chose."""
        old = self.library[entry.exercise]
        return recast(entry, self.library[chosen], old, self.start_band)

    def settle(self, dose: Dose, entry: ExerciseEntry) -> Dose:
        """``dose`` held to the week-over-week rules (see :func:`planner.plan.ladder.settle`)."""
        name = dose.exercise
        return settle(dose, entry, self.trained.get(name), self.last_load.get(name), self.look)

    def limit(self, ladder: EntryLadder, adjustment: Adjustment) -> None:
        """Cap an entry that steps back or holds at what the person did (see
        :class:`planner.models.adapt.Adjustment`); a band that is not on the plan's band
        ladder caps at its lightest band."""
        band = adjustment.band
        # A band off the ladder (the person renamed their bands in a later revision) cannot
        # be placed on it: its weight is unknown, so only the lightest band is sure to be no
        # harder. Leaving the cap out would let another, known cap be lost too
        # (training.evidence.tighter ranks an unknown band below every known one).
        index = None if band is None else self.bands.index(band) if band in self.bands else 0
        ladder.limit(
            load=adjustment.load,
            band=index,
            sets=adjustment.sets,
            count=adjustment.count,
            seconds=adjustment.seconds,
            below=adjustment.kind == "regress",
        )

    def week_dose(self, ladder: EntryLadder, phase_week: int, before: int) -> Dose:
        """The dose the entry on ``ladder`` trains this week, kept to the week-over-week
        rules.

        A step up the ladder that the rules refuse outright (a load or band that may not
        rise yet) becomes a hold: the entry stays at last week's position (``before``). The
        ladder then goes on from what is trained, not from what the rules refused.
        """
        pinned = ladder.pinned(phase_week)
        shown = self.settle(pinned, ladder.entry)
        if ladder.position > before and refused(pinned, shown, self.trained.get(pinned.exercise)):
            ladder.position = before
            held = shown.held
            pinned = ladder.pinned(phase_week)
            shown = self.settle(pinned, ladder.entry)
            shown = replace(shown, held=held or shown.held)
        if pinned == ladder.dose:
            ladder.rebase(shown)
        return shown

    def done(self, trained: list[Dose], shown: list[Prescription]) -> None:
        """Remember a finished week: its training doses (none in a deload) and loads."""
        for dose in trained:
            last = self.trained.get(dose.exercise)
            self.trained[dose.exercise] = Trained(dose) if last is None else last.then(dose)
        for rx in shown:
            if rx.load is not None:
                self.last_load[rx.exercise] = rx.load

    def prescribe(
        self,
        dose: Dose,
        entry: ExerciseEntry,
        rest: int,
        notes: list[str],
        week: int | None = None,
    ) -> Prescription:
        """Turn a dose into the text-ready prescription (holds in whole 5 s).

        The author's words ride along: a pin for the phase ``week`` replaces the entry's
        tempo and note that week. The entry's own ``name`` is shown only while the entry
        does its own exercise: a variant it moved on to is another move, named as the
        library names it (a stand-in never has the name, see
        :func:`planner.plan.substitute.recast`). A hold has no repetitions, so no tempo.
        """
        ex = self.library[dose.exercise]
        seconds = None if dose.seconds is None else round_hold(dose.seconds)
        pin = next((p for p in entry.pins if p.week == week), None)
        tempo = pin.tempo if pin is not None and pin.tempo is not None else entry.tempo
        note = pin.note if pin is not None and pin.note is not None else entry.note
        own = dose.exercise == entry.exercise
        return Prescription(
            exercise=ex.id,
            name=entry.name if own and entry.name else ex.name,
            sets=dose.sets,
            reps=dose.count if ex.dose == "reps" else None,
            steps=dose.count if ex.dose == "steps" else None,
            seconds=seconds if ex.dose == "hold" else None,
            per_side=ex.unilateral,
            band=None if dose.band is None else self.bands[dose.band],
            load=dose.load,
            unit=self.units if dose.load is not None else None,
            rest=entry.rest if entry.rest is not None else rest,
            cue=ex.cues[0],
            notes=tuple(notes),
            tempo=None if ex.dose == "hold" else tempo,
            note=note,
            group=entry.group,
        )


def _phase_weeks(
    phase: Phase, n_weeks: int, first_week: int, deloads: frozenset[int], build: PlanBuild
) -> Iterator[tuple[bool, list[Prescription]]]:
    """Yield (is_deload, prescriptions) for each week of one phase.

    A head start (``--level``) counts the phase's first progression weeks as done before
    week 1; a starting load the person gave stays as given. Adjustments from ``planner
    adapt`` hold, step back or swap single entries from their week on.
    """
    head = build.tailored.head_start
    ladders = [
        EntryLadder(entry, build.look, head, (phase.name, index) in build.tailored.fixed_loads)
        for index, entry in enumerate(phase.exercises)
    ]
    adjusted = build.adjusted
    for offset in range(n_weeks):
        week = first_week + offset
        is_deload = week in deloads
        week_rx: list[Prescription] = []
        trained: list[Dose] = []
        for index, ladder in enumerate(ladders):
            adjustment = adjusted.move(week, phase.name, index)
            notes = list(build.tailored.notes.get((phase.name, index), ()))
            before = ladder.position
            if adjustment is not None and adjustment.kind == "substitute":
                assert adjustment.chosen is not None
                ladder.swap(build.stand_in(phase.exercises[index], adjustment.chosen))
            else:
                delta = adjusted.delta(adjustment, week)
                ladder.move(min(delta, 0) if is_deload else delta, counts=not is_deload)
                if adjustment is not None and adjustment.kind in ("regress", "hold"):
                    build.limit(ladder, adjustment)  # go on from the load or band managed
            if adjustment is not None and not (
                adjustment.kind == "progress" and (adjusted.stopped(week) or is_deload)
            ):
                # A step up that is not taken (a pause began, or it is a deload week) is
                # not told.
                notes.append(f"Adapted from your log: {adjustment.reason}")
            entry = ladder.entry
            shown = build.week_dose(ladder, offset + 1, before)
            if is_deload and build.program.deload is not None:
                increment = load_increment(build.library[entry.exercise], entry, build.units)
                light = deload(shown, build.program.deload, increment)
                notes.append("Deload week: lighter on purpose, keep the form crisp.")
            else:
                light = shown
                trained.append(shown)
                if shown.held:
                    notes.append(shown.held)
            if shown.exercise != entry.exercise:
                notes.append(f"Moved on from {build.library[entry.exercise].name}.")
            week_rx.append(build.prescribe(light, entry, phase.rest, notes, offset + 1))
        build.done(trained, week_rx)
        yield is_deload, week_rx


def _block(block: TemplateBlock, where: str, build: PlanBuild) -> Block:
    return Block(
        minutes=block.minutes,
        activity=block.activity,
        exercises=tuple(
            build.prescribe(start_dose(e, build.bands), e, 0, []) for e in block.exercises
        ),
        notes=build.tailored.block_notes.get(where, ()),
    )


def generate(
    slug: str,
    program: ProgramTemplate,
    library: dict[str, Exercise],
    options: PlanOptions,
    adjustments: tuple[Adjustment, ...] = (),
) -> Plan:
    """Build the plan: schedule the weeks, progress each exercise, apply deloads.

    Args:
        slug: the template's name, recorded in the plan and used for its id.
        program: the validated template.
        library: exercises by id (already cross-checked against the template).
        options: start date, weekdays and the other choices of the person.
        adjustments: what ``planner adapt`` decided from the training log (see
            :mod:`planner.plan.adjustments`); the plan carries them on.

    Raises:
        OptionError: weeks out of range, or personal options that do not fit the template
            (see :func:`planner.plan.tailor.tailor`).
        ScheduleError: fewer weekdays than sessions a week.
    """
    tailored = tailor(program, library, options)
    adjusted = PlanAdjustments(adjustments)
    program = adjusted.extended(tailored.program)
    lengths = [p.weeks for p in program.phases]
    total = sum(lengths)
    deloads = frozenset(deload_weeks(program.deload, total)) | adjusted.deloads
    schedule = build_schedule(
        options.start,
        options.days,
        [
            PhaseDays(p.name, n, p.sessions_per_week, p.min_hours_between)
            for p, n in zip(program.phases, lengths, strict=True)
        ],
    )
    build = PlanBuild(tailored, program, adjusted)
    sessions: list[Session] = []
    spans: list[PhaseSpan] = []
    week = 1
    rpe_cap = program.deload.rpe_max if program.deload else 10.0
    for phase, n_weeks, days in zip(program.phases, lengths, schedule.phase_days, strict=True):
        spans.append(
            PhaseSpan(
                name=phase.name,
                goal=phase.goal,
                first_week=week,
                last_week=week + n_weeks - 1,
                sessions_per_week=phase.sessions_per_week,
                days=days,
            )
        )
        for is_deload, rx in _phase_weeks(phase, n_weeks, week, deloads, build):
            rpe = (
                (min(phase.rpe[0], rpe_cap), min(phase.rpe[1], rpe_cap)) if is_deload else phase.rpe
            )
            for index, date in enumerate(schedule.weeks[week - 1], start=1):
                sessions.append(
                    Session(
                        slot=f"W{week}S{index}",
                        week=week,
                        index=index,
                        phase=phase.name,
                        date=date,
                        minutes=options.duration or phase.minutes,
                        deload=is_deload,
                        rpe=rpe,
                        exercises=tuple(rx),
                        notes=adjusted.session_notes(week),
                    )
                )
            week += 1
    return Plan(
        id=plan_id(slug, options),
        template=slug,
        title=program.title,
        summary=program.summary,
        generator=f"planner {__version__}",
        options=options,
        weeks=total,
        units=program.units,
        phases=tuple(spans),
        deload_weeks=tuple(sorted(deloads)),
        warmup=_block(program.warmup, "warm-up", build),
        cooldown=_block(program.cooldown, "cool-down", build),
        sessions=tuple(sessions),
        warnings=(*schedule.warnings, *tailored.warnings),
        decisions=tailored.decisions,
        adjustments=adjustments,
        bands=build.bands,
        rules=program.adapt,
    )
