"""Commands about the shipped material: templates, exercises, validating a template file
and the JSON Schemas of the file formats.

Imports only Typer and the standard library at start-up; each command imports what it uses.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.console import command_group, fail, say

if TYPE_CHECKING:
    from planner.models import ExerciseLibrary

app = command_group("Templates, exercises and file formats.")
templates = command_group("List and inspect the shipped program templates.")
exercises = command_group("List and inspect the exercise library.")
app.add_typer(templates, name="templates")
app.add_typer(exercises, name="exercises")


def _library() -> "ExerciseLibrary":
    from planner.templates import load_library

    return load_library()


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Program template or exercise library (.toml).")],
) -> None:
    """Check a template file the way 'generate' would, and say what is wrong."""
    from planner.templates import load_library, load_program, read_toml

    if "exercise" in read_toml(file):
        library = load_library(file)
        say(f"ok: {file}: exercise library with {len(library.exercise)} exercises")
        return
    loaded = load_program(str(file), _library())
    program = loaded.program
    say(
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
        fail(f"--kind: '{kind}' is not one of {', '.join(models)}")
    typer.echo(json.dumps(models[kind].model_json_schema(), indent=2))


@templates.command("list")
def templates_list() -> None:
    """List the shipped program templates."""
    from planner.templates import load_program, program_slugs

    library = _library()
    for slug in program_slugs():
        program = load_program(slug, library).program
        per_week = "/".join(str(p.sessions_per_week) for p in program.phases)
        say(f"{slug:<22} {program.weeks:>2} wk  {per_week:<6} per wk  {program.title}")


@templates.command("show")
def templates_show(
    slug: Annotated[str, typer.Argument(help="Template slug or .toml file.")],
) -> None:
    """Show a template's phases, exercises, dosage and progression rules."""
    from planner.cli.views import program_detail
    from planner.templates import load_program

    library = _library()
    loaded = load_program(slug, library)
    say(program_detail(loaded.slug, loaded.program, library.by_id()))


@exercises.command("list")
def exercises_list(
    equipment: Annotated[
        str | None, typer.Option(help="Only what this kit allows, e.g. none or band,bench.")
    ] = None,
) -> None:
    """List exercises, optionally only those your equipment allows."""
    from planner.cli.params import parse_equipment

    have = None if equipment is None else parse_equipment(equipment)
    allowed = None if have is None else set(have)
    for ex in _library().exercise:
        if allowed is None or set(ex.equipment) <= allowed:
            kit = ", ".join(ex.equipment) or "none"
            say(f"{ex.id:<26} {ex.dose:<6} {kit:<20} {ex.name}")


@exercises.command("show")
def exercises_show(exercise_id: Annotated[str, typer.Argument(help="Exercise id.")]) -> None:
    """Show one exercise: muscles, equipment, cues, variations, pain flags."""
    from planner.cli.views import exercise_detail
    from planner.templates import unknown_exercise

    library = _library().by_id()
    if exercise_id not in library:
        fail(unknown_exercise(exercise_id, library))
    say(exercise_detail(library[exercise_id], library))
