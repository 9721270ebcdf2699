"""The arguments and options several commands share, and the two inputs that come from
the environment (today's date and the calendar's time stamp).

Imports only Typer and the standard library at start-up; the parsers live in
:mod:`planner.cli.params` and are imported when a command runs.
"""

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.errors import OptionError

if TYPE_CHECKING:
    from planner.models.calendar import CalendarOptions

# Parsers attached to options with ``parser=``: a bad value stops the command while Typer
# reads the line, as the one ``error: --option: ...`` line (an OptionError, caught by the
# root handler). Each imports planner.cli.params (and with it pydantic) only when it runs.


def _remind(text: str) -> int | None:
    from planner.cli.params import parse_remind

    return parse_remind(text)


def _refresh(text: str) -> int:
    from planner.cli.params import parse_refresh

    return parse_refresh(text)


def _color(text: str) -> str:
    from planner.cli.params import check_color

    return check_color(text)


def _calendar_name(text: str) -> str:
    from planner.cli.params import check_calendar_name

    return check_calendar_name(text)


def _title(text: str) -> str | None:
    from planner.cli.params import check_calendar_name
    from planner.models.calendar import MAX_TITLE

    if text.strip().lower() == "none":  # back to the default: the saved plan's name
        return None
    try:
        title = check_calendar_name(text)
    except OptionError as exc:
        raise OptionError(str(exc).replace("--calendar-name", "--title", 1)) from None
    if len(title) > MAX_TITLE:
        raise OptionError(
            f"--title: {len(title)} characters is too long for an event title; give "
            f"{MAX_TITLE} or fewer, e.g. 'Knee plan'"
        )
    return title


def _start(text: str) -> dt.date:
    from planner.cli.params import parse_date

    return parse_date(text)


def _weeks(text: str) -> int | None:
    from planner.cli.params import parse_weeks

    return parse_weeks(text)


def _minutes(text: str) -> int | None:
    from planner.cli.params import parse_session_minutes

    return parse_session_minutes(text)


def _clock(text: str) -> dt.time | None:
    from planner.cli.params import parse_time

    return parse_time(text)


def _zone(text: str) -> str:
    from planner.cli.params import check_tz

    return check_tz(text)


def plan_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of a saved plan's name (from --db if it was typed already);
    nothing when the store cannot be read: completion must never print an error."""
    try:
        from planner.service.stores import store_at

        db = ctx.params.get("db")
        store = store_at(db if isinstance(db, Path) else None, create=False)
        if store is None:
            return []
        with store:
            return [i.name for i in store.list_plans() if i.name.startswith(incomplete)]
    except Exception:  # a broken store must not break the shell
        return []


def template_names(incomplete: str) -> list[str]:
    """Shell completion of a shipped template's slug."""
    from planner.templates import program_slugs

    return [slug for slug in program_slugs() if slug.startswith(incomplete)]


def _db(text: str) -> Path:
    """The --db path with ``~`` expanded here, so an unknown ``~user`` is an option error."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise OptionError(
            f"--db: '{text[:60]}' names a home folder that does not exist; give a full path"
        ) from None


# Help panels (see planner.cli.console): generate lists 25 options, grouped by these.
SCHEDULE = "Schedule"
PERSON = "Person"
CALENDAR = "Calendar"
OUTPUT = "Output"
STORE = "Store"

# The options of a plan's dates and times, for generate.
StartOpt = Annotated[
    dt.date | None,
    typer.Option(
        parser=_start,
        metavar="DATE",
        rich_help_panel=SCHEDULE,
        help="First possible day, YYYY-MM-DD [default: the next Monday].",
    ),
]
# A saved plan keeps each of these when it is left out; the word after "or" clears it.
WeeksOpt = Annotated[
    int | None,
    typer.Option(
        parser=_weeks,
        metavar="WEEKS",
        rich_help_panel=SCHEDULE,
        help="Plan length in weeks; phases are rescaled ('template' = the template's length).",
    ),
]
TimeOpt = Annotated[
    dt.time | None,
    typer.Option(
        parser=_clock,
        metavar="HH:MM",
        rich_help_panel=SCHEDULE,
        help="Start time HH:MM for timed events (needs --tz); 'none' = all-day, which "
        "also drops --tz and --duration.",
    ),
]
DurationOpt = Annotated[
    int | None,
    typer.Option(
        parser=_minutes,
        metavar="MINUTES",
        rich_help_panel=SCHEDULE,
        help="Minutes per timed session ('template' = each phase's, the default).",
    ),
]
TzOpt = Annotated[
    str | None,
    typer.Option(
        parser=_zone,
        metavar="ZONE",
        rich_help_panel=SCHEDULE,
        help="IANA time zone, e.g. Europe/Berlin or America/Chicago.",
    ),
]

# Options shared by every command that writes a calendar.
RemindOpt = Annotated[
    int | None,
    typer.Option(
        parser=_remind,
        metavar="DURATION",
        rich_help_panel=CALENDAR,
        help="Reminder before each session, e.g. 30m or 1h ('none' removes a saved one). "
        "All-day sessions count back from midnight: 15h = 09:00 the day before.",
    ),
]
CalendarNameOpt = Annotated[
    str | None,
    typer.Option(
        "--calendar-name",
        parser=_calendar_name,
        metavar="NAME",
        rich_help_panel=CALENDAR,
        help="Calendar name [default: plan title].",
    ),
]
ColorOpt = Annotated[
    str | None,
    typer.Option(
        parser=_color,
        metavar="COLOUR",
        rich_help_panel=CALENDAR,
        help="Calendar colour, a CSS name like teal.",
    ),
]
RefreshOpt = Annotated[
    int | None,
    typer.Option(
        parser=_refresh,
        metavar="DURATION",
        rich_help_panel=CALENDAR,
        help="How often subscribers refresh, e.g. 12h [default: 12h].",
    ),
]
UtcOpt = Annotated[
    bool | None,
    typer.Option(
        "--utc/--no-utc",
        rich_help_panel=CALENDAR,
        help="Write times in UTC instead of with a VTIMEZONE.",
    ),
]
TitleOpt = Annotated[
    str | None,
    typer.Option(
        parser=_title,
        metavar="TEXT",
        rich_help_panel=CALENDAR,
        help="What every event title starts with, e.g. 'Knee plan' gives 'Knee plan · W1S1 "
        "activation' [default: the saved plan's name; none for a plan not saved].",
    ),
]
# Parameter name -> CalendarOptions field, for the options above.
CALENDAR_FIELDS = {
    "remind": "remind",
    "calendar_name": "name",
    "color": "color",
    "refresh": "refresh",
    "utc": "utc",
    "title": "title",
}
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        parser=_db,
        metavar="FILE",
        rich_help_panel=STORE,
        help="Plan store file [default: $PLANNER_DB, else plans.db in your user data folder].",
    ),
]
NameArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        autocompletion=plan_names,
        help="Name of a saved plan (see 'planner plans list').",
    ),
]


def today() -> dt.date:
    """Today, or PLANNER_TODAY (YYYY-MM-DD) to log or adapt as of another day."""
    override = os.environ.get("PLANNER_TODAY")
    if override:
        from planner.cli.params import parse_date

        return parse_date(override, "PLANNER_TODAY")
    return dt.date.today()


def stamp() -> dt.datetime:
    """DTSTAMP: now, or SOURCE_DATE_EPOCH for reproducible builds of the same plan."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError):
            raise OptionError(
                f"SOURCE_DATE_EPOCH: '{epoch}' is not a Unix time in seconds"
            ) from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def check_name(name: str) -> str:
    """A saved plan's name, stripped; refused if empty, too long or not printable."""
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise OptionError("--name: give a short printable name for the plan, e.g. knee-rehab")
    return name


def given(ctx: typer.Context, names: Iterable[str]) -> list[str]:
    """The parameters among ``names`` that the person set, in that order; the others were
    left at their defaults (a saved plan then keeps its own value)."""
    # Compared by name: the enum is click's ParameterSource (vendored inside newer Typers).
    left = {"DEFAULT", "DEFAULT_MAP"}
    found = []
    for name in names:
        source = ctx.get_parameter_source(name)
        if source is not None and source.name not in left:
            found.append(name)
    return found


def flag_of(ctx: typer.Context, name: str) -> str:
    """How an option is written on the command line, e.g. ``--utc/--no-utc``."""
    param = next(p for p in ctx.command.params if p.name == name)
    return "/".join([*param.opts, *param.secondary_opts])


def calendar_choice(ctx: typer.Context) -> tuple["CalendarOptions", frozenset[str]]:
    """The calendar options the person gave, and their field names (the others keep
    whatever the saved plan had)."""
    from planner.models.calendar import CalendarOptions

    fields = {CALENDAR_FIELDS[name]: ctx.params[name] for name in given(ctx, CALENDAR_FIELDS)}
    return CalendarOptions.model_validate(fields), frozenset(fields)


SaveAsOpt = Annotated[
    str | None,
    typer.Option(
        "--name",
        parser=check_name,
        metavar="NAME",
        rich_help_panel=STORE,
        help="Save the plan under this name; again with new options = new revision.",
    ),
]
