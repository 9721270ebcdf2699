"""What every command shares: its Typer app, ``error:`` and ``warning:`` lines, and the
safety block printed after anything that touches a saved plan.

Imports only Typer and the standard library at start-up.
"""

from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand

from planner.errors import check_text, escape_controls, one_line

if TYPE_CHECKING:
    from planner.models.safety import SafetyReport
    from planner.service.safety_hold import Guarded


def _plain_values(command: TyperCommand, ctx: Any) -> None:
    """Refuse a control character in any text a command was given (options, arguments,
    paths, also from the environment), naming the option: it would otherwise be saved,
    written into a file or echoed to the terminal as it is."""
    from pathlib import PurePath

    for param in command.params:
        value = ctx.params.get(param.name)
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str | PurePath):
                check_text(str(item), _label(param))


def _label(param: Any) -> str:
    """How a parameter is written in messages: ``--note``, or ``NAME`` for an argument."""
    if isinstance(param, TyperArgument):
        return str(param.name).upper()
    return str(param.opts[0])


class _Command(TyperCommand):
    """Every planner command: its text values are checked before it runs."""

    def invoke(self, ctx: Any) -> Any:
        _plain_values(self, ctx)
        return super().invoke(ctx)


class _App(typer.Typer):
    """A Typer app whose commands are :class:`_Command` unless told otherwise."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


def command_group(help_text: str, **kwargs: Any) -> typer.Typer:
    """A Typer app with the planner's conventions (plain help, no completion, help when
    called with nothing, control characters refused in every text value)."""
    return _App(
        help=help_text,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        add_completion=False,
        **kwargs,
    )


def say(text: str, err: bool = False) -> None:
    """Print ``text`` (to standard error if ``err``) with every control character but line
    breaks and tabs escaped: titles, plan and exercise names come from template files, plan
    files, the store or a server, and must not steer the terminal. A tab only moves along
    the line (a template's summary may hold one)."""
    lines = ("\t".join(map(escape_controls, line.split("\t"))) for line in text.split("\n"))
    typer.echo("\n".join(lines), err=err)


def fail(message: str) -> NoReturn:
    """Print ``error: message`` to standard error, as one line (control characters
    escaped, long values shortened), and exit 1."""
    typer.echo(f"error: {one_line(message)}", err=True)
    raise typer.Exit(1)


def warn(warnings: "tuple[str, ...] | list[str]") -> None:
    """Print each warning as ``warning: ...`` to standard error."""
    for warning in warnings:
        typer.echo(f"warning: {one_line(warning)}", err=True)


def report_safety(
    state: "SafetyReport", name: str, new: "list[str] | None" = None, always: bool = False
) -> None:
    """Print the safety state to standard error: every red flag just reported (``new``),
    then the standing pause and what lifts it. Silent when there is nothing to say,
    unless ``always``."""
    from planner.wording.safety_state import state_block

    for text in new or ():
        typer.echo(f"warning: red flag: {one_line(text)}", err=True)
    if state.paused or new or always:
        for line in state_block(state, name):
            typer.echo(one_line(line), err=True)


def report_held(guarded: "Guarded | None") -> None:
    """Say that show, an export or a publish held the plan first and saved that as a
    revision, and why a held plan could not be rebuilt."""
    if guarded is None:
        return
    if guarded.revision is not None:
        typer.echo(
            f"held the plan for safety first (red flags stand): saved as revision "
            f"{guarded.revision}; the sessions ahead ask for no more than you last managed",
            err=True,
        )
    _report_problem(guarded)


def report_guard(guarded: "Guarded", name: str, new: "list[str] | None" = None) -> None:
    """The safety block, then whether the plan was held as a new revision."""
    report_safety(guarded.state, name, new)
    if guarded.revision is not None:
        typer.echo(
            f"held the plan for safety: saved as revision {guarded.revision}; the sessions "
            f"ahead ask for no more than you last managed. Update your calendar with 'planner "
            f"export {name} --out FILE' or 'planner publish {name} ...'",
            err=True,
        )
    _report_problem(guarded)


def _report_problem(guarded: "Guarded") -> None:
    if guarded.problem:
        typer.echo(
            one_line(
                f"warning: what you reported is saved ({guarded.problem}); do not train "
                "harder until the safety stop is lifted"
            ),
            err=True,
        )
