"""Command-line interface: parse arguments, call the core, print, map errors to exit codes.

Only Typer and the standard library are imported at start-up; everything heavier
(pydantic models, icalendar) is imported inside the command that needs it, so
``planner --help`` stays close to the cost of importing Typer.
"""

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, get_args

import typer
from typer.core import TyperGroup

from planner import __version__
from planner.errors import PlanFileError, PlannerError

if TYPE_CHECKING:
    from planner.models import ExerciseLibrary, Plan


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
app.add_typer(templates_app, name="templates")
app.add_typer(exercises_app, name="exercises")


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
        Path | None, typer.Option(help="Calendar file to write [default: <template>.ics].")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the plan as JSON.")
    ] = None,
) -> None:
    """Generate a dated plan and write it as an .ics calendar (and optionally JSON)."""
    from planner.exporters.ics import plan_to_ics
    from planner.fileio import check_writable, write_atomic
    from planner.generator import generate as build
    from planner.options import build_options
    from planner.templates import load_program

    options = build_options(start, days, weeks, time, tz, duration)
    library = _library()
    loaded = load_program(template, library)
    out = out or Path(f"{loaded.slug}.ics")
    check_writable(out, "--out")
    if json_out is not None:
        check_writable(json_out, "--json")
        if json_out.resolve() == out.resolve():
            _fail("--json and --out name the same file; give two different paths")
    plan = build(loaded.slug, loaded.program, library.by_id(), options)
    ics = plan_to_ics(plan, _stamp())
    payload = plan.model_dump_json(indent=2).encode() + b"\n" if json_out else b""
    write_atomic(out, ics.data)
    if json_out is not None:
        write_atomic(json_out, payload)
    for warning in (*plan.warnings, *ics.warnings):
        typer.echo(f"warning: {warning}", err=True)
    phases = ", ".join(f"{p.name} (weeks {p.first_week}-{p.last_week})" for p in plan.phases)
    deloads = (
        f"; deload week(s) {', '.join(map(str, plan.deload_weeks))}" if plan.deload_weeks else ""
    )
    typer.echo(
        f"{plan.title}: {plan.weeks} weeks, {len(plan.sessions)} sessions "
        f"from {plan.sessions[0].date} to {plan.sessions[-1].date}"
    )
    typer.echo(f"phases: {phases}{deloads}")
    typer.echo(f"wrote {out}" + (f" and {json_out}" if json_out else ""))


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


@app.command()
def show(plan_file: Annotated[Path, typer.Argument(help="Plan JSON written with --json.")]) -> None:
    """Print a saved plan week by week."""
    from planner.views import plan_table

    typer.echo(plan_table(_read_plan(plan_file)))


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
    from planner.models.common import Equipment

    allowed: set[str] | None = None
    if equipment is not None:
        names = {e.strip() for e in equipment.split(",") if e.strip()}
        known = set(get_args(Equipment))
        bad = sorted(names - known - {"none"})
        if bad:
            _fail(
                f"--equipment: unknown '{', '.join(bad)}'; "
                f"choose from none, {', '.join(sorted(known))}"
            )
        allowed = names - {"none"}
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
