"""Command-line interface: parse arguments, call the core, print, map errors to exit codes.

Only Typer and the standard library are imported at start-up; everything heavier
(pydantic models, icalendar) is imported inside the command that needs it, so
``planner --help`` stays close to the cost of importing Typer.
"""

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from planner import __version__
from planner.errors import PlanFileError, PlannerError

if TYPE_CHECKING:
    from planner.exporters.formats import Format
    from planner.exporters.ics import IcsResult
    from planner.exporters.record import Record
    from planner.models import ExerciseLibrary, Plan, PlanOptions
    from planner.models.adapt import Adjustment
    from planner.models.calendar import CalendarOptions
    from planner.models.safety import SafetyReport
    from planner.saved import Prepared
    from planner.store import Store
    from planner.versioning import Versions


class _Group(TyperGroup):
    """Root group that turns every :class:`PlannerError` into ``error: ...`` and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            _fail(str(exc))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _app(help_text: str, **kwargs: Any) -> typer.Typer:
    return typer.Typer(
        help=help_text,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        add_completion=False,
        **kwargs,
    )


app = _app("Progressive, pain-aware workout plans exported as calendars.", cls=_Group)
templates_app = _app("List and inspect the shipped program templates.")
exercises_app = _app("List and inspect the exercise library.")
plans_app = _app("List, inspect and delete saved plans.")
app.add_typer(plans_app, name="plans")
app.add_typer(templates_app, name="templates")
app.add_typer(exercises_app, name="exercises")


def _today() -> dt.date:
    """Today, or PLANNER_TODAY (YYYY-MM-DD) to log or adapt as of another day."""
    override = os.environ.get("PLANNER_TODAY")
    if override:
        from planner.options import parse_date

        return parse_date(override, "PLANNER_TODAY")
    return dt.date.today()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Progressive, pain-aware workout plans exported as calendars."""


def _library() -> "ExerciseLibrary":
    from planner.templates import load_library

    return load_library()


def _stamp() -> dt.datetime:
    """DTSTAMP: now, or SOURCE_DATE_EPOCH for reproducible builds of the same plan."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError):
            _fail(f"SOURCE_DATE_EPOCH: '{epoch}' is not a Unix time in seconds")
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


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


def _open_store(db: Path | None, create: bool = True) -> "Store | None":
    from planner.store import open_store, resolve_path

    path, source = resolve_path(db)
    return open_store(path, source, create=create)


def _need_store(db: Path | None) -> "Store":
    store = _open_store(db)
    assert store is not None  # create=True always gives a store or raises
    return store


def _saved_store(db: Path | None, name: str) -> "Store":
    """The store, for commands about a saved plan; never creates an empty one."""
    store = _open_store(db, create=False)
    if store is None:
        _fail(
            f"no saved plan named '{name}' (no plan store yet); "
            f"save one with 'planner generate ... --name {name}'"
        )
    return store


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        _fail("--name: give a short printable name for the plan, e.g. knee-rehab")
    return name


def _warn(warnings: "tuple[str, ...] | list[str]") -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def _changes(versions: "Versions") -> str:
    changed = len(versions.changed)
    new = len(versions.new)
    same = len(versions.states) - changed - new
    return f"{changed} changed, {new} new, {same} unchanged"


def _keep_saved(
    store: "Store", name: str, options: "PlanOptions", personal: tuple[object, ...]
) -> "tuple[PlanOptions, str, tuple[Adjustment, ...]]":
    """Personal options left out of ``generate --name`` keep the saved plan's values, and
    what 'planner adapt' decided from the log carries over to the new revision."""
    from planner.options import PERSONAL, keep_saved

    given = {f for f, value in zip(PERSONAL, personal, strict=True) if value is not None}
    saved = store.latest(name).plan
    options, kept = keep_saved(options, given, saved.options)
    if saved.adjustments:
        carried = f"kept {len(saved.adjustments)} adjustment(s) from 'planner adapt'"
        kept = f"{kept}; {carried}" if kept else carried
    return options, kept, saved.adjustments


def _summary(plan: "Plan") -> None:
    phases = ", ".join(f"{p.name} (weeks {p.first_week}-{p.last_week})" for p in plan.phases)
    deloads = (
        f"; deload week(s) {', '.join(map(str, plan.deload_weeks))}" if plan.deload_weeks else ""
    )
    typer.echo(
        f"{plan.title}: {plan.weeks} weeks, {len(plan.sessions)} sessions "
        f"from {plan.sessions[0].date} to {plan.sessions[-1].date}"
    )
    typer.echo(f"phases: {phases}{deloads}")


def _explain(plan: "Plan") -> None:
    from planner.text import decision_text

    if not plan.decisions:
        typer.echo("choices: none; the plan follows the template as written")
        return
    typer.echo("choices made for you:")
    for decision in plan.decisions:
        typer.echo(f"- {decision_text(decision)}")


@app.command()
def generate(
    template: Annotated[
        str, typer.Argument(help="Template slug (see 'planner templates list') or a .toml file.")
    ],
    start: Annotated[str, typer.Option(help="First possible day, YYYY-MM-DD.")],
    days: Annotated[str, typer.Option(help="Training weekdays, e.g. mon,wed,fri.")],
    weeks: Annotated[int | None, typer.Option(help="Plan length; phases are rescaled.")] = None,
    time: Annotated[
        str | None, typer.Option(help="Start time HH:MM for timed events (needs --tz).")
    ] = None,
    tz: Annotated[str | None, typer.Option(help="IANA time zone, e.g. Europe/Berlin.")] = None,
    duration: Annotated[
        int | None, typer.Option(help="Minutes per timed session (default: the phase's).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Calendar file to write [default: <name or template>.ics]."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the plan as JSON.")
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(help="Save the plan under this name; again with new options = new revision."),
    ] = None,
    db: DbOpt = None,
    remind: RemindOpt = None,
    calendar_name: CalendarNameOpt = None,
    color: ColorOpt = None,
    refresh: RefreshOpt = None,
    utc: UtcOpt = None,
    avoid: Annotated[
        str | None,
        typer.Option(help="Areas to spare, comma-separated: knee, back, hamstring (or none)."),
    ] = None,
    equipment: Annotated[
        str | None,
        typer.Option(
            help="Kit you have: none, or any of band, bench, dumbbell, barbell, step, mat, "
            "foam-roller; 'any' = no limit [default]."
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(help="beginner (template as written), intermediate or advanced."),
    ] = None,
    units: Annotated[str | None, typer.Option(help="kg or lb [default: the template's].")] = None,
    load: Annotated[
        list[str] | None,
        typer.Option(
            metavar="<id=load>",
            help="Your starting load, e.g. hip-thrust=40kg (repeat for more; none).",
        ),
    ] = None,
    bands: Annotated[
        str | None,
        typer.Option(help="Your bands, lightest first, e.g. yellow,red,green (or template)."),
    ] = None,
    phase_weeks: Annotated[
        str | None,
        typer.Option(help="Phase lengths, e.g. activation=2,strength=4 (or none)."),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print every choice made for you, and why.")
    ] = False,
) -> None:
    """Generate a dated plan and write it as an .ics calendar (and optionally JSON)."""
    from planner.exporters.ics import plan_to_ics
    from planner.fileio import check_writable, write_atomic
    from planner.generator import generate as build
    from planner.options import build_calendar_options, build_options
    from planner.templates import load_program

    options = build_options(
        start,
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
    )
    calendar, given = build_calendar_options(calendar_name, color, remind, refresh, utc)
    if calendar.utc and options.time is None:
        _fail("--utc only applies to timed sessions; add --time HH:MM and --tz, or drop --utc")
    if name is not None:
        name = _check_name(name)
    library = _library()
    loaded = load_program(template, library)
    out = out or Path(f"{name or loaded.slug}.ics")
    check_writable(out, "--out")
    if json_out is not None:
        check_writable(json_out, "--json")
        if json_out.resolve() == out.resolve():
            _fail("--json and --out name the same file; give two different paths")
    store = _need_store(db) if name is not None else None
    kept = ""
    adjustments: tuple[Adjustment, ...] = ()
    if store is not None and name is not None and store.plan_id(name) is not None:
        personal = (avoid, equipment, level, units, load, bands, phase_weeks)
        options, kept, adjustments = _keep_saved(store, name, options, personal)
    plan = build(loaded.slug, loaded.program, library.by_id(), options, adjustments)
    stamp = _stamp()
    saved_note = ""
    safety: SafetyReport | None = None
    if store is not None and name is not None:
        plan, ics, saved_note, safety = _save_named(
            store, name, loaded.slug, plan, calendar, given, stamp, out
        )
    else:
        ics = plan_to_ics(plan, stamp, calendar)
        write_atomic(out, ics.data)
    if json_out is not None:
        from planner.exporters.record import NO_RECORD, Record

        _write_document(
            json_out, "json", plan, NO_RECORD if safety is None else Record(state=safety)
        )
    _warn((*plan.warnings, *ics.warnings))
    _summary(plan)
    for line in (kept, saved_note):
        if line:
            typer.echo(line)
    if explain:
        _explain(plan)
    typer.echo(f"wrote {out}" + (f" and {json_out}" if json_out else ""))
    if safety is not None:
        _report_safety(safety, name or "")


def _save_named(
    store: "Store",
    name: str,
    template: str,
    plan: "Plan",
    calendar: "CalendarOptions",
    given: set[str],
    stamp: dt.datetime,
    out: Path,
) -> "tuple[Plan, IcsResult, str, SafetyReport | None]":
    """Save ``plan`` as a revision of ``name`` (held while red flags stand in its log)
    and write its calendar; returns what the command reports."""
    from planner import guard, saved
    from planner.fileio import write_atomic

    safety = None
    with store:
        if store.plan_id(name) is not None:
            # A new revision keeps what is done, and never moves on past red flags that
            # stand in the log.
            log = guard.diary(store, name)
            plan = guard.carried(store, name, plan, _today(), log)
            plan = guard.held(store, name, template, plan, _today(), log)
            safety = log.state(plan, _today())
        result = saved.save(store, name, template, plan, calendar, given)
        prepared = saved.prepare(store, name, stamp)
        ics = saved.export_ics(store, name, prepared, lambda data: write_atomic(out, data))
    state = "saved as" if result.new else "no change to"
    note = (
        f"{state} '{name}' (revision {result.revision}) in {store.path} "
        f"(events: {_changes(prepared.versions)})"
    )
    return result.plan, ics, note, safety


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
            _fail(f"{given} only applies to --format ics; leave it out for {chosen}")
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
    from planner import saved
    from planner.fileio import write_atomic
    from planner.options import build_calendar_options

    calendar, given = build_calendar_options(calendar_name, color, remind, refresh, utc)
    with _saved_store(db, name) as store:
        prepared = saved.prepare(store, name, _stamp(), calendar, frozenset(given))
        _check_utc(prepared)
        ics = saved.export_ics(store, name, prepared, lambda data: write_atomic(out, data))
        state = _state(store, name, prepared.revision.plan)
    _warn(ics.warnings)
    plan = prepared.revision.plan
    typer.echo(
        f"wrote {out}: '{name}' revision {prepared.revision.number}, "
        f"{len(plan.sessions)} sessions ({_changes(prepared.versions)})"
    )
    _report_safety(state, name)


def _state(store: "Store", name: str, plan: "Plan") -> "SafetyReport":
    from planner import guard

    return guard.state_of(store, name, plan, _today())


def _report_safety(state: "SafetyReport", name: str) -> None:
    """The standing red flags, on standard error, after a calendar is written."""
    from planner.cli_safety import report_safety

    report_safety(state, name)


def _export_document(name: str, out: Path, db: Path | None, fmt: "Format") -> None:
    from planner.exporters.formats import suffix_mismatch
    from planner.exporters.record import NO_RECORD, Record

    if _is_plan_file(name):
        plan, record, what = _read_plan(Path(name)), NO_RECORD, name
    else:
        from planner import guard

        with _saved_store(db, name) as store:
            revision = store.latest(name)
            plan = revision.plan
            record = Record(
                entries=[item.entry for item in store.entries(name)],
                checkins=store.checkins(name),
                clearances=store.clearances(name),
                state=guard.state_of(store, name, plan, _today()),
                name=name,
            )
        what = f"'{name}' revision {revision.number}"
    mismatch = suffix_mismatch(fmt, out)
    if mismatch:
        _warn([mismatch])
    _write_document(out, fmt, plan, record)
    logged = f", {len(record.entries)} logged exercises" if record.entries else ""
    typer.echo(f"wrote {out} ({fmt}): {what}, {len(plan.sessions)} sessions{logged}")


def _write_document(out: Path, fmt: "Format", plan: "Plan", record: "Record | None" = None) -> None:
    from planner.exporters.formats import render_document
    from planner.exporters.record import NO_RECORD
    from planner.fileio import write_atomic

    write_atomic(out, render_document(fmt, plan, record or NO_RECORD))


def _check_utc(prepared: "Prepared") -> None:
    if prepared.events.calendar.utc and prepared.revision.plan.options.time is None:
        _fail("--utc only applies to timed sessions; this plan has all-day sessions")


def _read_plan(path: Path) -> "Plan":
    from pydantic import ValidationError

    from planner.models import Plan

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise PlanFileError(f"{path}: cannot read the plan ({reason})") from None
    try:
        return Plan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise PlanFileError(
            f"{path}: not a plan file written by 'planner generate --json' "
            f"({where}: {first['msg']})"
        ) from None


def _is_plan_file(source: str) -> bool:
    """Whether a command's plan argument names a plan JSON file rather than a saved plan."""
    path = Path(source)
    return path.suffix.lower() == ".json" or path.exists()


def _plan_from(source: str, db: Path | None) -> "Plan":
    """A plan from a JSON file written by --json, or the latest revision of a saved plan."""
    if _is_plan_file(source):
        return _read_plan(Path(source))
    with _saved_store(db, source) as store:
        return store.latest(source).plan


@app.command()
def show(
    plan: Annotated[str, typer.Argument(help="Saved plan name, or a plan JSON from --json.")],
    db: DbOpt = None,
) -> None:
    """Print a plan week by week (a saved plan with its safety state)."""
    from planner.views import plan_table

    if _is_plan_file(plan):
        loaded = _read_plan(Path(plan))
        typer.echo(plan_table(loaded))
        if loaded.safety is not None:
            from planner.safety_views import state_block

            typer.echo("\n".join(["", *state_block(loaded.safety, None)]))
        return
    from planner import guard
    from planner.safety_views import state_block

    with _saved_store(db, plan) as store:
        saved_plan = store.latest(plan).plan
        state = guard.state_of(store, plan, saved_plan, _today())
    typer.echo("\n".join([*state_block(state, plan, plan=saved_plan), "", plan_table(saved_plan)]))


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Program template or exercise library (.toml).")],
) -> None:
    """Check a template file the way 'generate' would, and say what is wrong."""
    from planner.templates import load_library, load_program, read_toml

    if "exercise" in read_toml(file):
        library = load_library(file)
        typer.echo(f"ok: {file}: exercise library with {len(library.exercise)} exercises")
        return
    loaded = load_program(str(file), _library())
    program = loaded.program
    typer.echo(
        f"ok: {file}: program '{program.title}', "
        f"{len(program.phases)} phases, {program.weeks} weeks"
    )


@app.command()
def schema(
    kind: Annotated[str, typer.Option(help="program, exercises or plan.")] = "program",
) -> None:
    """Print the JSON Schema of template files (for editor validation)."""
    import json

    from pydantic import BaseModel

    from planner.models import ExerciseLibrary, Plan, ProgramTemplate

    models: dict[str, type[BaseModel]] = {
        "program": ProgramTemplate,
        "exercises": ExerciseLibrary,
        "plan": Plan,
    }
    if kind not in models:
        _fail(f"--kind: '{kind}' is not one of {', '.join(models)}")
    typer.echo(json.dumps(models[kind].model_json_schema(), indent=2))


@plans_app.command("list")
def plans_list(db: DbOpt = None) -> None:
    """List saved plans with their latest revision."""
    store = _open_store(db, create=False)
    infos = []
    paused: set[str] = set()
    if store is not None:
        with store:
            infos = store.list_plans()
            paused = {
                i.name for i in infos if _state(store, i.name, store.latest(i.name).plan).paused
            }
    if not infos:
        typer.echo("no saved plans; save one with 'planner generate ... --name NAME'")
        return
    width = max(len(i.name) for i in infos)
    for i in infos:
        mark = "  PAUSED: red flags, see 'planner plans show'" if i.name in paused else ""
        typer.echo(
            f"{i.name:<{width}}  rev {i.revisions:<3} {i.template:<20} {i.sessions:>3} sessions "
            f"{i.first} to {i.last}  saved {i.updated:%Y-%m-%d %H:%M} UTC{mark}"
        )


@plans_app.command("show")
def plans_show(name: NameArg, db: DbOpt = None) -> None:
    """Show a saved plan: its safety state, options, revisions and what was last exported."""
    from planner import guard
    from planner.safety_views import state_block

    with _saved_store(db, name) as store:
        revisions = store.revisions(name)
        exported = store.exported(name)
        state = guard.state_of(store, name, revisions[0].plan, _today())
    latest = revisions[0]
    plan, options = latest.plan, latest.plan.options
    days = ",".join(options.days)
    timing = f"{options.time:%H:%M} {options.tz}" if options.time else "all-day"
    lines = [
        f"{name}: {plan.title} (template {latest.template}, plan id {plan.id})",
        *state_block(state, name, plan=plan),
        f"options: start {options.start}, days {days}, {plan.weeks} weeks, {timing}",
        f"calendar: {_calendar_text(latest.calendar)}",
        f"sessions: {len(plan.sessions)} from {plan.sessions[0].date} to {plan.sessions[-1].date}",
    ]
    if exported:
        newest = max(state.modified for state in exported.values())
        top = max(state.sequence for state in exported.values())
        lines.append(
            f"exported: {len(exported)} events remembered, highest SEQUENCE {top}, "
            f"last change {newest:%Y-%m-%d %H:%M} UTC"
        )
    else:
        lines.append("exported: never")
    lines.append("revisions:")
    lines += [
        f"  {r.number:>3}  {r.created:%Y-%m-%d %H:%M} UTC  {r.reason or '-'}" for r in revisions
    ]
    lines.append(f"week by week: planner show {name}")
    typer.echo("\n".join(lines))


def _calendar_text(calendar: "CalendarOptions") -> str:
    parts = [f"name {calendar.name or '(plan title)'}"]
    if calendar.color:
        parts.append(f"colour {calendar.color}")
    parts.append(f"reminder {calendar.remind} min before" if calendar.remind else "no reminder")
    parts.append(f"refresh every {calendar.refresh} min")
    if calendar.utc:
        parts.append("times in UTC")
    return ", ".join(parts)


@plans_app.command("delete")
def plans_delete(
    name: NameArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    db: DbOpt = None,
) -> None:
    """Delete a saved plan, its revisions and its export memory (calendars are untouched)."""
    with _saved_store(db, name) as store:
        count = len(store.revisions(name))
        if not yes:
            try:
                agreed = typer.confirm(
                    f"Delete plan '{name}' and its {count} revision(s)?", default=False
                )
            except typer.Abort:
                _fail("plans delete: no answer; add --yes to delete without asking")
            if not agreed:
                typer.echo(f"kept '{name}'; nothing deleted")
                return
        store.delete(name)
    typer.echo(f"deleted '{name}' ({count} revision(s)); events already in calendars stay")


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
    from planner import saved
    from planner.options import build_calendar_options
    from planner.publish import Target, check_url

    url = check_url(caldav_url, allow_http)
    calendar, given = build_calendar_options(calendar_name, color, remind, refresh, utc)
    with _saved_store(db, name) as store:
        prepared = saved.prepare(store, name, _stamp(), calendar, frozenset(given))
        _check_utc(prepared)
        password = _password(username)  # asked only once the plan is known to exist
        title = prepared.events.calendar.name or prepared.revision.plan.title
        target = Target(url, username, password, title, allow_http)
        counts = saved.publish(store, name, prepared, target)
        state = _state(store, name, prepared.revision.plan)
    _warn(prepared.events.warnings)
    made = f" (created calendar '{title}')" if counts.made_collection else ""
    typer.echo(f"published '{name}' to {counts.collection}{made}: {counts}")
    _report_safety(state, name)


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
        _fail("no CalDAV password: set PLANNER_CALDAV_PASSWORD or type it when asked")
    return password


@templates_app.command("list")
def templates_list() -> None:
    """List the shipped program templates."""
    from planner.templates import load_program, program_slugs

    library = _library()
    for slug in program_slugs():
        program = load_program(slug, library).program
        per_week = "/".join(str(p.sessions_per_week) for p in program.phases)
        typer.echo(f"{slug:<22} {program.weeks:>2} wk  {per_week:<6} per wk  {program.title}")


@templates_app.command("show")
def templates_show(
    slug: Annotated[str, typer.Argument(help="Template slug or .toml file.")],
) -> None:
    """Show a template's phases, exercises, dosage and progression rules."""
    from planner.templates import load_program
    from planner.views import program_detail

    library = _library()
    loaded = load_program(slug, library)
    typer.echo(program_detail(loaded.slug, loaded.program, library.by_id()))


@exercises_app.command("list")
def exercises_list(
    equipment: Annotated[
        str | None, typer.Option(help="Only what this kit allows, e.g. none or band,bench.")
    ] = None,
) -> None:
    """List exercises, optionally only those your equipment allows."""
    from planner.options import parse_equipment

    have = None if equipment is None else parse_equipment(equipment)
    allowed = None if have is None else set(have)
    for ex in _library().exercise:
        if allowed is None or set(ex.equipment) <= allowed:
            kit = ", ".join(ex.equipment) or "none"
            typer.echo(f"{ex.id:<26} {ex.dose:<6} {kit:<20} {ex.name}")


@exercises_app.command("show")
def exercises_show(exercise_id: Annotated[str, typer.Argument(help="Exercise id.")]) -> None:
    """Show one exercise: muscles, equipment, cues, variations, pain flags."""
    from planner.templates import unknown_exercise
    from planner.views import exercise_detail

    library = _library().by_id()
    if exercise_id not in library:
        _fail(unknown_exercise(exercise_id, library))
    typer.echo(exercise_detail(library[exercise_id], library))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="planner")


if __name__ == "__main__":  # pragma: no cover
    main()


# The training-loop commands register themselves on ``app``; imported last because they use
# the helpers above.
import planner.cli_log  # noqa: E402
import planner.cli_safety  # noqa: E402, F401
