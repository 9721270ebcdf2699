"""The planner reads its plain option values itself (planner.cli.option_values): for every
parameter of every command, whatever it is given, the result (or the error, word for word)
is the one Typer's own reading gives."""

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command

from planner.cli.app import app
from planner.cli.option_values import read_values_quickly
from tests.helpers import subcommands

ROOT = Path(__file__).resolve().parents[1]


def _commands(group: Any, path: str = "") -> list[tuple[str, Any]]:
    found = []
    for name, command in sorted(subcommands(group).items()):
        key = f"{path} {name}".strip()
        if hasattr(command, "commands"):
            found += _commands(command, key)
        else:
            found.append((key, command))
    return found


COMMANDS = _commands(get_command(app))

SAMPLES: list[Any] = [
    None,
    "",
    " ",
    "abc",
    "7",
    "07",
    " 7",
    "-3",
    "1_000",
    "3.5",
    "²",
    "a\x00b",
    "d\udce9",
    "2026-12-07",
    "18:30",
    "mon,wed,fri",
    "-",
    "~",
    "knee",
    "none",
    "red",
    "#ff8800",
    "Europe/London",
    "W1S1",
    "clamshell=skip",
    "https://example.org/dav/",
    True,
    False,
    (),
    ("a", "b"),
    ["7"],
    b"bytes",
    5,
]


def _outcome(read: Any, ctx: Any, value: Any) -> tuple[str, Any]:
    try:
        return "value", read(ctx, value)
    except typer.Exit as exc:
        return "exit", exc.exit_code
    except Exception as exc:
        return type(exc).__name__, str(exc)


def test_most_parameters_are_read_quickly() -> None:
    quick = total = 0
    for _, command in COMMANDS:
        read_values_quickly(command)
        for param in command.params:
            total += 1
            quick += type(param).__name__.startswith("Quick")
    # Nearly every option is plain: if this drops, an option lost its quick reading.
    assert total > 100 and quick / total > 0.9, (quick, total)


@pytest.mark.parametrize(("key", "command"), COMMANDS, ids=[key for key, _ in COMMANDS])
def test_each_value_reads_as_typer_reads_it(key: str, command: Any, tmp_path: Path) -> None:
    read_values_quickly(command)
    existing = tmp_path / "there.txt"
    existing.write_text("x")
    samples = [*SAMPLES, str(existing), str(tmp_path)]
    for param in command.params:
        if not type(param).__name__.startswith("Quick"):
            continue
        typers = type(param).__mro__[1].process_value  # the class Typer made it with
        for value in samples:
            ctx = typer.Context(command, info_name=key, resilient_parsing=False)
            got = _outcome(param.process_value, ctx, value)
            ctx = typer.Context(command, info_name=key, resilient_parsing=False)
            expected = _outcome(functools.partial(typers, param), ctx, value)
            assert got == expected, (key, param.name, value)


def test_a_run_builds_no_typer_adapter(tmp_path: Path) -> None:
    # The pydantic adapters Typer builds live in typer._adapters: a command whose options
    # are all plain never imports it (it would otherwise build one per option).
    probe = (
        "import os, sys\n"
        "from planner.cli.app import main\n"
        "sys.argv = ['planner', 'generate', 'hip-knee', '--start', '2026-12-07',\n"
        "            '--days', 'mon,wed,fri', '--weeks', '12', '--out', 'p.ics']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "assert os.path.getsize('p.ics') > 10000\n"
        "print('typer._adapters' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=tmp_path,
    )
    assert proc.stdout.split()[-1] == "False"
