"""What every command shares: its Typer app, ``error:`` and ``warning:`` lines, and the
safety block printed after anything that touches a saved plan.

Imports only Typer and the standard library at start-up.
"""

from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from planner.models.safety import SafetyReport
    from planner.service.safety_hold import Guarded


def command_group(help_text: str, **kwargs: Any) -> typer.Typer:
    """A Typer app with the planner's conventions (plain help, no completion, help when
    called with nothing)."""
    return typer.Typer(
        help=help_text,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        add_completion=False,
        **kwargs,
    )


def fail(message: str) -> NoReturn:
    """Print ``error: message`` to standard error and exit 1."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def warn(warnings: "tuple[str, ...] | list[str]") -> None:
    """Print each warning as ``warning: ...`` to standard error."""
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def report_safety(
    state: "SafetyReport", name: str, new: "list[str] | None" = None, always: bool = False
) -> None:
    """Print the safety state to standard error: every red flag just reported (``new``),
    then the standing pause and what lifts it. Silent when there is nothing to say,
    unless ``always``."""
    from planner.wording.safety_state import state_block

    for text in new or ():
        typer.echo(f"warning: red flag: {text}", err=True)
    if state.paused or new or always:
        for line in state_block(state, name):
            typer.echo(line, err=True)


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
    if guarded.problem:
        typer.echo(
            f"warning: what you reported is saved ({guarded.problem}); do not train harder "
            "until the pause lifts",
            err=True,
        )
