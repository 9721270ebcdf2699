"""Which of the person's weekdays each phase trains on, said when it is not all of them
(pure): with more --days than a phase has sessions a week, the most evenly spread ones are
used, and the person is told which."""

from planner.models.plan import Decision


def day_choices(
    given: tuple[str, ...], phases: list[tuple[str, int, tuple[str, ...]]]
) -> tuple[Decision, ...]:
    """One decision for the plan when every phase uses the same days, else one per phase
    that uses fewer days than ``given``; none when every day given is used.

    ``phases`` holds each phase's name, sessions a week and the weekdays it trains on.
    """
    fewer = [(name, n, days) for name, n, days in phases if len(days) < len(given)]
    if not fewer:
        return ()
    of = f"of your {', '.join(given)} (the most evenly spread)"
    if len({days for _, _, days in phases}) == 1:
        _, n, days = phases[0]
        fewer = [("plan", n, days)]
    return tuple(
        Decision(
            kind="days", where=name, reason=f"{_sessions(n)} a week, on {', '.join(days)} {of}."
        )
        for name, n, days in fewer
    )


def _sessions(n: int) -> str:
    return f"{n} session{'' if n == 1 else 's'}"
