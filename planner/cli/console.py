"""What every command shares: its Typer app, ``error:`` and ``warning:`` lines, and the
safety block printed after anything that touches a saved plan.

Imports only Typer and the standard library at start-up.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

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


# -h as well as --help on every command and group: the root context's names are
# inherited by every command below it.
HELP_OPTIONS = ["-h", "--help"]
# The panel of options that name none (and of --help).
_OTHER_PANEL = "Options"
# Commands with fewer options than this list them in one panel.
_PANELS_FROM = 8
_PANELS = ("Schedule", "Person", "Calendar", "Output", "Store")
# The first column of the option lists is never wider than this (click's own limit).
_COLUMN = 30


def command_key(ctx: Any) -> str:
    """The command's path below the root, e.g. ``plans list`` (whatever the program is
    called): the key of its examples in :mod:`planner.cli.help_text`."""
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(str(ctx.info_name))
        ctx = ctx.parent
    return " ".join(reversed(names))


def first_sentence(text: str | None) -> str:
    """The first sentence of a help text, whole: click would cut it at 45 characters
    and end it with "...", hiding half of what the command does."""
    import inspect
    import re

    paragraph = inspect.cleandoc(text or "").split("\n\n")[0]
    joined = " ".join(paragraph.split())
    # A sentence ends at a full stop followed by a space, but not in "e.g." or "i.e.".
    match = re.search(r"(?<!e\.g)(?<!i\.e)\.(?=\s)", joined)
    return joined[: match.end()] if match else joined


@contextmanager
def _own_errors(ctx: Any) -> Iterator[None]:
    """Mark a usage error the parser raises with no context (an option missing its value,
    say) as this command's, so its hint names this command's help."""
    from typer._click.exceptions import UsageError

    try:
        yield
    except UsageError as exc:
        if exc.ctx is None:
            exc.ctx = ctx
        raise


def _format_options(command: Any, ctx: Any, formatter: Any) -> None:
    """Arguments, then the options panel by panel (each parameter's ``rich_help_panel``,
    in the order they first appear; options that name none last), in plain text: the
    panels Typer draws only with Rich, whose import would slow every ``--help``."""
    arguments: list[tuple[str, str]] = []
    panels: dict[str, list[tuple[str, str]]] = {}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        if param.param_type_name == "argument":
            # Typer writes "name <str>"; the placeholder alone says what to give.
            arguments.append((_placeholder(param), record[1]))
        else:
            panel = getattr(param, "rich_help_panel", None) or _OTHER_PANEL
            if len(command.params) < _PANELS_FROM:  # a short list reads best whole
                panel = _OTHER_PANEL
            panels.setdefault(panel, []).append(record)
    # The panels in reading order (what to train, for whom, the calendar, the files, the
    # store), any other in order of appearance, and the unnamed ones last.
    rank = {panel: n for n, panel in enumerate(_PANELS)}
    order = sorted(panels, key=lambda p: (p == _OTHER_PANEL, rank.get(p, len(rank))))
    panels = {panel: panels[panel] for panel in order}
    # One first column for every panel, so the descriptions line up from one to the next.
    rows = [*arguments, *(row for panel in panels.values() for row in panel)]
    width = min(max((len(first) for first, _ in rows), default=0), _COLUMN)

    def padded(group: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(first.ljust(width), second) for first, second in group]

    if arguments:
        with formatter.section("Arguments"):
            formatter.write_dl(padded(arguments), col_max=_COLUMN)
    for panel, records in panels.items():
        with formatter.section(panel):
            formatter.write_dl(padded(records), col_max=_COLUMN)


def _placeholder(param: Any) -> str:
    return str(param.metavar or param.name).upper()


def _name_values(command: TyperCommand) -> None:
    """Give every argument and valued option a placeholder that says what it takes
    (``DATE``, ``SESSION``), from :data:`planner.cli.help_text.PLACEHOLDERS` where the
    declaration names none, instead of Typer's ``<str>``."""
    from planner.cli.help_text import PLACEHOLDERS

    for param in command.params:
        if param.metavar is not None or getattr(param, "is_flag", False):
            continue
        name = str(param.name)
        # A name such as ``from_`` (a Python keyword) shows as FROM.
        param.metavar = PLACEHOLDERS.get(name, name.strip("_").upper().replace("_", "-"))


def _format_examples(ctx: Any, formatter: Any) -> None:
    """The command's examples from :mod:`planner.cli.help_text`, as written (not
    re-wrapped: a command line must stay one line)."""
    from planner.cli.help_text import EXAMPLES

    examples = EXAMPLES.get(command_key(ctx))
    if not examples:
        return
    with formatter.section("Examples"):
        indent = " " * formatter.current_indent
        for said, line in examples:
            formatter.write(f"{indent}{said}\n")
            for part in _continued(line, formatter.width - len(indent) - 2):
                formatter.write(f"{indent}  {part}\n")


def _continued(line: str, width: int) -> list[str]:
    """A long command line split before an option, each part but the last ending in
    `` \\`` so it can still be pasted into a shell as it is shown."""
    import re

    parts = [""]
    for piece in re.split(r" (?=--)", line):
        if parts[-1] and len(parts[-1]) + len(piece) + 3 > width:
            parts[-1] += " \\"
            parts.append("    ")
        parts[-1] += piece if parts[-1].strip() == "" else f" {piece}"
    return [part.rstrip() if part.strip() else part for part in parts]


class _Parsing:
    """How every planner command and group reads its line: its parameters read their own
    values (:mod:`planner.cli.option_values`; only for what runs, not for its help), and a
    usage error the parser raises without a context is marked as its own."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from planner.cli.option_values import read_values_quickly

        read_values_quickly(self)
        with _own_errors(ctx):
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]

    def get_help_option(self, ctx: Any) -> Any:
        from planner.cli.option_values import read_quickly

        option = super().get_help_option(ctx)  # type: ignore[misc]
        return None if option is None else read_quickly(option)


class _Command(_Parsing, TyperCommand):
    """Every planner command: its text values are checked before it runs and its plain
    values are read without Typer's pydantic adapters (:mod:`planner.cli.option_values`);
    its help groups options in panels, ends with examples, and its summary is a whole
    sentence."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_values(self)

    def invoke(self, ctx: Any) -> Any:
        _plain_values(self, ctx)
        return super().invoke(ctx)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        # "[OPTIONS] TEMPLATE", as most tools write it, not Typer's "{template}".
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                shown = _placeholder(param)
                pieces.append(shown if param.required else f"[{shown}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        _format_options(self, ctx, formatter)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        _format_examples(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return first_sentence(self.short_help or self.help)


class Group(_Parsing, TyperGroup):
    """Every planner command group: mistyped commands get one "did you mean", summaries
    are whole sentences, and the help ends with examples."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError

        from planner.suggest import did_you_mean

        name = args[0] if args else ""
        unknown = name and not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            hint = did_you_mean(name, self.list_commands(ctx))
            raise UsageError(f"no such command '{name}'{hint}", ctx)
        return super().resolve_command(ctx, args)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        _format_examples(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return first_sentence(self.short_help or self.help)


def usage_line(exc: Any) -> str:
    """A click usage error as one line: ``error: what went wrong (did you mean ...?);
    see 'planner CMD --help'``."""
    from typer._click.exceptions import NoSuchOption

    from planner.suggest import did_you_mean

    ctx = exc.ctx
    if isinstance(exc, NoSuchOption) and ctx is not None:
        known = [
            opt
            for param in ctx.command.get_params(ctx)
            for opt in (*param.opts, *param.secondary_opts)
            if opt.startswith("-")
        ]
        # One guess, the nearest: a list of three options reads as noise.
        text = f"no such option '{exc.option_name}'{did_you_mean(exc.option_name, known, n=1)}"
    else:
        text = exc.format_message().strip().rstrip(".")
        text = text[:1].lower() + text[1:]
    # Named as the person types it, whatever name the program was started under.
    path = " ".join(["planner", command_key(ctx)]).strip() if ctx is not None else "planner"
    hint = f"; see '{path} --help'"
    return f"error: {one_line(text)}{hint}"


class _App(typer.Typer):
    """A Typer app whose commands are :class:`_Command` unless told otherwise."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


def command_group(help_text: str, completion: bool = False, **kwargs: Any) -> typer.Typer:
    """A Typer app with the planner's conventions (plain help, -h and --help, help when
    called with nothing, control characters refused in every text value). Only the root
    app sets ``completion``: it adds --install-completion and --show-completion."""
    kwargs.setdefault("cls", Group)
    return _App(
        help=help_text,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        add_completion=completion,
        context_settings={"help_option_names": HELP_OPTIONS},
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
