"""Commands about plans: generate one, show one, and list, inspect or delete saved ones.

Imports only Typer and the standard library at start-up; each command imports what it uses.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.arguments import (
    OUTPUT,
    PERSON,
    SCHEDULE,
    STORE,
    CalendarNameOpt,
    ColorOpt,
    DbOpt,
    DurationOpt,
    NameArg,
    RefreshOpt,
    RemindOpt,
    SaveAsOpt,
    StartOpt,
    TimeOpt,
    TitleOpt,
    TzOpt,
    UtcOpt,
    WeeksOpt,
    calendar_choice,
    given,
    plan_names,
    stamp,
    template_names,
    today,
)
from planner.cli.console import command_group, fail, report_held, report_safety, say, warn

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from planner.models.calendar import CalendarOptions
    from planner.models.plan import Plan
    from planner.store.database import Store
    from planner.store.records import PlanInfo

# Parameter name -> PlanOptions field, for the options of generate that a saved plan keeps
# when they are left out: the personal ones and the schedule's length and times.
PERSONAL_FIELDS = {
    "weeks": "weeks",
    "time": "time",
    "tz": "tz",
    "duration": "duration",
    "avoid": "avoid",
    "equipment": "equipment",
    "level": "level",
    "units": "units",
    "load": "loads",
    "bands": "bands",
    "phase_weeks": "phase_weeks",
    "skip": "skip",
    "holidays": "holidays",
}

app = command_group("Generate and show plans.")
saved_plans = command_group("List, inspect and delete saved plans.")
app.add_typer(saved_plans, name="plans")


@app.command()
def generate(
    template: Annotated[
        str,
        typer.Argument(
            metavar="TEMPLATE",
            autocompletion=template_names,
            help="Template slug (see 'planner templates list') or a .toml file.",
        ),
    ],
    ctx: typer.Context,
    start: StartOpt = None,
    days: Annotated[
        str | None,
        typer.Option(
            metavar="DAYS",
            rich_help_panel=SCHEDULE,
            help="Training weekdays, e.g. mon,wed,fri [default: the template's sessions a "
            "week spread out: tue,fri for two, mon,wed,fri for three...].",
        ),
    ] = None,
    weeks: WeeksOpt = None,
    time: TimeOpt = None,
    tz: TzOpt = None,
    duration: DurationOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            rich_help_panel=OUTPUT,
            help="Calendar file to write, or - for standard output [default: NAME.ics, "
            "else TEMPLATE.ics].",
        ),
    ] = None,
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json", metavar="FILE", rich_help_panel=OUTPUT, help="Also write the plan as JSON."
        ),
    ] = None,
    name: SaveAsOpt = None,
    db: DbOpt = None,
    remind: RemindOpt = None,
    calendar_name: CalendarNameOpt = None,
    color: ColorOpt = None,
    refresh: RefreshOpt = None,
    utc: UtcOpt = None,
    title: TitleOpt = None,
    avoid: Annotated[
        str | None,
        typer.Option(
            metavar="AREAS",
            rich_help_panel=PERSON,
            help="Areas to spare, comma-separated: knee, back, hamstring (or none).",
        ),
    ] = None,
    equipment: Annotated[
        str | None,
        typer.Option(
            metavar="KIT",
            rich_help_panel=PERSON,
            help="Kit you have: none, or any of band, bench, dumbbell, barbell, step, mat, "
            "foam-roller; 'any' = no limit [default].",
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            metavar="LEVEL",
            rich_help_panel=PERSON,
            help="beginner (template as written), intermediate or advanced.",
        ),
    ] = None,
    units: Annotated[
        str | None,
        typer.Option(
            metavar="UNITS", rich_help_panel=PERSON, help="kg or lb [default: the template's]."
        ),
    ] = None,
    load: Annotated[
        list[str] | None,
        typer.Option(
            metavar="EXERCISE=LOAD",
            rich_help_panel=PERSON,
            help="Your starting load, e.g. hip-thrust=40kg (repeat for more; none).",
        ),
    ] = None,
    bands: Annotated[
        str | None,
        typer.Option(
            metavar="COLOURS",
            rich_help_panel=PERSON,
            help="Your bands, lightest first, e.g. yellow,red,green (or template).",
        ),
    ] = None,
    phase_weeks: Annotated[
        str | None,
        typer.Option(
            metavar="PHASE=WEEKS",
            rich_help_panel=SCHEDULE,
            help="Phase lengths, e.g. activation=2,strength=4 (or none).",
        ),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            metavar="DAYS",
            rich_help_panel=SCHEDULE,
            help="Days off: a day or FIRST..LAST, e.g. 2026-12-24..2026-12-26,2027-01-01 "
            "(repeat for more; none). Sessions on them move to a free day of their week.",
        ),
    ] = None,
    holidays: Annotated[
        str | None,
        typer.Option(
            metavar="REGION",
            rich_help_panel=SCHEDULE,
            help="Public holidays as days off: a country, optionally -SUBDIVISION, e.g. GB, "
            "US-CA, DE-BY (or none).",
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", rich_help_panel=OUTPUT, help="Print every choice made for you, and why."
        ),
    ] = False,
    update_template: Annotated[
        bool,
        typer.Option(
            "--update-template",
            rich_help_panel=STORE,
            help="With --name: rebuild the saved plan from the template as it is now "
            "(a saved plan otherwise keeps the template it was made from).",
        ),
    ] = False,
) -> None:
    """Generate a dated plan and write it as an .ics calendar (and optionally JSON)."""
    from planner.cli.params import build_options
    from planner.fileio import is_stdout
    from planner.plan.schedule import next_monday
    from planner.service.plans import generate_files

    # Left out: the next Monday, and the template's sessions a week spread out (chosen by
    # generate_files once the template is read; a saved plan's revision needs both).
    defaulted = frozenset(o for o, v in (("start", start), ("days", days)) if v is None)
    options = build_options(
        start or next_monday(today()),
        days,
        weeks,
        time,
        tz,
        duration,
        avoid=avoid,
        equipment=equipment,
        level=level,
        units=units,
        loads=load,
        bands=bands,
        phase_weeks=phase_weeks,
        skip=skip,
        holidays=holidays,
    )
    calendar, chosen = calendar_choice(ctx)
    # The kept options the person gave; for a saved plan the others keep their values.
    personal = {PERSONAL_FIELDS[p] for p in given(ctx, PERSONAL_FIELDS)}
    done, out = generate_files(
        template,
        options,
        calendar,
        chosen,
        stamp(),
        today(),
        out,
        json_out,
        name,
        db,
        personal,
        update_template=update_template,
        defaulted=defaulted,
    )
    plan = done.plan
    warn((*plan.warnings, *done.ics.warnings, *done.warnings))
    # With --out - (or --json -) standard output is the file alone: the summary goes to
    # standard error.
    err = is_stdout(out) or (json_out is not None and is_stdout(json_out))
    if done.chose:
        say(done.chose, err=err)
    _summary(plan, err)
    for line in (done.kept, done.saved):
        if line:
            say(line, err=err)
    if explain:
        _explain(plan, err)
    else:
        from planner.wording.plan import choice_summary

        for line in choice_summary(plan):
            say(line, err=err)
    written = [_shown(path) for path in (out, json_out) if path is not None]
    say(f"wrote {' and '.join(written)}", err=err)
    if done.safety is not None:
        report_safety(done.safety, name or "")


def _shown(path: Path) -> str:
    from planner.fileio import is_stdout

    return "standard output" if is_stdout(path) else str(path)


def _summary(plan: "Plan", err: bool) -> None:
    phases = ", ".join(f"{p.name} (weeks {p.first_week}-{p.last_week})" for p in plan.phases)
    deloads = (
        f"; deload week(s) {', '.join(map(str, plan.deload_weeks))}" if plan.deload_weeks else ""
    )
    say(
        f"{plan.title}: {plan.weeks} weeks, {len(plan.sessions)} sessions "
        f"from {plan.sessions[0].date} to {plan.sessions[-1].date}",
        err=err,
    )
    say(f"phases: {phases}{deloads}", err=err)
    from planner.wording.schedule import days_off_line, moved_summary

    off = days_off_line(plan.options)
    if off:
        say(off, err=err)
    for line in moved_summary(plan.moved):
        say(line, err=err)


def _explain(plan: "Plan", err: bool) -> None:
    from planner.wording.plan import decision_text
    from planner.wording.schedule import moved_lines

    if plan.moved:
        say("sessions moved off their days:", err=err)
        for line in moved_lines(plan.moved):
            say(f"- {line}", err=err)
    if not plan.decisions:
        say("choices: none; the plan follows the template as written", err=err)
        return
    say("choices made for you:", err=err)
    for decision in plan.decisions:
        say(f"- {decision_text(decision)}", err=err)


@app.command()
def show(
    plan: Annotated[
        str,
        typer.Argument(
            metavar="PLAN",
            autocompletion=plan_names,
            help="Saved plan name, or a plan JSON from --json.",
        ),
    ],
    db: DbOpt = None,
) -> None:
    """Print a plan week by week (a saved plan with its safety state)."""
    from planner.cli.views import plan_table
    from planner.service.plan_files import is_plan_file, read_plan
    from planner.service.safety_hold import guard
    from planner.service.stores import saved_store

    if is_plan_file(plan, db):
        loaded = read_plan(Path(plan))
        say(plan_table(loaded, None))
        if loaded.safety is not None:
            from planner.wording.safety_state import state_block

            say("\n".join(["", *state_block(loaded.safety, None)]))
        else:
            # Never silent about safety: a plan file alone does not know the log.
            say("\nSafety: a plan file holds no log; 'planner show NAME' shows red flags.")
        return
    from planner.wording.safety_state import state_block

    with saved_store(db, plan) as store:
        # Held first, as for an export: a red flag can come with time alone, and the weeks
        # shown must be the weeks the person will train. Saved where the store can be
        # written, so the next look shows the same held doses.
        guarded = guard(store, plan, today(), save=store.read_only is None)
    assert guarded.plan is not None  # guard always returns the plan it judged
    shown = guarded.plan
    say("\n".join([*state_block(guarded.state, plan, plan=shown), "", plan_table(shown, plan)]))
    report_held(guarded)


@saved_plans.command("list")
def plans_list(db: DbOpt = None) -> None:
    """List saved plans in a table: template, revision, start, weeks, last logged, status.

    Example: planner plans list
    """
    from planner.service.stores import store_at
    from planner.wording.log import column_widths, table_row

    store = store_at(db, create=False)
    rows: list[tuple[str, ...]] = []
    if store is not None:
        with store:
            rows = [_list_row(store, info) for info in store.list_plans()]
    if not rows:
        say("no saved plans; save one with 'planner generate ... --name NAME'")
        return
    header = ("name", "template", "rev", "start", "weeks", "last log", "status")
    # Caps that add up to 80 with the gaps; a longer template or status wraps in its column.
    # A longer name is never cut or wrapped (it is what the commands take): it gets a line
    # of its own, with its row below.
    caps = (16, 13, 3, 10, 5, 10, 11)
    short = [row if len(row[0]) <= caps[0] else ("", *row[1:]) for row in rows]
    widths = column_widths([header, *short], caps)
    lines = table_row(header, widths)
    for row, shown in zip(rows, short, strict=True):
        lines += [row[0]] if row[0] != shown[0] else []
        lines += table_row(shown, widths)
    say("\n".join(lines))
    if any(row[-1] == _STOPPED for row in rows):
        say(f"{_STOPPED}: red flags were reported; see 'planner plans show NAME'")


_STOPPED = "SAFETY STOP"


def _list_row(store: "Store", info: "PlanInfo") -> tuple[str, ...]:
    """One saved plan as a row of ``plans list``."""
    from planner.service.safety_hold import state_of

    name = info.name
    plan = store.latest(name).plan
    day = today()
    logged = [item.entry.date for item in store.entries(name) if item.entry.date is not None]
    started = [s for s in plan.sessions if s.date <= day]
    if state_of(store, name, plan, day).paused:
        status = _STOPPED
    elif any(p.end is None for p in plan.options.pauses):
        status = "paused"
    elif not started:
        status = "not started"
    elif plan.sessions[-1].date < day:
        status = "over"
    else:
        status = f"week {started[-1].week} of {plan.weeks}"
    return (
        name,
        info.template,  # as the latest revision was saved from (a file's path, say)
        str(info.revisions),
        str(plan.sessions[0].date),
        str(plan.weeks),
        str(max(logged)) if logged else "-",
        status,
    )


@saved_plans.command("show")
def plans_show(name: NameArg, db: DbOpt = None) -> None:
    """Show a saved plan: its safety state, every option it was made with, its calendar
    settings, revisions and what was last exported.

    Example: planner plans show knee
    """
    from planner.service.safety_hold import state_of
    from planner.service.stores import saved_store
    from planner.wording.safety_state import state_block

    with saved_store(db, name) as store:
        revisions = store.revisions(name)
        exported = store.exported(name)
        state = state_of(store, name, revisions[0].plan, today())
    latest = revisions[0]
    plan = latest.plan
    when = _plan_clock(plan)
    lines = [
        f"{name}: {plan.title} (template {latest.template}, plan id {plan.id})",
        *state_block(state, name, plan=plan),
        "options:",
        *(f"  {line}" for line in _option_lines(plan)),
        *(f"  {line}" for line in _life_options(plan, name)),
        f"calendar: {_calendar_text(latest.calendar)}",
        f"sessions: {len(plan.sessions)} from {plan.sessions[0].date} to {plan.sessions[-1].date}",
    ]
    if exported:
        newest = max(state.modified for state in exported.values())
        top = max(state.sequence for state in exported.values())
        lines.append(
            f"exported: {len(exported)} events remembered, highest SEQUENCE {top}, "
            f"last change {when(newest)}"
        )
    else:
        lines.append("exported: never")
    lines.append("revisions:")
    lines += [f"  {r.number:>3}  {when(r.created)}  {r.reason or '-'}" for r in revisions]
    lines.append(f"week by week: planner show {name}")
    say("\n".join(lines))


def _plan_clock(plan: "Plan") -> "Callable[[dt.datetime], str]":
    """How ``plans show`` writes a moment: in the plan's own time zone (the computer's
    when the plan has none), with the zone's abbreviation."""
    from planner.zones import zone

    tz = zone(plan.options.tz) if plan.options.tz else None

    def when(moment: "dt.datetime") -> str:
        return f"{moment.astimezone(tz):%Y-%m-%d %H:%M %Z}".rstrip()

    return when


def _option_lines(plan: "Plan") -> list[str]:
    """Every personal option of the plan, one a line; what was left to the template says
    so."""
    from planner.wording.schedule import days_off_line

    options = plan.options
    length = f"{options.duration} min a session" if options.duration else "as the template sets"
    if options.time:
        timing = f"{options.time:%H:%M} {options.tz or 'local time'}; length {length}"
    else:
        timing = f"all-day events (no time given); length {length}"
    lines = [
        f"start: {options.start} ({options.start:%a}), {plan.weeks} weeks",
        f"days: {', '.join(options.days)}",
        f"time: {timing}",
        "equipment: "
        + (", ".join(options.equipment) or "none" if options.equipment is not None else "any"),
        f"pain flags: {', '.join(options.avoid) or 'none'}",
        f"level: {options.level}",
        f"units: {plan.units}" + ("" if options.units else " (the template's)"),
        "starting loads: " + (", ".join(map(str, options.loads)) or "the template's"),
        "bands: "
        + (
            ", ".join(options.bands)
            if options.bands is not None
            else f"the template's ({', '.join(plan.bands) or 'none'})"
        ),
        "phase weeks: " + (", ".join(map(str, options.phase_weeks)) or "as the template sets them"),
    ]
    lines += filter(None, [days_off_line(options)])
    return lines


def _life_options(plan: "Plan", name: str) -> list[str]:
    """The pauses, moves and skipped sessions the plan was given (days off and holidays
    are on the line before)."""
    from planner.wording.life import moved_lines, pause_lines

    options = plan.options
    lines: list[str] = []
    lines += [f"pause: {line}" for line in pause_lines(plan, name)]
    lines += [
        f"move: {m.slot} to {m.date}" + (f" ({m.note})" if m.note else "") for m in options.moves
    ]
    lines += [
        f"skipped: {s.slot} (recorded {s.on})" + (f": {s.note}" if s.note else "")
        for s in options.skipped
    ]
    lines += [f"moved: {line}" for line in moved_lines(plan)]
    return lines


def _calendar_text(calendar: "CalendarOptions") -> str:
    parts = [f"name {calendar.name or '(plan title)'}"]
    if calendar.color:
        parts.append(f"colour {calendar.color}")
    parts.append(
        f"reminder {_minutes_text(calendar.remind)} before" if calendar.remind else "no reminder"
    )
    parts.append(f"refresh every {_minutes_text(calendar.refresh)}")
    if calendar.utc:
        parts.append("times in UTC")
    return ", ".join(parts)


def _minutes_text(minutes: int) -> str:
    """``30 min``, ``12 h``, ``1 h 30 min``, ``2 days``: a length as a person says it."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{mins} min"] if mins else []
    return " ".join(parts) or "0 min"


@saved_plans.command("delete")
def plans_delete(
    name: NameArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    db: DbOpt = None,
) -> None:
    """Delete a saved plan, its revisions and its export memory (calendars are untouched)."""
    from planner.service.stores import saved_store

    with saved_store(db, name) as store:
        count = store.revision_count(name)  # not parsed: a damaged revision can go too
        if not yes:
            try:
                agreed = typer.confirm(
                    f"Delete plan '{name}' and its {count} revision(s)?", default=False
                )
            except typer.Abort:
                fail("plans delete: no answer; add --yes to delete without asking")
            if not agreed:
                say(f"kept '{name}'; nothing deleted")
                return
        store.delete(name)
    say(f"deleted '{name}' ({count} revision(s)); events already in calendars stay")
