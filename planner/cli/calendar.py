"""Commands that put a saved plan in a calendar or a document: export and publish.

Imports only Typer and the standard library at start-up; each command imports what it uses.
"""

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.arguments import (
    CALENDAR_FIELDS,
    CalendarNameOpt,
    ColorOpt,
    DbOpt,
    NameArg,
    RefreshOpt,
    RemindOpt,
    TitleOpt,
    UtcOpt,
    calendar_choice,
    flag_of,
    given,
    stamp,
    today,
)
from planner.cli.console import command_group, fail, report_held, report_safety, say, warn
from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.exporters.formats import Format

app = command_group("Calendars and documents.")

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="ics, html (printable, with charts), md, csv or json "
        "[default: from --out's suffix; ics for --out -].",
    ),
]


@app.command()
def export(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="Saved plan name, or (not for ics) a plan JSON from --json.")
    ],
    out: Annotated[
        Path,
        typer.Option(
            help="File to write, e.g. plan.ics or plan.html (a name whose suffix says no "
            "format needs --format), or - for standard output."
        ),
    ],
    fmt: FormatOpt = None,
    db: DbOpt = None,
    remind: RemindOpt = None,
    calendar_name: CalendarNameOpt = None,
    color: ColorOpt = None,
    refresh: RefreshOpt = None,
    utc: UtcOpt = None,
    title: TitleOpt = None,
) -> None:
    """Write a saved plan as .ics (only sessions that changed get a higher SEQUENCE), or as
    a printable HTML page, Markdown, CSV or JSON with what has been logged so far.

    NAME is a saved plan first: a file or folder of the same name in the working folder
    counts only when no plan of that name is saved. The JSON of a saved plan holds the
    plan, its log, check-ins and clearances ('planner schema --kind export' describes it);
    'planner show' reads it back.
    """
    # The calendar options are read through ctx: what matters is whether each was given.
    from planner.exporters.formats import choose_format
    from planner.fileio import check_writable
    from planner.service.documents import kept_files

    # The path first: writing over the store or a folder is the worse mistake to name.
    check_writable(out, "--out", kept_files(db, source=name))
    chosen = choose_format(fmt, out)
    if chosen == "ics":
        _refuse_plan_file(name, db, out)
    else:
        calendar_flags = given(ctx, CALENDAR_FIELDS)
        if calendar_flags:
            fail(
                f"{flag_of(ctx, calendar_flags[0])} only applies to --format ics; "
                f"leave it out for {chosen}"
            )
    if chosen == "ics":
        _export_ics(ctx, name, out, db)
    else:
        _export_document(name, out, db, chosen)


def _refuse_plan_file(name: str, db: Path | None, out: Path) -> None:
    """A plan file has no export memory, so its events could not be versioned: say what
    does write its calendar instead of pretending it is an unknown saved plan."""
    from planner.errors import OptionError
    from planner.service.plan_files import is_plan_file, read_plan

    if not is_plan_file(name, db):
        return
    template = "TEMPLATE"
    # Name the template when the file says it; a broken file is named by the hint alone.
    with contextlib.suppress(PlannerError):
        template = read_plan(Path(name)).template
    raise OptionError(
        f"{name} is a plan file, and export writes .ics only for a saved plan (it "
        f"remembers which events changed); write the calendar with 'planner generate "
        f"{template} ... --name NAME --out {_calendar_file(out)}', or export the file with "
        "--format html, md, csv or json"
    )


def _calendar_file(out: Path) -> str:
    """``out`` as generate would take it (it wants a name ending in .ics, or ``-``)."""
    return str(out) if str(out) == "-" or out.suffix.lower() == ".ics" else "plan.ics"


def _export_ics(ctx: typer.Context, name: str, out: Path, db: Path | None) -> None:
    from planner.service.calendar import export_calendar

    calendar, chosen = calendar_choice(ctx)
    done = export_calendar(db, name, out, stamp(), today(), calendar, chosen)
    warn(done.warnings)
    revision = done.prepared.revision
    _said(
        out,
        f"wrote {out}: '{name}' revision {revision.number}, "
        f"{len(revision.plan.sessions)} sessions ({done.prepared.versions.summary()})",
    )
    report_held(done.guarded)
    report_safety(done.state, name)


def _export_document(name: str, out: Path, db: Path | None, fmt: "Format") -> None:
    from planner.exporters.formats import suffix_mismatch
    from planner.service.documents import export_document

    mismatch = suffix_mismatch(fmt, out)
    if mismatch:
        warn([mismatch])
    done = export_document(name, out, db, fmt, today())
    record = done.record
    carried = [
        _count(len(record.entries), "logged exercise"),
        _count(len(record.checkins), "check-in"),
        _count(len(record.clearances), "clearance"),
    ]
    logged = "".join(f", {part}" for part in carried if part)
    _said(out, f"wrote {out} ({fmt}): {done.what}, {len(done.plan.sessions)} sessions{logged}")
    report_held(done.guarded)


def _count(number: int, what: str) -> str:
    """``2 check-ins``, ``1 check-in``, or nothing for none."""
    if not number:
        return ""
    return f"{number} {what}" if number == 1 else f"{number} {what}s"


def _said(out: Path, line: str) -> None:
    """What was written, on standard output, or on standard error when the file itself
    went to standard output (``--out -``) so the output stays only the file."""
    from planner.fileio import is_stdout

    say(
        line.replace(f"wrote {out}", "wrote standard output", 1) if is_stdout(out) else line,
        err=is_stdout(out),
    )


@app.command()
def publish(
    ctx: typer.Context,
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
    title: TitleOpt = None,
) -> None:
    """Put a saved plan on a CalDAV server: create, update and delete only what changed.

    Events already there (from an imported .ics file, or an earlier publish) are found by
    their UID and updated where they are. A calendar URL that does not exist yet is made
    when it lies in your calendar home; --color sets the calendar's colour. --refresh does
    nothing here: CalDAV apps fetch changes on their own schedule.
    """
    import gc

    from planner.caldav import check_url
    from planner.service.calendar import publish_plan
    from planner.service.plan_files import is_plan_file

    # The one command that may run for minutes (hundreds of requests, with retries): the
    # collector the other commands go without (see planner.cli.app.main) runs here.
    gc.enable()
    if is_plan_file(name, db):
        fail(
            f"{name} is a plan file, and publish puts a saved plan on a server (it "
            "remembers what it put there); save the plan with 'planner generate TEMPLATE "
            "... --name NAME', then 'planner publish NAME ...'"
        )
    url = check_url(caldav_url, allow_http)
    calendar, chosen = calendar_choice(ctx)
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
        chosen,
    )
    assert done.counts is not None
    notes = list(done.warnings)
    if "refresh" in chosen:
        notes.append(
            "--refresh does nothing on publish: CalDAV apps fetch changes on their own "
            "schedule (it is a hint for a subscribed .ics file)"
        )
    warn(notes)
    counts = done.counts
    made = f" (created calendar '{done.title}')" if counts.made_collection else ""
    if counts.recoloured:
        made += f" (calendar colour set to {done.prepared.events.calendar.color})"
    say(f"published '{name}' to {counts.collection}{made}: {counts}")
    report_held(done.guarded)
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
