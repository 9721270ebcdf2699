"""Words about the schedule bent to real life (pure): which sessions moved, from where to
where and why; the days off a plan keeps. Shared by ``generate``'s summary, ``--explain``
and the calendar events of moved sessions."""

from planner.models.plan import Moved, PlanOptions
from planner.wording.plan import day_text

# More moved sessions than this and the summary gives a count instead of every line.
SUMMARY_LINES = 5


def moved_line(moved: Moved) -> str:
    """``W3S3 moves from Fri 25 Dec 2026 to Sat 26 Dec 2026: Christmas Day``."""
    return (
        f"{moved.slot} moves from {day_text(moved.planned)} to {day_text(moved.date)}: {moved.why}"
    )


def moved_lines(moved: tuple[Moved, ...]) -> list[str]:
    """One line per moved session, in plan order."""
    return [moved_line(m) for m in moved]


def moved_summary(moved: tuple[Moved, ...], limit: int = SUMMARY_LINES) -> list[str]:
    """Every moved session when there are few; else how many, and where to read them."""
    if not moved:
        return []
    if len(moved) <= limit:
        return moved_lines(moved)
    first = moved[0]
    return [
        f"{len(moved)} sessions move off their planned days, from {first.slot} on: "
        f"{first.why}; see --explain for each"
    ]


def moved_note(moved: Moved) -> str:
    """The note a moved session carries into its calendar event."""
    return f"Moved from {day_text(moved.planned)}: {moved.why}."


def days_off_line(options: PlanOptions) -> str:
    """``days off: 2026-12-24..2026-12-26; public holidays of GB (9 days)``, or empty."""
    parts = []
    if options.skip:
        parts.append(", ".join(map(str, options.skip)))
    if options.holidays:
        parts.append(f"public holidays of {options.holidays} ({len(options.holiday_dates)} days)")
    return f"days off: {'; '.join(parts)}" if parts else ""
