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

from planner.cli.console import Group, command_group, fail
from planner.errors import PlannerError
from planner.version import __version__

# Every command below the root, in the order the help lists them: the module of
# planner.cli that defines it, and its summary (the first sentence of its help, which a test
# holds to it). A command's module is imported, and its commands built, only when one of them
# runs: Typer would otherwise build all of them, every option of every command, each time.
COMMANDS: dict[str, tuple[str, str]] = {
    "generate": (
        "plans",
        "Generate a dated plan and write it as an .ics calendar (and optionally JSON).",
    ),
    "show": ("plans", "Print a plan week by week (a saved plan with its safety state)."),
    "plans": ("plans", "List, inspect and delete saved plans."),
    "export": (
        "calendar",
        "Write a saved plan as .ics (only sessions that changed get a higher SEQUENCE), or as "
        "a printable HTML page, Markdown, CSV or JSON with what has been logged so far.",
    ),
    "publish": (
        "calendar",
        "Put a saved plan on a CalDAV server: create, update and delete only what changed.",
    ),
    "log": (
        "training",
        "Log what you did in a session: reps or holds per set, load or band, pain and effort.",
    ),
    "checkin": (
        "training",
        "Record next-morning pain (and any red-flag signs) for the adapt rules.",
    ),
    "history": (
        "training",
        "Show what was done against what was prescribed, the check-ins, clearances and red flags.",
    ),
    "progress": (
        "training",
        "Show the pain trend and each exercise's logged progression, week by week.",
    ),
    "adapt": (
        "training",
        "Adjust the weeks ahead to your log: progress, hold, step back, swap, deload, extend.",
    ),
    "pause": (
        "life",
        "Pause the plan (illness, travel, a busy month): the sessions from --from on wait, "
        "then move later by the length of the pause.",
    ),
    "resume": (
        "life",
        "End the pause: the waiting sessions move later by its length; after a long break "
        "the first week back steps back.",
    ),
    "move": ("life", "Move one session to another day (the same calendar event moves)."),
    "skip": (
        "life",
        "Record a session as missed on purpose (adapt then knows it was not forgotten).",
    ),
    "clear": (
        "safety",
        "Record that a clinician has seen you about the red flags reported so far.",
    ),
    "validate": (
        "library",
        "Check a template or exercise file the way 'generate' would, and list every problem.",
    ),
    "schema": ("library", "Print the JSON Schema of template files (for editor validation)."),
    "sources": ("library", "List the sources of the templates (one or all)."),
    "templates": ("library", "List, inspect and copy the shipped program templates."),
    "exercises": (
        "library",
        "List and inspect the exercise library: the shipped one and your personal library.",
    ),
}


def module_commands(module: str) -> dict[str, Any]:
    """The click commands (and groups) that the Typer app of ``planner.cli.<module>``
    defines, built through Typer's public ``typer.main.get_command``."""
    from typer.main import get_command

    # __import__ rather than importlib.import_module: ``python -X importtime`` lists only
    # imports made through it, and the start-up tests read that list.
    built = get_command(__import__(f"planner.cli.{module}", fromlist=["app"]).app)
    commands = getattr(built, "commands", None)
    return dict(commands) if commands is not None else {str(built.name): built}


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

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands.update(module_commands(COMMANDS[cmd_name][0]))
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # From the table: building every command to ask it for its summary would cost
        # ``planner --help`` more than importing Typer does.
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in COMMANDS.items()])

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
