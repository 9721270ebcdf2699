"""Helpers shared by the CLI-level tests."""

from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from planner.cli.app import app

runner = CliRunner(env={"SOURCE_DATE_EPOCH": "1795000000"})
GEN = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri"]


def run(*args: str | Path, stdin: str | None = None) -> tuple[int, str, str]:
    """Invoke the CLI in-process; return exit code, stdout and stderr."""
    result = runner.invoke(app, [str(a) for a in args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def ics_text(path: Path) -> str:
    """An .ics file's text with folded lines joined again, for searching its contents."""
    return path.read_bytes().decode().replace("\r\n ", "")


def assert_one_line_error(code: int, err: str, needle: str) -> None:
    """The contract for user errors: exit 1 and exactly one ``error: ...`` line."""
    assert code == 1, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert needle in err
    assert "Traceback" not in err


def line_of(path: Path, needle: str) -> int:
    """The one line of ``path`` holding ``needle`` (1-based): where an error should point."""
    rows = [n for n, row in enumerate(path.read_text().splitlines(), 1) if needle in row]
    assert len(rows) == 1, rows
    return rows[0]


def subcommands(group: Any) -> dict[str, Any]:
    """The commands of a click group by name, asked for the way click asks (the root
    builds its commands only when asked: ``group.commands`` holds only those built)."""
    ctx = typer.Context(group)
    found = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}
