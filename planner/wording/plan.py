"""Plain-text wording of prescriptions and sessions, shared by every output."""

import datetime as dt

from planner.models.plan import Block, Decision, Plan, PlanOptions, Prescription, Session
from planner.wording.entry import author_lines, group_heading, marks, member_mark, short_extras
from planner.wording.life import life_lines, session_life_notes
from planner.wording.safety import NO_PROMISE, pain_rule, red_flag_rule

DELOAD_NOTE = "Deload week: less volume and load so you recover; do not add extra."


def day_text(date: dt.date) -> str:
    """``Mon 7 Dec 2026``."""
    return f"{date:%a} {date.day} {date:%b %Y}"


def fmt_number(value: float) -> str:
    """``32.5`` stays ``32.5``, ``30.0`` becomes ``30``."""
    return f"{value:g}"


def dose_text(rx: Prescription) -> str:
    """``3 x 10 per side @ 20 kg, red band`` style dose, without rest or cue."""
    if rx.seconds is not None:
        amount = f"{rx.seconds} s"
    elif rx.steps is not None:
        amount = f"{rx.steps} steps each way"
    else:
        amount = str(rx.reps)
    text = f"{rx.sets} x {amount}"
    if rx.per_side:
        text += " per side"
    extras = []
    if rx.load is not None:
        extras.append(f"{fmt_number(rx.load)} {rx.unit}")
    if rx.band is not None:
        extras.append(f"{rx.band} band")
    return text + (f" @ {', '.join(extras)}" if extras else "")


def prescription_lines(number: int | str, rx: Prescription, grouped: bool = False) -> list[str]:
    """The lines describing one exercise in a session: dose, rest, cue, the author's tempo
    and note, the planner's notes. In a superset or circuit (``grouped``) the rest comes
    after the round, so the exercise's own is not shown."""
    rest = f", rest {rx.rest} s" if rx.rest and not grouped else ""
    lines = [f"{number}. {rx.name}: {dose_text(rx)}{rest}", f"   Cue: {rx.cue}"]
    lines += [f"   {line}" for line in author_lines(rx)]
    lines += [f"   Note: {note}" for note in rx.notes]
    return lines


def exercise_lines(exercises: tuple[Prescription, ...]) -> list[str]:
    """A session's exercises in order, each superset or circuit under its heading."""
    lines: list[str] = []
    for run, number in marks(exercises):
        if run.label is not None:
            lines.append(f"{number}. {group_heading(run)}:")
        for i, rx in enumerate(run.exercises):
            mark = member_mark(number, run, i)
            lines += prescription_lines(mark, rx, grouped=run.label is not None)
    return lines


def block_lines(title: str, block: Block) -> list[str]:
    """Warm-up or cool-down as a short list."""
    lines = [f"{title} ({block.minutes} min)" + (f": {block.activity}" if block.activity else "")]
    lines += [f"- {rx.name}: {dose_text(rx)}{short_extras(rx)}" for rx in block.exercises]
    lines += [f"  Note: {note}" for note in block.notes]
    return lines


def has_loads(plan: Plan) -> bool:
    """Whether any exercise of the plan lifts an external load (a unit means something)."""
    blocks = (*plan.warmup.exercises, *plan.cooldown.exercises)
    return any(rx.load is not None for rx in blocks) or any(
        rx.load is not None for s in plan.sessions for rx in s.exercises
    )


def personal_summary(options: PlanOptions, units: str, loads: bool = True) -> str | None:
    """One line on how the plan was fitted to the person, or None if it was not; the unit
    is named only when ``loads`` says the plan has loads to weigh."""
    parts = []
    if options.avoid:
        parts.append(f"avoiding strain on {', '.join(options.avoid)}")
    if options.equipment is not None:
        parts.append(f"equipment: {', '.join(options.equipment) or 'none'}")
    if options.level != "beginner":
        parts.append(f"level: {options.level}")
    if options.units is not None and loads:
        parts.append(f"loads in {units}")
    if options.loads:
        parts.append(f"your starting loads: {', '.join(map(str, options.loads))}")
    if options.bands:
        parts.append(f"your bands: {', '.join(options.bands)}")
    if options.phase_weeks:
        parts.append(f"phase weeks: {', '.join(map(str, options.phase_weeks))}")
    return f"Tailored for you: {'; '.join(parts)}." if parts else None


def session_description(plan: Plan, session: Session) -> str:
    """Everything a person needs in the calendar event, as plain text."""
    return _session_description(
        plan, session, personal_summary(plan.options, plan.units, has_loads(plan))
    )


def session_descriptions(plan: Plan) -> list[str]:
    """:func:`session_description` of every session, in order: what the plan as a whole
    says is worked out once, not once a session (a 5-year plan has 1,500)."""
    personal = personal_summary(plan.options, plan.units, has_loads(plan))
    return [_session_description(plan, session, personal) for session in plan.sessions]


def _session_description(plan: Plan, session: Session, personal: str | None) -> str:
    span = next(p for p in plan.phases if p.name == session.phase)
    low, high = (fmt_number(r) for r in session.rpe)
    effort = f"effort {low}-{high}/10" if low != high else f"effort {low}/10"
    head = [
        f"{plan.title}",
        # No "of N weeks" here: an extra week added by adapt would then change every
        # event, including sessions already done.
        f"Week {session.week}, session {session.index}: "
        f"{session.phase} phase, {effort}, about {session.minutes} min.",
        f"Goal: {span.goal}",
    ]
    if session.deload:
        head.append(DELOAD_NOTE)
    head += session_life_notes(plan, session)  # waiting in a pause, or skipped
    head += session.notes
    if personal:
        head.append(personal)
    body = ["", *block_lines("Warm-up", plan.warmup), "", "Exercises:"]
    body += exercise_lines(session.exercises)
    body += ["", *block_lines("Cool-down", plan.cooldown)]
    tail = ["", pain_rule(plan.rules), red_flag_rule(plan.rules), NO_PROMISE]
    return "\n".join(head + body + tail)


def calendar_description(plan: Plan) -> str:
    """The calendar-level description: what the plan is, how it was fitted to the person,
    the pain rule and red flags."""
    lines = [plan.summary]
    personal = personal_summary(plan.options, plan.units, has_loads(plan))
    if personal:
        lines += ["", personal]
    if plan.decisions:
        lines += ["", "Changes made for you:"]
        lines += [f"- {decision_text(d)}" for d in plan.decisions]
    if life := life_lines(plan):
        lines += ["", *life]
    return "\n".join([*lines, "", pain_rule(plan.rules), red_flag_rule(plan.rules), NO_PROMISE])


def decision_text(decision: Decision) -> str:
    """``[strength] Glute bridge replaces Hip thrust, ...`` for --explain and descriptions."""
    return f"[{decision.where}] {decision.reason}"


# The choices generate says even without --explain: the ones a person would otherwise only
# find in the calendar (other exercises, fewer days than given).
_SAID_KINDS = ("substitute", "drop", "days")


def choice_summary(plan: Plan) -> list[str]:
    """The exercises swapped or left out and the days chosen, one line per choice, the same
    choice in several phases once (``--explain`` gives every decision in full)."""
    said: dict[str, list[str]] = {}
    for d in plan.decisions:
        if d.kind in _SAID_KINDS:
            # Why this stand-in was picked is detail for --explain.
            text = d.reason.split("; chosen as ")[0].rstrip(".") + "."
            wheres = said.setdefault(text, [])
            if d.where not in wheres:
                wheres.append(d.where)
    if not said:
        return []
    lines = ["choices made for you (all of them, with reasons: --explain):"]
    return lines + [f"- [{', '.join(wheres)}] {text}" for text, wheres in said.items()]
