"""The root command: composes the command groups and turns every user error into one
``error: ...`` line.

Only Typer and the standard library are imported at start-up; everything heavier
(pydantic models, icalendar) is imported inside the command that needs it, so
``planner --help`` stays close to the cost of importing Typer.
"""

import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from planner.cli import calendar, library, life, plans, safety, training
from planner.cli.console import command_group, fail
from planner.errors import PlannerError
from planner.version import __version__


class _Group(TyperGroup):
    """Root group that turns every :class:`PlannerError` into ``error: ...`` and exit 1.

    An :class:`OSError` that names a file comes from a path the person gave (an output
    file, the store, a template) that the code did not check ahead: it becomes
    ``error: PATH: reason`` too. Any other exception is a bug and keeps its traceback.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            fail(str(exc))
        except OSError as exc:
            if not isinstance(exc.filename, str | bytes | os.PathLike):
                raise
            fail(f"{os.fsdecode(exc.filename)}: {exc.strerror or exc}")


app = command_group("Progressive, pain-aware workout plans exported as calendars.", cls=_Group)
for group in (plans, calendar, training, life, safety, library):
    app.add_typer(group.app)


def _version(value: bool) -> None:
    if value:
        from planner.zones import database

        typer.echo(f"planner {__version__} (time zones: {database().describe()})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Progressive, pain-aware workout plans exported as calendars."""


def main() -> None:
    """Console-script entry point."""
    app(prog_name="planner")


if __name__ == "__main__":  # pragma: no cover
    main()
