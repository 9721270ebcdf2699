"""The root command: composes the command groups and turns every user error into one
``error: ...`` line.

Only Typer and the standard library are imported at start-up; everything heavier
(pydantic models, icalendar) is imported inside the command that needs it, so
``planner --help`` stays close to the cost of importing Typer.
"""

import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from planner.cli import calendar, library, life, plans, safety, training
from planner.cli.console import Group, command_group, fail
from planner.errors import PlannerError
from planner.version import __version__


class _Group(Group):
    """Root group that turns every :class:`PlannerError` into ``error: ...`` and exit 1,
    and every usage error (unknown option or command, missing argument, bad value) into
    one ``error: ...`` line with a hint and exit 2.

    An :class:`OSError` that names a file comes from a path the person gave (an output
    file, the store, a template) that the code did not check ahead: it becomes
    ``error: PATH: reason`` too. Any other exception is a bug and keeps its traceback.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        # Run without click's standalone mode, which prints a usage error as three lines
        # ("Usage: ...", "Try ...", "Error: ..."), and print it here as one.
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

        from planner.cli.console import usage_line

        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError as exc:  # a group called with nothing: its help
            exc.show()
            sys.exit(exc.exit_code)
        except UsageError as exc:
            typer.echo(usage_line(exc), err=True)
            sys.exit(2)
        except ClickException as exc:
            typer.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(1)
        except typer.Abort:
            typer.echo("Aborted!", err=True)
            sys.exit(1)
        # Without standalone mode an exit (typer.Exit, Ctrl-C's 130) comes back as its
        # code; a command that finished returns None.
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            fail(str(exc))
        except OSError as exc:
            if not isinstance(exc.filename, str | bytes | os.PathLike):
                raise
            fail(f"{os.fsdecode(exc.filename)}: {exc.strerror or exc}")


app = command_group(
    "Progressive, pain-aware workout plans exported as calendars.", completion=True, cls=_Group
)
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
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Progressive, pain-aware workout plans exported as calendars."""


def main() -> None:
    """Console-script entry point."""
    import gc

    # One command is a short-lived process that makes few reference cycles: the collector
    # would only walk the tens of thousands of objects the imports made, during the run and
    # once more at exit (a fifth of a quick command's time). Frozen before the interpreter
    # finalises, they are left for the operating system to reclaim with the process.
    gc.disable()
    # pydantic looks for plugins (through every installed package's entry points) the
    # first time it builds a validator: tens of milliseconds, for plugins a command-line
    # planner has no use for. A choice the person made in the environment stands.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app(prog_name="planner")
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
