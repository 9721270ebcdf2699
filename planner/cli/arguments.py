"""The arguments and options several commands share, and the two inputs that come from
the environment (today's date and the calendar's time stamp).

Imports only Typer and the standard library at start-up; the parsers live in
:mod:`planner.cli.params` and are imported when a command runs.
"""

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from planner.errors import OptionError

# Options shared by every command that writes a calendar.
RemindOpt = Annotated[
    str | None,
    typer.Option(
        help="Reminder before each session, e.g. 30m or 1h ('none' removes a saved one). "
        "All-day sessions count back from midnight: 15h = 09:00 the day before."
    ),
]
CalendarNameOpt = Annotated[
    str | None, typer.Option("--calendar-name", help="Calendar name [default: plan title].")
]
ColorOpt = Annotated[str | None, typer.Option(help="Calendar colour, a CSS name like teal.")]
RefreshOpt = Annotated[
    str | None, typer.Option(help="How often subscribers refresh, e.g. 12h [default: 12h].")
]
UtcOpt = Annotated[
    bool | None,
    typer.Option("--utc/--no-utc", help="Write times in UTC instead of with a VTIMEZONE."),
]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Plan store file [default: $PLANNER_DB, else plans.db in your user data folder].",
    ),
]
NameArg = Annotated[str, typer.Argument(help="Name of a saved plan (see 'planner plans list').")]


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
