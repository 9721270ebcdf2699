"""May the person leave a phase (pure)? The goals for leaving it, and the week of it they
get when the log does not show them yet: an ``extend`` up to ``max_extensions`` times, then
a ``review`` each week until the goals are met or a clinician's go-ahead is recorded.

The goals build on the pain rules, 2-for-2 and the published hip programmes (Dolak 2011;
Khayambashi 2014: at least 80 % of sessions): sessions logged, pain in the phase's last
week, no worse or high mornings, and each exercise at the dose of the phase's last full
week.
"""

from dataclasses import dataclass

from planner.models.plan import Plan, Prescription, Session
from planner.plan.adjustments import COMEBACK_RULE
from planner.training.logbook import prescribed
from planner.training.missed import is_repeat, repeated_weeks
from planner.training.week_inputs import Outcome, Regenerate, WeekInputs, adjustment, since_swap
from planner.wording.plan import day_text, dose_text


@dataclass(frozen=True, slots=True)
class PhaseCheck:
    """Whether the phase ends (the next one starts as planned), and what the check said."""

    ends: bool
    outcome: Outcome


def _rank(rx: Prescription, ladder: tuple[str, ...]) -> tuple[float, int, int]:
    band = ladder.index(rx.band) if rx.band in ladder else -1
    return (rx.load or 0.0, band, sum(prescribed(rx)))


def unmet_goals(inputs: WeekInputs, base: Plan, phase: str) -> list[str]:
    """The goals for leaving ``phase`` that the log does not (yet) show; ``base`` is the
    plan without adjustments (the template's own doses)."""
    s, log = inputs.settings, inputs.log
    last = inputs.week - 1
    sessions = [x for x in inputs.plan.sessions if x.phase == phase and x.week <= last]
    logged = {e.session.slot for w in range(1, last + 1) for e in log.by_week.get(w, [])}
    # A week missed in full was repeated: the repeat stands in for it.
    repeated = repeated_weeks(inputs.keep)
    counted = [x for x in sessions if x.week not in repeated]
    done = sum(1 for x in counted if x.slot in logged)
    unmet = []
    if counted and done / len(counted) < s.min_adherence:
        unmet.append(f"{done} of {len(counted)} sessions logged (aim: {s.min_adherence:.0%})")
    worst = log.week_worst(last)
    if worst is not None and worst > s.phase_end_pain:
        unmet.append(f"pain up to {worst}/10 in week {last} (aim: {s.phase_end_pain} or less)")
    if any(e.verdict.morning_rose for e in log.by_week.get(last, [])):
        unmet.append(f"morning pain rose in week {last}")
    mornings = [c.morning_pain for c in log.week_mornings(last)]
    if mornings and max(mornings) > s.morning_pain_max:
        unmet.append(
            f"morning pain up to {max(mornings)}/10 in week {last} "
            f"(aim: {s.morning_pain_max} or less)"
        )
    unmet += _targets(inputs, base, phase, sessions)
    return unmet


def _targets(inputs: WeekInputs, base: Plan, phase: str, sessions: list[Session]) -> list[str]:
    """Exercises not yet at the dose the template aims for by the end of the phase
    (its last full week: a deload week is lighter on purpose and aims for nothing)."""
    if not sessions:
        return []
    span = next((p for p in base.phases if p.name == phase), None)
    if span is None:
        return []
    full = [
        x
        for x in base.sessions
        if x.phase == phase and span.first_week <= x.week <= span.last_week and not x.deload
    ]
    if not full:
        return []
    ladder = inputs.plan.band_ladder()
    missing = []
    # The person's dose, like the aim, comes from a full week: a deload week is
    # lighter on purpose.
    # A missed session was never done: its dose on paper says nothing of the person's.
    done = [x for x in sessions if not x.deload and x.slot not in inputs.missed] or [
        x for x in sessions if x.slot not in inputs.missed
    ]
    # Entry by entry, each at its latest session (with training days or per-week entries
    # a session holds only some): what it aims for at its last in the phase's full weeks.
    aims = {i: rx for x in full for i, rx in x.entries() if not rx.pinned}
    latest = {i: rx for x in done for i, rx in x.entries() if not rx.pinned}
    for index, rx in sorted(latest.items()):
        aim = aims.get(index)
        if aim is None:
            continue
        evidence = since_swap(inputs, (phase, index))
        if aim.exercise == rx.exercise and any(
            a < b for a, b in zip(_rank(rx, ladder), _rank(aim, ladder), strict=True)
        ):
            missing.append(f"{rx.name} at {dose_text(rx)} (the phase aims for {dose_text(aim)})")
        elif evidence and evidence[-1].verdict.kind != "ready":
            missing.append(f"{rx.name} not yet done in full at low pain")
    return missing


def phase_may_end(
    inputs: WeekInputs, regenerate: Regenerate, phase: str, following: str
) -> PhaseCheck:
    """Check the goals for leaving ``phase``; when they are unmet, add a week of it: an
    ``extend`` up to ``max_extensions`` times, then a ``review`` each week until the goals
    are met or a clinician's clearance is recorded."""
    s, week = inputs.settings, inputs.week
    unmet = unmet_goals(inputs, regenerate(()), phase)
    if not unmet:
        return PhaseCheck(
            True, Outcome(info=(f"{phase} phase criteria met; {following} starts as planned",))
        )
    why = "; ".join(unmet)
    extensions = sum(
        1
        for a in inputs.keep
        if a.kind == "extend"
        and a.phase == phase
        and not is_repeat(a)
        and a.rule != COMEBACK_RULE  # the week back from a break is no week for unmet goals
    )
    reviews = [a for a in inputs.keep if a.kind == "review" and a.phase == phase]
    if extensions < s.max_extensions:
        extend = adjustment(
            week,
            "extend",
            f"{phase} goals not met: one more week of it",
            f"one more week of {phase} ({extensions + 1} of at most {s.max_extensions}): {why}.",
            phase=phase,
        )
        return PhaseCheck(False, Outcome((extend,)))
    if reviews:
        # A review was advised: a clinician's clearance recorded since lets the phase end.
        advised = next(x.date for x in inputs.plan.sessions if x.week >= reviews[0].week - 1)
        today = inputs.state.today
        seen = [c for c in inputs.clearances if c.kind == "phase" and advised <= c.date <= today]
        if seen:
            return PhaseCheck(
                True,
                Outcome(
                    info=(
                        f"{phase} goals not all met ({why}), but a clinician's review was "
                        f"recorded on {day_text(seen[0].date)} ({seen[0].note}); {following} "
                        "starts",
                    )
                ),
            )
    review = adjustment(
        week,
        "review",
        f"{phase} goals still unmet after {extensions} extra week(s): clinical review",
        f"the {phase} phase goals are not met yet ({why}). Ask a physiotherapist to look at "
        f"your progress; the {phase} phase goes on until its goals are met or you record "
        "their go-ahead for the next phase with planner clear --phase.",
        phase=phase,
    )
    advice = review.reason[0].upper() + review.reason[1:]
    return PhaseCheck(False, Outcome((review,), advice=(advice,)))
