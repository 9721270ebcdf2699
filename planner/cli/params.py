"""Parse and check the person's command-line choices into :class:`PlanOptions`.

Each message names the option and shows a value that would work.
"""

import datetime as dt
import re
import zoneinfo

from planner.errors import OptionError
from planner.models.common import (
    DEFAULT_BANDS,
    EQUIPMENT,
    FIRST_DATE,
    LAST_DATE,
    LEVELS,
    PAIN_FLAGS,
    Equipment,
    Level,
    PainFlag,
    Units,
)
from planner.models.plan import MAX_WEEKS, PhaseLength, PlanOptions, StartLoad
from planner.plan.schedule import parse_days
from planner.suggest import did_you_mean


def parse_date(text: str, option: str = "--start") -> dt.date:
    """Parse an ISO date (``2026-12-07``) between :data:`FIRST_DATE` and :data:`LAST_DATE`.

    The one parser for ``--start``, ``--date`` and ``PLANNER_TODAY``: dates near the
    calendar's ends would overflow once weeks or a time zone offset are added.
    """
    try:
        day = dt.date.fromisoformat(text.strip()[:32])
    except ValueError:
        raise OptionError(
            f"{option}: '{text[:32]}' is not a date; use YYYY-MM-DD, e.g. 2026-12-07"
        ) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise OptionError(
            f"{option}: {day.isoformat()} is out of range; give a date from "
            f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
        )
    return day


def parse_time(text: str) -> dt.time | None:
    """Parse a 24-hour clock time (``18:30``); ``none`` (None) makes a saved timed plan
    all-day."""
    if text.strip().lower() == "none":
        return None
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise OptionError(
            f"--time: '{text}' is not a time; use 24-hour HH:MM, e.g. 18:30 (or none for all-day)"
        )
    return dt.time(int(match[1]), int(match[2]))


# The IANA areas whose zones are places. Names outside them (``localtime``, ``Factory``,
# ``posixrules``, legacy ``EST5EDT``) follow the machine or no rules at all, so a calendar
# made with them would put sessions at a different hour on another computer.
_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


def check_tz(name: str) -> str:
    """Return ``name`` if it is ``UTC`` or a place's zone (Area/City) the IANA database knows."""
    shown = name[:64]
    if len(name) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name):
        raise OptionError(
            f"--tz: '{shown}' is not a time zone name; use Area/City, e.g. Europe/Berlin"
        )
    from planner.zones import zone  # the newer database, as the export will use

    try:
        zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a name such as Europe is a folder of the database, not a zone.
        raise OptionError(
            f"--tz: unknown time zone '{name}'{did_you_mean(name, _place_zones(), n=1)}; use an "
            f"IANA name like Europe/Berlin or America/New_York"
        ) from None
    if name not in ("UTC", "Etc/UTC") and name.split("/", maxsplit=1)[0] not in _AREAS:
        raise OptionError(
            f"--tz: '{shown}' is not a place's time zone; use Area/City, e.g. Europe/Berlin, or UTC"
        )
    return name


def _place_zones() -> list[str]:
    """Every zone name a plan may use (UTC and the places' Area/City zones), for a "did
    you mean": read from the databases only on the way to that error."""
    return ["UTC", *(z for z in zoneinfo.available_timezones() if z.split("/")[0] in _AREAS)]


def _items(text: str, option: str, example: str) -> list[str]:
    """Split a comma-separated option value; empty items are an error, not ignored."""
    items = [item.strip().lower() for item in text.split(",")]
    if not all(items):
        raise OptionError(f"{option}: '{text}' has an empty item; write e.g. {example}")
    return items


def _unique(items: list[str], option: str, example: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise OptionError(f"{option}: '{item}' is listed twice; list it once, e.g. {example}")
        seen.add(item)


def _choose(value: str, allowed: tuple[str, ...], option: str, what: str) -> str:
    if value not in allowed:
        raise OptionError(
            f"{option}: '{value}' is not {what}{did_you_mean(value, allowed)}; use one of "
            f"{', '.join(allowed)}"
        )
    return value


def parse_avoid(text: str) -> tuple[PainFlag, ...]:
    """``knee,back`` into pain flags (``none`` = no flags); repeats are harmless."""
    items = _items(text, "--avoid", "knee,back")
    if items == ["none"]:
        return ()
    flags = [_choose(i, PAIN_FLAGS, "--avoid", "a pain flag") for i in items]
    return tuple(f for f in PAIN_FLAGS if f in flags)


def parse_equipment(text: str) -> tuple[Equipment, ...] | None:
    """``band,bench`` into the kit the person has; ``none`` means body weight only and
    ``any`` means no limit (the template's own kit)."""
    items = _items(text, "--equipment", "band,bench")
    if items == ["none"]:
        return ()
    if items == ["any"]:
        return None
    allowed = (*EQUIPMENT, "none", "any")
    kit = [_choose(i, allowed, "--equipment", "known equipment") for i in items]
    for word in ("none", "any"):
        if word in kit:
            raise OptionError(f"--equipment: '{word}' cannot be combined with other equipment")
    return tuple(e for e in EQUIPMENT if e in kit)


def parse_level(text: str) -> Level:
    """``beginner``, ``intermediate`` or ``advanced``."""
    return _choose(text.strip().lower(), LEVELS, "--level", "a level")  # type: ignore[return-value]


def parse_units(text: str) -> Units:
    """``kg`` or ``lb``."""
    return _choose(text.strip().lower(), ("kg", "lb"), "--units", "a unit")  # type: ignore[return-value]


_LOAD = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)=([+-]?\d+(?:\.\d+)?)\s*([a-z]*)")


def parse_loads(values: list[str]) -> tuple[StartLoad, ...]:
    """``hip-thrust=40kg`` (repeatable, or comma-separated) into starting loads."""
    example = "hip-thrust=40kg"
    loads: list[StartLoad] = []
    if [v.strip().lower() for v in values] == ["none"]:
        return ()
    for value in values:
        for item in _items(value, "--load", example):
            match = _LOAD.fullmatch(item.replace(" ", ""))
            if not match:
                raise OptionError(
                    f"--load: '{item}' is not EXERCISE=AMOUNT+UNIT; write e.g. {example}"
                )
            exercise, amount, unit = match.groups()
            unit = {"lbs": "lb", "kgs": "kg"}.get(unit, unit)
            if not unit:
                raise OptionError(
                    f"--load: '{item}' has no unit; write {exercise}={amount}kg or "
                    f"{exercise}={amount}lb"
                )
            _choose(unit, ("kg", "lb"), "--load", f"a unit (in '{item}')")
            if not 0 < float(amount) <= 1000:
                raise OptionError(
                    f"--load: '{item}' is out of range; give a load above 0 and at most "
                    f"1000 (leave the exercise out to keep the template's load)"
                )
            loads.append(StartLoad(exercise=exercise, value=float(amount), unit=unit))
    _unique([s.exercise for s in loads], "--load", example)
    return tuple(loads)


def parse_bands(text: str) -> tuple[str, ...] | None:
    """The person's own bands, lightest first (``yellow,red,green,blue``); ``template``
    means the template's ladder."""
    example = "yellow,red,green,blue"
    bands = _items(text, "--bands", example)
    if bands == ["template"]:
        return None
    for band in bands:
        if not re.fullmatch(r"[a-z0-9][a-z0-9 _-]{0,29}", band):
            raise OptionError(
                f"--bands: '{band}' is not a band name; use short names such as {example}"
            )
        _known_band(band)
    _unique(bands, "--bands", example)
    return tuple(bands)


def _known_band(band: str) -> None:
    """Refuse a band name that is a slip for a colour (``yelow``): it would make a band
    of its own that no template names, so the plan could never move on to it. Any other
    name (a colour or a maker's own word, such as ``x-heavy``) is the person's choice."""
    from planner.cli.colors import CSS_COLORS

    if band in DEFAULT_BANDS or band in CSS_COLORS:
        return
    hint = did_you_mean(band, (*DEFAULT_BANDS, *sorted(CSS_COLORS)), cutoff=0.8)
    if hint:
        raise OptionError(
            f"--bands: '{band}' is not a band colour{hint}; name your bands lightest first, "
            "e.g. yellow,red,green,blue"
        )


def parse_phase_weeks(text: str) -> tuple[PhaseLength, ...]:
    """``activation=2,strength=4`` into phase lengths (names are checked with the template)."""
    example = "activation=2,strength=4,functional=2"
    lengths: list[PhaseLength] = []
    if text.strip().lower() == "none":
        return ()
    for item in _items(text, "--phase-weeks", example):
        match = re.fullmatch(r"([a-z][a-z-]*)=(-?\d+)", item.replace(" ", ""))
        if not match:
            raise OptionError(
                f"--phase-weeks: '{item[:40]}' is not PHASE=WEEKS; write e.g. {example}"
            )
        if len(match[2].lstrip("-0")) > 2 or not 1 <= int(match[2]) <= 52:
            raise OptionError(
                f"--phase-weeks: '{item[:40]}' is out of range; give each phase 1 to 52 weeks"
            )
        lengths.append(PhaseLength(phase=match[1], weeks=int(match[2])))
    _unique([p.phase for p in lengths], "--phase-weeks", example)
    return tuple(lengths)


def build_options(
    start: dt.date,
    days: str | None,
    weeks: int | None = None,
    time: dt.time | None = None,
    tz: str | None = None,
    duration: int | None = None,
    *,
    avoid: str | None = None,
    equipment: str | None = None,
    level: str | None = None,
    units: str | None = None,
    loads: list[str] | None = None,
    bands: str | None = None,
    phase_weeks: str | None = None,
    skip: list[str] | None = None,
    holidays: str | None = None,
) -> PlanOptions:
    """Check every option and combine them; raises :class:`OptionError` on the first bad one.

    ``start``, ``time`` and ``tz`` come parsed (the CLI attaches :func:`parse_date`,
    :func:`parse_time` and :func:`check_tz` to those options); the rest are checked here.

    The personal options are checked for form here; whether they fit the chosen template
    (phase names, exercises with a load) is checked when the plan is tailored.
    """
    from planner.cli.day_params import parse_holidays, parse_skip

    # No --days: a placeholder the template's default replaces once the template is read
    # (planner.service.plan_defaults.with_defaults).
    day_codes = parse_days(days) if days is not None else ("mon",)
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise OptionError(f"--weeks: {weeks} is out of range; give 1 to {MAX_WEEKS}")
    # How time, zone and duration fit together is checked once a saved plan's values are
    # merged in (planner.plan.kept_options.check_timing): a revision may give --time alone.
    if duration is not None and not 5 <= duration <= 480:
        raise OptionError(f"--duration: {duration} minutes is out of range; give 5 to 480")
    return PlanOptions(
        start=start,
        days=day_codes,
        weeks=weeks,
        time=time,
        tz=tz,
        duration=duration,
        avoid=parse_avoid(avoid) if avoid is not None else (),
        equipment=parse_equipment(equipment) if equipment is not None else None,
        level=parse_level(level) if level is not None else "beginner",
        units=parse_units(units) if units is not None else None,
        loads=parse_loads(loads or []),
        bands=parse_bands(bands) if bands is not None else None,
        phase_weeks=parse_phase_weeks(phase_weeks) if phase_weeks is not None else (),
        skip=parse_skip(skip or []),
        holidays=parse_holidays(holidays) if holidays is not None else None,
    )


def parse_weeks(text: str) -> int | None:
    """``--weeks``: a plan length in weeks, or ``template`` (None) for the template's own
    length, which a saved plan otherwise keeps."""
    weeks = _count_or_template(text, "--weeks", "a number of weeks", "8")
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise OptionError(f"--weeks: {weeks} is out of range; give 1 to {MAX_WEEKS}")
    return weeks


def parse_session_minutes(text: str) -> int | None:
    """``--duration``: minutes per timed session, or ``template`` (None) for each phase's
    own, which a saved plan otherwise keeps."""
    minutes = _count_or_template(text, "--duration", "minutes", "45")
    if minutes is not None and not 5 <= minutes <= 480:
        raise OptionError(f"--duration: {minutes} minutes is out of range; give 5 to 480")
    return minutes


def _count_or_template(text: str, option: str, what: str, example: str) -> int | None:
    """A whole number of at most four digits, or ``template`` (None)."""
    value = text.strip().lower()
    if value == "template":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 4:
        raise OptionError(f"{option}: '{text[:20]}' is not {what}; give e.g. {example} or template")
    return int(value)


_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")


def parse_duration(text: str, option: str) -> int:
    """Parse ``30m``, ``1h``, ``1h30m`` or ``2d`` into minutes (a bare number means minutes)."""
    value = text.strip().lower().replace(" ", "")
    # Any duration we take fits in a few digits; a longer one is refused before int(),
    # which raises on more than 4,300 digits.
    if len(value) > 16:
        raise OptionError(f"{option}: '{text[:20]}…' is too long; use e.g. 30m, 2h or 1h30m")
    if value.isascii() and value.isdigit():
        return int(value)
    match = _DURATION.fullmatch(value)
    if not value or not match or not any(match.groups()):
        raise OptionError(f"{option}: '{text}' is not a duration; use e.g. 30m, 2h or 1h30m")
    days, hours, minutes = (int(group or 0) for group in match.groups())
    return (days * 24 + hours) * 60 + minutes


def check_color(text: str) -> str:
    """Return the CSS colour name in lower case, as RFC 7986 COLOR expects (names only:
    a ``#rrggbb`` value is refused with that advice)."""
    from planner.cli.colors import CSS_COLORS

    name = text.strip().lower()
    if name.startswith("#") or name.startswith("rgb"):
        raise OptionError(
            f"--color: '{text}' is a colour value, not a name; calendars take a CSS colour "
            "name here, e.g. teal, tomato or navy"
        )
    if name not in CSS_COLORS:
        hint = did_you_mean(name, sorted(CSS_COLORS))
        raise OptionError(
            f"--color: '{text}' is not a CSS colour name{hint}; use e.g. teal, tomato or navy"
        )
    return name


_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_calendar_name(text: str) -> str:
    """A calendar name, stripped; refused when blank, too long or not one line of plain
    text (a tab or a line break would split the name in some clients)."""
    from planner.errors import control_char
    from planner.models.calendar import MAX_NAME

    char = control_char(text, "")
    if char is not None:
        raise OptionError(
            f"--calendar-name: the value holds a control character ({char}); "
            "give plain text on one line, e.g. 'Knee plan'"
        )
    for c in text:
        if 0xD800 <= ord(c) <= 0xDFFF:  # bytes the shell passed that are not UTF-8
            raise OptionError(
                "--calendar-name: the value is not valid UTF-8 text; retype it, or check "
                "your terminal's character encoding"
            )
        if c in _DIRECTION_CONTROLS:  # can make a name read differently from what it is
            raise OptionError(
                f"--calendar-name: the value holds a text-direction control "
                f"(U+{ord(c):04X}); give plain text, e.g. 'Knee plan'"
            )
    name = text.strip()
    if not name:
        raise OptionError("--calendar-name: give a name, e.g. 'Knee plan'")
    if len(name) > MAX_NAME:
        raise OptionError(
            f"--calendar-name: {len(name)} characters is too long; give {MAX_NAME} or fewer"
        )
    return name


def parse_remind(text: str) -> int | None:
    """Minutes before a session, at most a week; ``none`` (None) switches off a reminder
    that the saved plan has."""
    if text.strip().lower() == "none":
        return None
    minutes = parse_duration(text, "--remind")
    if minutes > 7 * 24 * 60:
        raise OptionError(f"--remind: '{text}' is more than a week ahead; give at most 7d")
    return minutes


def parse_refresh(text: str) -> int:
    """How often subscribers refresh, in minutes (15 minutes to 31 days)."""
    minutes = parse_duration(text, "--refresh")
    if not 15 <= minutes <= 31 * 24 * 60:
        raise OptionError(f"--refresh: '{text}' is out of range; give 15m to 31d")
    return minutes
