"""Help that reads well: every command and group answers -h and --help, names its
values with placeholders that say what to type, lists generate's options in panels,
ends with examples that parse, and is summarised by a whole sentence in its group."""

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from planner.cli.app import app
from planner.cli.help_text import EXAMPLES
from tests.helpers import run, subcommands

ROOT = Path(__file__).resolve().parents[1]


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group below ``command`` (itself first), with its path."""
    yield path, command
    for name, sub in (subcommands(command) if hasattr(command, "commands") else {}).items():
        yield from _commands(sub, (*path, name))


ROOT_COMMAND = get_command(app)
PATHS = [path for path, _ in _commands(ROOT_COMMAND)]
LEAVES = [path for path, cmd in _commands(ROOT_COMMAND) if not hasattr(cmd, "commands")]


def _help(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, err
    return out


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_answers_both_help_flags(path: tuple[str, ...], flag: str) -> None:
    out = _help(*path, flag)
    assert out.startswith(f"Usage: {' '.join(['root', *path])} ")
    assert "-h, --help" in out


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_placeholders_say_what_to_type(path: tuple[str, ...]) -> None:
    out = _help(*path, "--help")
    # Typer's own placeholders name Python types or the parameter in braces.
    assert not re.search(r"<\w+>|\{\w+\}", out), out
    for line in out.split("\nExamples:\n")[0].splitlines():
        match = re.match(r"  (?:-\w, )?--[\w-]+ (\S+)", line)
        if match and match[1] != "/":
            assert match[1] == match[1].upper(), line  # FILE, DATE, HH:MM, EXERCISE=LOAD


def test_generate_lists_its_options_in_panels() -> None:
    out = _help("generate", "--help")
    headings = [line[:-1] for line in out.splitlines() if re.fullmatch(r"[A-Z]\w+:", line)]
    assert headings == [
        "Arguments", "Schedule", "Person", "Calendar", "Output", "Store", "Options", "Examples"
    ]  # fmt: skip
    schedule = out.split("Schedule:")[1].split("Person:")[0]
    assert "--tz ZONE" in schedule and "--time HH:MM" in schedule and "--start DATE" in schedule
    assert "--equipment KIT" in out.split("Person:")[1].split("Calendar:")[0]
    assert "--db FILE" in out.split("Store:")[1].split("Options:")[0]


def test_a_short_command_keeps_one_list() -> None:
    out = _help("show", "--help")
    assert "Store:" not in out and "--db FILE" in out.split("Options:")[1]


def test_usage_line_names_arguments_plainly() -> None:
    assert _help("generate", "-h").startswith("Usage: root generate [OPTIONS] TEMPLATE\n")
    assert _help("move", "-h").startswith("Usage: root move [OPTIONS] NAME SESSION\n")


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_every_command_has_examples(path: tuple[str, ...]) -> None:
    assert EXAMPLES.get(" ".join(path)), f"no examples for {' '.join(path) or 'the root'}"
    out = _help(*path, "--help")
    examples = out.split("\nExamples:\n")[1]
    for said, line in EXAMPLES[" ".join(path)]:
        assert said in examples
        assert " ".join(examples.replace("\\\n", " ").split()).count(" ".join(line.split()))


def test_every_example_belongs_to_a_command() -> None:
    assert set(EXAMPLES) <= {" ".join(path) for path in PATHS}


def test_long_examples_stay_within_80_columns() -> None:
    for path in PATHS:
        tail = _help(*path, "--help").split("\nExamples:\n")[1]
        assert all(len(line) <= 80 for line in tail.splitlines()), tail


def _parse(line: str) -> Any:
    """Parse an example the way the command would, without running it."""
    words = shlex.split(line)
    assert words[0] == "planner"
    command, words = ROOT_COMMAND, words[1:]
    while hasattr(command, "commands"):
        command = subcommands(command)[words[0]]
        words = words[1:]
    return command.make_context(command.name, words)


@pytest.mark.parametrize(
    ("key", "line"),
    [(key, line) for key, examples in EXAMPLES.items() for _, line in examples],
)
def test_every_example_parses(key: str, line: str) -> None:
    ctx = _parse(line)
    assert line.startswith(f"planner {key}".strip())
    # Every option the example names is one the command has.
    names = {opt for p in ctx.command.params for opt in (*p.opts, *p.secondary_opts)}
    assert {w for w in shlex.split(line) if w.startswith("--")} <= names


def test_a_misspelt_example_would_be_caught() -> None:
    from typer._click.exceptions import UsageError

    with pytest.raises(UsageError):
        _parse("planner generate hip-knee --dys mon")


def test_command_list_summaries_are_whole_sentences() -> None:
    out = _help("--help")
    listing = out.split("Commands:\n")[1].split("\n\n")[0]
    assert "..." not in listing
    joined = " ".join(listing.split())
    assert "(and optionally JSON)." in joined
    for path in LEAVES:
        if len(path) == 1:
            summary = subcommands(ROOT_COMMAND)[path[0]].get_short_help_str()
            assert summary.endswith("."), summary
            assert " ".join(summary.split()) in joined


def test_command_help_imports_no_rich() -> None:
    # Typer draws panels with Rich only; ours are plain text, so help starts no slower.
    probe = (
        "import sys\n"
        "from planner.cli.app import main\n"
        "sys.argv = ['planner', 'generate', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('RICH' if any(m.split('.')[0] == 'rich' for m in sys.modules) else 'NONE')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "Schedule:" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "NONE"


def test_the_root_table_lists_every_command_with_its_summary() -> None:
    # The root lists its commands from a table (planner.cli.app.COMMANDS) without building
    # them: it must name every command the modules define, each with its own summary.
    from planner.cli.app import COMMANDS, module_commands

    built = {}
    for module in dict.fromkeys(module for module, _ in COMMANDS.values()):
        for name, command in module_commands(module).items():
            assert COMMANDS.get(name, ("",))[0] == module, f"{name} is not in the table"
            built[name] = command
    assert list(built) == list(COMMANDS)
    for name, (_, summary) in COMMANDS.items():
        assert built[name].get_short_help_str() == summary, name
