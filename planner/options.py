"""Parse and check the person's command-line choices into :class:`PlanOptions`.

Each message names the option and shows a value that would work.
"""

import datetime as dt
import re
import zoneinfo

from planner.errors import OptionError
from planner.models.plan import PlanOptions
from planner.schedule import parse_days

MAX_WEEKS = 520


def parse_date(text: str, option: str = "--start") -> dt.date:
    """Parse an ISO date (``2026-12-07``)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise OptionError(
            f"{option}: '{text}' is not a date; use YYYY-MM-DD, e.g. 2026-12-07"
        ) from None


def parse_time(text: str) -> dt.time:
    """Parse a 24-hour clock time (``18:30``)."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise OptionError(f"--time: '{text}' is not a time; use 24-hour HH:MM, e.g. 18:30")
    return dt.time(int(match[1]), int(match[2]))


def check_tz(name: str) -> str:
    """Return ``name`` if the IANA database knows it."""
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name):
        raise OptionError(
            f"--tz: '{name}' is not a time zone name; use Area/City, e.g. Europe/Berlin"
        )
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise OptionError(
            f"--tz: unknown time zone '{name}'; use an IANA name like Europe/Berlin "
            f"or America/New_York"
        ) from None
    return name


def build_options(
    start: str,
    days: str,
    weeks: int | None = None,
    time: str | None = None,
    tz: str | None = None,
    duration: int | None = None,
) -> PlanOptions:
    """Check every option and combine them; raises :class:`OptionError` on the first bad one."""
    start_date = parse_date(start)
    day_codes = parse_days(days)
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise OptionError(f"--weeks: {weeks} is out of range; give 1 to {MAX_WEEKS}")
    clock = parse_time(time) if time is not None else None
    if clock is not None and tz is None:
        raise OptionError(
            "--time needs --tz so calendars place the session right; e.g. --tz Europe/Berlin"
        )
    if tz is not None and clock is None:
        raise OptionError("--tz only applies to timed sessions; add --time HH:MM or drop --tz")
    if duration is not None and clock is None:
        raise OptionError("--duration only applies to timed sessions; add --time HH:MM")
    if duration is not None and not 5 <= duration <= 480:
        raise OptionError(f"--duration: {duration} minutes is out of range; give 5 to 480")
    return PlanOptions(
        start=start_date,
        days=day_codes,
        weeks=weeks,
        time=clock,
        tz=check_tz(tz) if tz is not None else None,
        duration=duration,
    )
