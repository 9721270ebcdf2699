"""The safety state in words (pure): the block every command that shows a plan prints, and
the lines the printouts and exports reuse."""

from planner.models.plan import Plan
from planner.models.safety import SafetyReport
from planner.wording.plan import day_text

SEE_CLINICIAN = "Stop pushing on and see a doctor or physiotherapist."
WHILE_PAUSED = (
    "Until the safety stop is lifted, nothing in the plan gets harder and no new phase starts."
)


def status_line(state: SafetyReport) -> str:
    """One line: paused since when, or no red flag standing."""
    pause = state.standing
    if pause is not None:
        return (
            f"Safety stop since {day_text(pause.since)} because of red flags: nothing gets "
            "harder and no new phase starts."
        )
    if state.flags:
        last = state.pauses[-1]
        lifted = day_text(last.lifted) if last.lifted else "?"
        return (
            f"No red flag stands now ({len(state.flags)} reported earlier; the last safety "
            f"stop was lifted on {lifted}: {last.how})."
        )
    return "No red flags reported."


def to_lift_lines(state: SafetyReport, name: str | None) -> list[str]:
    """What lifts the standing pause, with the ``planner clear`` command spelled out for
    ``name`` on the clinician's go-ahead (which comes first when it is needed)."""
    steps = list(state.to_lift)
    if state.needs_clearance and steps:
        steps[0] += f': planner clear {name or "PLAN"} --note "seen by ... on ..."'
    return steps


def state_block(
    state: SafetyReport, name: str | None, every_flag: bool = False, plan: Plan | None = None
) -> list[str]:
    """The safety state as terminal lines: the standing red flags and what lifts them, or
    (``every_flag``) every red flag ever reported as well. With ``plan``: whether sessions
    ahead are still held although the pause has lifted."""
    lines = []
    pause = state.standing
    if pause is not None:
        lines.append(f"RED FLAGS: {status_line(state)}")
        lines += [f"  - {flag.text}" for flag in pause.flags]
        lines.append(f"  {SEE_CLINICIAN} {WHILE_PAUSED}")
        steps = to_lift_lines(state, name)
        if steps:
            lines.append("  To lift the safety stop:")
            lines += [f"  * {step}" for step in steps]
    else:
        lines.append(f"Safety: {status_line(state)}")
        if plan is not None and any(s.paused and s.date >= state.today for s in plan.sessions):
            lines.append(
                f"  Sessions ahead are still held from the safety stop: run 'planner adapt "
                f"{name or 'PLAN'}' to go on with the plan."
            )
    if every_flag:
        earlier = [p for p in state.pauses if p is not pause]
        for p in earlier:
            lines.append(f"  earlier safety stop {day_text(p.since)}: {p.how}")
            lines += [f"    - {flag.text}" for flag in p.flags]
    if state.high_mornings:
        worst = max(state.high_mornings, key=lambda m: m[1])
        lines.append(
            f"  High morning pain on {len(state.high_mornings)} day(s), up to {worst[1]}/10 on "
            f"{day_text(worst[0])}: progressions wait in the week after such a morning."
        )
    return lines
