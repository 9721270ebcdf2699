"""Commands that put a saved plan in a calendar or a document: export and publish.

Imports only Typer and the standard library at start-up; each command imports what it uses.
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.arguments import (
    CalendarNameOpt,
    ColorOpt,
    DbOpt,
    NameArg,
    RefreshOpt,
    RemindOpt,
    UtcOpt,
    stamp,
    today,
)
from planner.cli.console import command_group, fail, report_safety, warn

if TYPE_CHECKING:
    from planner.exporters.formats import Format

app = command_group("Calendars and documents.")

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="ics, html (printable, with charts), md, csv or json "
        "[default: from --out's suffix, else ics].",
    ),
]


@app.command()
def export(
    name: Annotated[
        str, typer.Argument(help="Saved plan name, or (not for ics) a plan JSON from --json.")
    ],
    out: Annotated[Path, typer.Option(help="File to write, e.g. plan.ics or plan.html.")],
    fmt: FormatOpt = None,
    db: DbOpt = None,
    remind: RemindOpt = None,
    calendar_name: CalendarNameOpt = None,
    color: ColorOpt = None,
    refresh: RefreshOpt = None,
    utc: UtcOpt = None,
) -> None:
    """Write a saved plan as .ics (only sessions that changed get a higher SEQUENCE), or as
    a printable HTML page, Markdown, CSV or JSON with what has been logged so far."""
    from planner.exporters.formats import choose_format
    from planner.fileio import check_writable

    chosen = choose_format(fmt, out)
    calendar_args = {
        "--remind": remind,
        "--calendar-name": calendar_name,
        "--color": color,
        "--refresh": refresh,
        "--utc/--no-utc": utc,
    }
    if chosen != "ics":
        given = next((flag for flag, value in calendar_args.items() if value is not None), None)
        if given is not None:
            fail(f"{given} only applies to --format ics; leave it out for {chosen}")
    check_writable(out, "--out")
    if chosen == "ics":
        _export_ics(name, out, db, remind, calendar_name, color, refresh, utc)
    else:
        _export_document(name, out, db, chosen)


def _export_ics(
    name: str,
    out: Path,
    db: Path | None,
    remind: str | None,
    calendar_name: str | None,
    color: str | None,
    refresh: str | None,
    utc: bool | None,
) -> None:
    from planner.cli.params import build_calendar_options
    from planner.service.calendar import export_calendar

    calendar, given = build_calendar_options(calendar_name, color, remind, refresh, utc)
    done = export_calendar(db, name, out, stamp(), today(), calendar, frozenset(given))
    warn(done.warnings)
    revision = done.prepared.revision
    typer.echo(
        f"wrote {out}: '{name}' revision {revision.number}, "
        f"{len(revision.plan.sessions)} sessions ({done.prepared.versions.summary()})"
    )
    report_safety(done.state, name)


def _export_document(name: str, out: Path, db: Path | None, fmt: "Format") -> None:
    from planner.exporters.formats import suffix_mismatch
    from planner.service.documents import export_document

    mismatch = suffix_mismatch(fmt, out)
    if mismatch:
        warn([mismatch])
    done = export_document(name, out, db, fmt, today())
    entries = done.record.entries
    logged = f", {len(entries)} logged exercises" if entries else ""
    typer.echo(f"wrote {out} ({fmt}): {done.what}, {len(done.plan.sessions)} sessions{logged}")


@app.command()
def publish(
    name: NameArg,
    caldav_url: Annotated[
        str, typer.Option(help="CalDAV server, account or calendar URL (https://...).")
    ],
    username: Annotated[
        str | None,
        typer.Option(
            help="Account name; the password comes from PLANNER_CALDAV_PASSWORD or a prompt."
        ),
    ] = None,
    allow_http: Annotated[
        bool, typer.Option(help="Allow plain http:// to a host other than this machine.")
    ] = False,
    db: DbOpt = None,
    remind: RemindOpt = None,
    calendar_name: CalendarNameOpt = None,
    color: ColorOpt = None,
    refresh: RefreshOpt = None,
    utc: UtcOpt = None,
) -> None:
    """Put a saved plan on a CalDAV server: create, update and delete only what changed."""
    from planner.caldav import check_url
    from planner.cli.params import build_calendar_options
    from planner.service.calendar import publish_plan

    url = check_url(caldav_url, allow_http)
    calendar, given = build_calendar_options(calendar_name, color, remind, refresh, utc)
    done = publish_plan(
        db,
        name,
        url,
        username,
        lambda: _password(username),
        allow_http,
        stamp(),
        today(),
        calendar,
        frozenset(given),
    )
    assert done.counts is not None
    warn(done.warnings)
    made = f" (created calendar '{done.title}')" if done.counts.made_collection else ""
    typer.echo(f"published '{name}' to {done.counts.collection}{made}: {done.counts}")
    report_safety(done.state, name)


def _password(username: str | None) -> str | None:
    """From PLANNER_CALDAV_PASSWORD, else asked without echo (or read as one line from a
    pipe); never an argument."""
    if username is None:
        return None
    password = os.environ.get("PLANNER_CALDAV_PASSWORD")
    if password is not None:
        return password
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = str(typer.prompt(f"CalDAV password for {username}", hide_input=True))
        except typer.Abort:
            password = ""
    if not password:
        fail("no CalDAV password: set PLANNER_CALDAV_PASSWORD or type it when asked")
    return password
