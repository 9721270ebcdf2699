"""Parse and check the person's command-line choices into :class:`PlanOptions`.

Each message names the option and shows a value that would work.
"""

import datetime as dt
import re
import zoneinfo
from typing import TYPE_CHECKING

from planner.errors import OptionError
from planner.models.plan import PlanOptions
from planner.schedule import parse_days

if TYPE_CHECKING:
    from planner.models.calendar import CalendarOptions

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


_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")


def parse_duration(text: str, option: str) -> int:
    """Parse ``30m``, ``1h``, ``1h30m`` or ``2d`` into minutes (a bare number means minutes)."""
    value = text.strip().lower().replace(" ", "")
    if value.isdigit():
        return int(value)
    match = _DURATION.fullmatch(value)
    if not value or not match or not any(match.groups()):
        raise OptionError(f"{option}: '{text}' is not a duration; use e.g. 30m, 2h or 1h30m")
    days, hours, minutes = (int(group or 0) for group in match.groups())
    return (days * 24 + hours) * 60 + minutes


def check_color(text: str) -> str:
    """Return the CSS colour name in lower case, as RFC 7986 COLOR expects."""
    from planner.css_colors import CSS_COLORS

    name = text.strip().lower()
    if name not in CSS_COLORS:
        close = sorted(c for c in CSS_COLORS if name and (name in c or c in name))[:4]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise OptionError(
            f"--color: '{text}' is not a CSS colour name{hint}; use e.g. teal, tomato or navy"
        )
    return name


def build_calendar_options(
    name: str | None = None,
    color: str | None = None,
    remind: str | None = None,
    refresh: str | None = None,
    utc: bool | None = None,
) -> tuple["CalendarOptions", set[str]]:
    """Check the calendar options; also return which ones were given (the others keep
    whatever the saved plan had)."""
    from planner.models.calendar import CalendarOptions

    fields: dict[str, object] = {}
    if name is not None:
        if not name.strip():
            raise OptionError("--calendar-name: give a name, e.g. 'Knee plan'")
        fields["name"] = name.strip()
    if color is not None:
        fields["color"] = check_color(color)
    if remind is not None:
        # "none" switches off a reminder that the saved plan has.
        minutes = None if remind.strip().lower() == "none" else parse_duration(remind, "--remind")
        if minutes is not None and minutes > 7 * 24 * 60:
            raise OptionError(f"--remind: '{remind}' is more than a week ahead; give at most 7d")
        fields["remind"] = minutes
    if refresh is not None:
        minutes = parse_duration(refresh, "--refresh")
        if not 15 <= minutes <= 31 * 24 * 60:
            raise OptionError(f"--refresh: '{refresh}' is out of range; give 15m to 31d")
        fields["refresh"] = minutes
    if utc is not None:
        fields["utc"] = utc
    return CalendarOptions.model_validate(fields), set(fields)
