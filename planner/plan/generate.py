"""Build a dated, progressive plan from a program template and a person's options (pure).

Tailoring comes first (:mod:`planner.plan.tailor`), then the schedule
(:mod:`planner.plan.schedule`); each exercise entry of a phase climbs its ladder
(:mod:`planner.plan.ladder`) week by week (:mod:`planner.plan.weeks`), as the plan's
adjustments say (:mod:`planner.plan.adjustments`), on its training days
(:mod:`planner.plan.days`).
"""

import hashlib
from collections.abc import Collection
from dataclasses import replace

from planner.errors import TemplateError
from planner.models.adapt import Adjustment
from planner.models.exercise import Exercise
from planner.models.plan import Block, PhaseSpan, Plan, PlanOptions, Prescription, Session
from planner.models.program import Block as TemplateBlock
from planner.models.program import Deload, ExerciseEntry, Phase, ProgramTemplate
from planner.plan.adjustments import PlanAdjustments
from planner.plan.day_choices import day_choices
from planner.plan.days import in_session, session_day
from planner.plan.ladder import EntryLadder, Trained, refused, settle
from planner.plan.progression import (
    MAX_WEEKLY_RISE,
    Dose,
    Lookups,
    round_hold,
    start_dose,
    weekly_rise,
)
from planner.plan.reschedule import moved_sessions, reschedule
from planner.plan.schedule import PhaseDays, build_schedule
from planner.plan.substitute import lightest_band, recast
from planner.plan.tailor import Tailored, tailor
from planner.plan.weekly_cap import WeeklyCap
from planner.plan.weeks import phase_weeks
from planner.version import __version__
from planner.wording.schedule import moved_note


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
        self,
        tailored: Tailored,
        program: ProgramTemplate,
        adjusted: PlanAdjustments,
        deloads: frozenset[int] = frozenset(),
    ) -> None:
        self.program = program
        self.deloads = deloads
        self.library = tailored.library
        self.bands = self.program.bands
        self.units = self.program.units
        rise = program.max_weekly_rise
        self.look = Lookups(
            self.library, self.bands, self.units, MAX_WEEKLY_RISE if rise is None else rise
        )
        self.cap = WeeklyCap(program, self.library)
        self.tailored = tailored
        self.adjusted = adjusted
        self.trained: dict[str, Trained] = {}
        self.last_load: dict[str, float] = {}
        self.start_band = lightest_band(program)
        # Exercises whose load the person set (--load): a week the template gives to one
        # of them does not bring in the template's load for it.
        self.own_loads = frozenset(
            e.exercise
            for p in program.phases
            for i, e in enumerate(p.exercises)
            if (p.name, i) in tailored.fixed_loads
        )

    @staticmethod
    def by_entry(phase: Phase) -> bool:
        """Whether the phase's sessions name their entries: only where a session may hold
        some of them (days, per-week entries), so plans without keep their old shape."""
        return bool(phase.days) or any(e.weeks for e in phase.exercises)

    def stand_in(self, entry: ExerciseEntry, chosen: str) -> ExerciseEntry:
        """``entry`` recast for the stand-in ``planner adapt`` chose.

        The weeks the template gives to other exercises are left out: adapt swapped the
        exercise because it kept hurting, and the template's next moves (often harder
        variations of it) were written for someone it did not hurt."""
        old = self.library[entry.exercise]
        recast_entry = recast(entry, self.library[chosen], old, self.start_band)
        pins = tuple(p for p in recast_entry.pins if p.exercise is None)
        return recast_entry.model_copy(update={"pins": pins})

    def no_more_than_trained(self, dose: Dose) -> Dose:
        """``dose`` with its load and band at most those of the exercise's last training
        week: a deload week lightens what was done, not a heavier load the template writes
        for that week."""
        last = self.trained.get(dose.exercise)
        if last is None:
            return dose
        load = dose.load
        if load is not None and last.dose.load is not None:
            load = min(load, last.dose.load)
        band = dose.band
        if band is not None and last.dose.band is not None:
            band = min(band, last.dose.band)
        return replace(dose, load=load, band=band)

    def settle(
        self, dose: Dose, entry: ExerciseEntry, written: float | None = None, keep: bool = True
    ) -> Dose:
        """``dose`` held to the week-over-week rules (see :func:`planner.plan.settle.settle`);
        ``written`` is the template's own load for the week, kept as written."""
        name = dose.exercise
        last, last_load = self.trained.get(name), self.last_load.get(name)
        return settle(dose, entry, last, last_load, self.look, written, keep)

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

    def week_dose(self, ladder: EntryLadder, phase: str, phase_week: int, before: int) -> Dose:
        """The dose the entry on ``ladder`` (of phase ``phase``) trains this week, kept to
        the week-over-week rules.

        A load the template writes (phase start, pin) is kept as written; the weekly cap
        acts on the planner's own steps (see :mod:`planner.plan.weekly_cap`). A step up the
        ladder that the rules refuse outright (a load or band that may not rise yet)
        becomes a hold: the entry stays at last week's position (``before``), unless it is
        the exercise's one first step above the cap. The ladder then goes on from what is
        trained, not from what the rules refused.
        """
        entry, cap = ladder.entry, self.cap
        moved = ladder.position > before
        pinned = cap.guard(ladder, ladder.pinned(phase_week))
        asked = pinned
        keep = not ladder.limited
        shown = self.settle(pinned, entry, cap.written(ladder, phase_week), keep)
        last = self.trained.get(pinned.exercise)
        if moved and refused(pinned, shown, last):
            ladder.position = before
            held = shown.held
            pinned = cap.guard(ladder, ladder.pinned(phase_week))
            shown = self.settle(pinned, entry, cap.written(ladder, phase_week), keep)
            shown = replace(shown, held=held or shown.held)
        if pinned == ladder.dose:
            stepped = cap.first_step(ladder, shown, last, self.look) if moved else None
            shown = shown if stepped is None else stepped
            ladder.rebase(shown)
        cap.explain(phase, phase_week, entry, asked, shown, last, weekly_rise(entry, self.look))
        ladder.trains(shown)
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
        # A pin that puts another exercise in speaks of that exercise only: when it is not
        # done (after pain, say), its tempo and note are not the entry's own.
        pin = next(
            (p for p in entry.pins if p.week == week and p.exercise in (None, dose.exercise)),
            None,
        )
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
    template = program
    tailored = tailor(program, library, options)
    adjusted = PlanAdjustments(adjustments)
    program = adjusted.extended(tailored.program)
    lengths = [p.weeks for p in program.phases]
    total = sum(lengths)
    deloads = frozenset(deload_weeks(program.deload, total)) | adjusted.deloads
    phase_days = [
        PhaseDays(p.name, n, p.sessions_per_week, p.min_hours_between)
        for p, n in zip(program.phases, lengths, strict=True)
    ]
    schedule = reschedule(
        build_schedule(options.start, options.days, phase_days), options, phase_days
    )
    skipped = {s.slot for s in options.skipped}
    moved = moved_sessions(schedule)
    # A moved session says why in its own notes, so its calendar event tells it too.
    moved_notes = {m.slot: (moved_note(m),) for m in moved}
    build = PlanBuild(tailored, program, adjusted, deloads)
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
        written = template.phases[len(spans) - 1].weeks
        first = week
        for is_deload, rx in phase_weeks(phase, n_weeks, week, written, deloads, build):
            rpe = (
                (min(phase.rpe[0], rpe_cap), min(phase.rpe[1], rpe_cap)) if is_deload else phase.rpe
            )
            for index, date in enumerate(schedule.weeks[week - 1], start=1):
                day = session_day(phase, week - first + 1, index)
                slot = f"W{week}S{index}"
                sessions.append(
                    Session(
                        slot=slot,
                        week=week,
                        index=index,
                        phase=phase.name,
                        date=date,
                        minutes=options.duration or phase.minutes,
                        deload=is_deload,
                        rpe=rpe,
                        exercises=tuple(
                            p for i, p in rx.items() if in_session(phase.exercises[i], phase, day)
                        ),
                        notes=(*adjusted.session_notes(week), *moved_notes.get(slot, ())),
                        day=day,
                        waiting=slot in schedule.waiting,
                        skipped=slot in skipped,
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
        decisions=(
            *tailored.decisions,
            *build.cap.log.decisions,
            *day_choices(options.days, [(s.name, s.sessions_per_week, s.days) for s in spans]),
        ),
        adjustments=adjustments,
        moved=moved,
        bands=build.bands,
        rules=program.adapt,
    )
