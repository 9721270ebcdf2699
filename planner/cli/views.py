"""Terminal text for ``show``, ``templates`` and ``exercises``: plain strings, no I/O."""

import datetime as dt
from itertools import groupby

from planner.models.adapt import Adjustment
from planner.models.exercise import Exercise
from planner.models.plan import Plan, Prescription, Session
from planner.models.program import ExerciseEntry, ProgramTemplate
from planner.wording.entry import group_heading, runs, short_extras
from planner.wording.life import life_lines, short_day, skipped_slots, status_text
from planner.wording.plan import (
    block_lines,
    decision_text,
    dose_text,
    has_loads,
    personal_summary,
)

# Terminal lines are kept within this many columns where they can be wrapped.
_WIDTH = 79


def _day(date: dt.date) -> str:
    return date.strftime("%a %d %b %Y")


def _week_heading(week: int, sessions: list[Session]) -> list[str]:
    """``Week 3  strength  DELOAD  (W3S1 Mon 21 Dec, ...)``, wrapped between sessions."""
    first = sessions[0]
    mark = "  DELOAD" if first.deload else ""
    mark += "  SAFETY STOP" if any(s.paused for s in sessions) else ""
    items = [f"{s.slot} {s.date:%a %d %b}" for s in sessions]
    lines = [f"Week {week}  {first.phase}{mark}  ("]
    for n, item in enumerate(items):
        piece = item + (", " if n < len(items) - 1 else ")")
        if len(lines[-1]) + len(piece.rstrip()) > _WIDTH and lines[-1].strip():
            lines[-1] = lines[-1].rstrip()
            lines.append("    ")
        lines[-1] += piece
    return lines


def _adapted_lines(adjustments: list[Adjustment]) -> list[str]:
    """What adapt changed from this week on, and why (the reason names the exercise)."""
    if not adjustments:
        return []
    lines = [" Adapted from your log:"]
    for a in adjustments:
        lines += _wrapped(a.reason, "  - ", "    ")
    return lines


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    """``text`` wrapped to the terminal width the views keep to."""
    import textwrap

    return textwrap.wrap(
        text, _WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def plan_table(plan: Plan, name: str | None = None) -> str:
    """Week-by-week view: the warm-up and cool-down of every session, then per week its
    sessions (W1S1 ...) with dates, phase, deload mark, each exercise's dose and what adapt
    changed and why; the pauses and moved sessions first, and each session that waits in
    a pause or was skipped."""
    opts = plan.options
    when = f" at {opts.time:%H:%M} {opts.tz}" if opts.time else ""
    lines = [
        f"{plan.title} ({plan.template}, plan {plan.id})",
        f"{plan.weeks} weeks, {len(plan.sessions)} sessions, from {_day(opts.start)}{when}",
    ]
    lines += [f"warning: {w}" for w in plan.warnings]
    personal = personal_summary(opts, plan.units, has_loads(plan))
    if personal:
        lines.append(personal)
    lines += [f"- {decision_text(d)}" for d in plan.decisions]
    lines += life_lines(plan, name)
    lines += ["", "Every session:"]
    for title, block in (("Warm-up", plan.warmup), ("Cool-down", plan.cooldown)):
        for line in block_lines(title, block):
            lines += _wrapped(line, " ", "   ")
    width = max(len(rx.name) for s in plan.sessions for rx in s.exercises)
    skipped = skipped_slots(plan)
    for week, group in groupby(plan.sessions, key=lambda s: s.week):
        sessions = list(group)
        lines += ["", *_week_heading(week, sessions)]
        lines += [
            f" {s.slot} ({short_day(s.date)}): {status}"
            for s in sessions
            if (status := status_text(plan, s, skipped))
        ]
        # Sessions of a week usually match; one that differs (held after a red flag, say)
        # is shown on its own, so no dose is hidden behind the first session's.
        kinds: dict[tuple[str, ...], list[str]] = {}
        for s in sessions:
            kinds.setdefault(_dose_lines(s.exercises, width), []).append(s.slot)
        days = {s.slot: f" ({s.title})" if s.day else "" for s in sessions}
        for doses, slots in kinds.items():
            if len(kinds) > 1 or any(days.values()):
                titled = dict.fromkeys(days[slot] for slot in slots)
                lines.append(f" {', '.join(slots)}{''.join(titled)}:")
            lines += [f"  {line}" for line in doses]
        lines += _adapted_lines([a for a in plan.adjustments if a.week == week])
    return "\n".join(lines)


def _dose_lines(exercises: tuple[Prescription, ...], width: int) -> tuple[str, ...]:
    """One line per exercise; a superset or circuit under its heading, indented."""
    lines: list[str] = []
    for run in runs(exercises):
        pad = ""
        if run.label is not None:
            lines.append(f"{group_heading(run)}:")
            pad = "  "
        lines += [
            f"{pad}{rx.name:<{width}}  {dose_text(rx)}{short_extras(rx)}" for rx in run.exercises
        ]
    return tuple(lines)


def _author_text(entry: ExerciseEntry, units: str, library: dict[str, Exercise]) -> list[str]:
    """The entry's day, weeks, tempo, group, weekly limit and note, and each pin, as
    ``templates show`` lists them."""
    parts = [f"day {entry.day}"] if entry.day else []
    parts += [f"weeks {', '.join(map(str, entry.weeks))}"] if entry.weeks else []
    parts += [f"tempo {entry.tempo.notation()}"] if entry.tempo else []
    parts += [f"group {entry.group}"] if entry.group else []
    if entry.max_weekly_rise is not None:
        parts.append(f"load up at most {entry.max_weekly_rise:.0%} a week")
    lines = [f"      {', '.join(parts)}"] if parts else []
    lines += [f"      note: {entry.note}"] if entry.note else []
    for pin in entry.pins:
        said = [library[pin.exercise].name] if pin.exercise else []
        dose = _dose_words(pin.sets, pin.reps or pin.steps or pin.seconds, pin.seconds, pin.steps)
        said += [dose] if dose else []
        said += [f"@ {pin.load:g} {units}"] if pin.load else []
        said += [f"{pin.band} band"] if pin.band else []
        said += [f"tempo {pin.tempo.notation()}"] if pin.tempo else []
        said += [f"note: {pin.note}"] if pin.note else []
        lines.append(f"      week {pin.week} as written: {' '.join(said)}")
    return lines


def _dose_words(sets: int | None, count: int | None, seconds: int | None, steps: int | None) -> str:
    unit = " s" if seconds else (" steps" if steps else "")
    if count is None:
        return f"{sets} sets" if sets else ""
    return f"{sets} x {count}{unit}" if sets else f"{count}{unit}"


def _rule_text(entry: ExerciseEntry, units: str, library: dict[str, Exercise]) -> str:
    """The entry's progression rules in words."""
    parts = []
    for rule in entry.progression:
        every = "" if getattr(rule, "every", 1) == 1 else f" every {rule.every} weeks"  # type: ignore[union-attr]
        if rule.kind == "reps":
            parts.append(f"+{rule.step} reps{every or ' a week'} up to {rule.cap}")
        elif rule.kind == "hold":
            parts.append(f"+{rule.step} s{every or ' a week'} up to {rule.cap} s")
        elif rule.kind == "sets":
            weeks = ", ".join(map(str, rule.at_weeks))
            parts.append(f"+{rule.add} set in week {weeks} (up to {rule.cap})")
        elif rule.kind == "band":
            parts.append(f"reps {rule.low}-{rule.high}{every}, then the next band")
        elif rule.kind == "load":
            step = f"+{rule.add:g} {units}" if rule.add else f"+{rule.increase:.0%}"
            parts.append(f"reps {rule.low}-{rule.high}, then {step} load")
        else:
            target = library[rule.to].name if rule.to else "the harder variation"
            parts.append(f"after week {rule.after_weeks}: {target}")
    return "; ".join(parts) or "fixed"


def source_lines(program: ProgramTemplate) -> list[str]:
    """Each source of a template as a reader would look it up, and what it supports."""
    import textwrap

    def wrapped(text: str, first: str) -> list[str]:
        # Web addresses and DOIs stay whole, so they can be copied from the terminal.
        return textwrap.wrap(
            text,
            width=80,
            initial_indent=first,
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        )

    lines: list[str] = []
    for source in program.sources:
        lines += wrapped(source.citation(), "- ")
        lines += wrapped(f"supports: {source.supports}", "  ")
    return lines


def program_detail(slug: str, program: ProgramTemplate, library: dict[str, Exercise]) -> str:
    """Everything a template says, readable in a terminal."""
    lines = [f"{program.title} ({slug})", "", program.summary, "", "Sources:"]
    lines += source_lines(program)
    if program.max_weekly_rise is not None:
        lines += ["", f"Loads go up at most {program.max_weekly_rise:.0%} a week."]
    lines.append("")
    for phase in program.phases:
        lines.append(
            f"{phase.name}: {phase.weeks} wk x {phase.sessions_per_week}/wk, "
            f"RPE {phase.rpe[0]:g}-{phase.rpe[1]:g}, rest {phase.rest} s - {phase.goal}"
        )
        if phase.days:
            lines.append(f"  training days, in turn: {', '.join(phase.days)}")
        for e in phase.exercises:
            dose = e.reps or e.steps or e.seconds
            unit = " s" if e.seconds else (" steps" if e.steps else "")
            extra = f" @ {e.load:g} {program.units}" if e.load else ""
            extra += f" {e.band} band" if e.band else ""
            name = library[e.exercise].name
            if e.name:
                name = f"{e.name} ({name})"
            rules = _rule_text(e, program.units, library)
            lines.append(f"  - {name}: {e.sets} x {dose}{unit}{extra}; {rules}")
            lines += _author_text(e, program.units, library)
    if program.deload:
        d = program.deload
        lines += [
            "",
            f"Deload: every {d.every} weeks in plans of {d.min_plan_weeks}+ weeks, "
            f"volume -{d.volume_cut:.0%}, load -{d.load_cut:.0%}",
        ]
    return "\n".join(lines)


def exercise_detail(ex: Exercise, library: dict[str, Exercise]) -> str:
    """One exercise: muscles, kit, dose, cues, variations, pain flags."""

    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(f"{library[i].name} ({i})" for i in ids) or "-"

    lines = [
        f"{ex.name} ({ex.id})",
        f"muscles:   {', '.join(ex.muscles)}",
        f"equipment: {', '.join(ex.equipment) or 'none'}",
        f"dose:      {ex.dose}{' per side' if ex.unilateral else ''}",
        f"easier:    {names(ex.easier)}",
        f"harder:    {names(ex.harder)}",
    ]
    if ex.knee_focused:
        lines.append("knee-focused exercise")
    for flag in ex.provokes:
        lines.append(f"may bother the {flag}: use {names((ex.instead[flag],))} instead")
    for flag, cue in ex.cue_for.items():
        lines.append(f"cue first for the {flag}: {cue}")
    lines += ["cues:"] + [f"- {c}" for c in ex.cues]
    return "\n".join(lines)
