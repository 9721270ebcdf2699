"""Which of a saved plan's options a new revision keeps when the person leaves them out,
and the one check of how time, time zone and duration fit together."""

from planner.errors import OptionError
from planner.models.calendar import CalendarOptions
from planner.models.plan import PlanOptions

# The personal options: PlanOptions field -> command-line option. For a saved plan, those
# left out of the command keep their saved values, so moving days never drops a pain flag.
PERSONAL = {
    "avoid": "--avoid",
    "equipment": "--equipment",
    "level": "--level",
    "units": "--units",
    "loads": "--load",
    "bands": "--bands",
    "phase_weeks": "--phase-weeks",
}
# The schedule options kept the same way, so moving days never makes a timed plan
# all-day (and its reminder fire the night before). Start and days are always given.
TIMING = {
    "weeks": "--weeks",
    "time": "--time",
    "tz": "--tz",
    "duration": "--duration",
}
# Days off kept the same way, so a new revision with other weekdays still skips Christmas.
# The holiday dates themselves are looked up again for the new revision's years.
DAYS_OFF = {
    "skip": "--skip",
    "holidays": "--holidays",
}
KEPT = {**PERSONAL, **TIMING, **DAYS_OFF}


def check_timing(options: PlanOptions) -> None:
    """Refuse a time without a zone, or a zone or duration without a time.

    Checked once the saved values are merged in: a revision may give ``--time`` alone and
    keep the saved ``--tz``.
    """
    if options.time is not None and options.tz is None:
        raise OptionError(
            "--time needs --tz so calendars place the session right; e.g. --tz Europe/Berlin"
        )
    if options.tz is not None and options.time is None:
        raise OptionError("--tz only applies to timed sessions; add --time HH:MM or drop --tz")
    if options.duration is not None and options.time is None:
        raise OptionError("--duration only applies to timed sessions; add --time HH:MM")


def _shown(field: str, value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    if field == "time":
        return f"{value:%H:%M}"
    return str(value)


def keep_saved(
    options: PlanOptions, given: set[str], saved: PlanOptions
) -> tuple[PlanOptions, str]:
    """``options`` with every kept option (:data:`KEPT`) not in ``given`` taken from
    ``saved``, and a line saying which set values were kept (empty if none).

    ``--time none`` (time given, and ``None``) makes the plan all-day: the saved time zone
    and duration go with the time, unless given again (then :func:`check_timing` refuses
    them).
    """
    kept = {f: getattr(saved, f) for f in KEPT if f not in given}
    if "time" in given and options.time is None:
        for field in ("tz", "duration"):
            kept.pop(field, None)
    default = PlanOptions(start=saved.start, days=saved.days)
    shown = [
        f"{KEPT[field]} {_shown(field, value)}"
        for field, value in kept.items()
        if value != getattr(default, field)
    ]
    line = f"kept from the saved plan: {'; '.join(shown)}" if shown else ""
    return options.model_copy(update=kept), line


# The calendar options a revision keeps when left out: CalendarOptions field -> option.
CALENDAR = {
    "name": "--calendar-name",
    "color": "--color",
    "remind": "--remind",
    "refresh": "--refresh",
    "utc": "--utc",
    "title": "--title",
}


def kept_calendar(saved: CalendarOptions, given: set[str]) -> str:
    """The saved calendar options a revision keeps because the command left them out, as
    the words of the "kept" line (empty if every kept value is the default)."""
    default = CalendarOptions()
    shown = []
    for field, option in CALENDAR.items():
        value = getattr(saved, field)
        if field in given or value == getattr(default, field):
            continue
        if field in ("remind", "refresh"):  # spelled as the option takes it
            shown.append(f"{option} {minutes_text(value)}")
        elif field == "utc":
            shown.append(option)
        elif field in ("name", "title"):  # quoted: a name may hold the separators of this line
            quote = '"' if "'" in value else "'"
            shown.append(f"{option} {quote}{value}{quote}")
        else:
            shown.append(f"{option} {value}")
    return "; ".join(shown)


def minutes_text(minutes: int) -> str:
    """``90`` as ``1h30m``, ``720`` as ``12h``: the way --remind and --refresh are typed."""
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")
