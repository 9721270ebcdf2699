"""Colour at the terminal's edge: the views come as plain lines with what may be marked
(pain 3+, pain 6+, red flags); this module decides whether colour is on and prints them.

Colour is on only for a terminal: never when ``NO_COLOR`` is set to anything, nor for
``TERM=dumb``, nor when the output is piped or written to a file. ``FORCE_COLOR`` (any
value) turns it on for a stream that is not a terminal, which is how the tests see it.
Plain ANSI codes: nothing heavier is imported for them. Imports only the standard library
and Typer at start-up.
"""

import os
import sys
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

import typer

from planner.errors import escape_controls

if TYPE_CHECKING:
    from planner.wording.log import Line

# The width the terminal views fit.
WIDTH = 80

_CODES = {"notice": "\x1b[33m", "high": "\x1b[1;31m", "flag": "\x1b[31m"}
_RESET = "\x1b[0m"


def colour_on(err: bool = False) -> bool:
    """Whether standard output (standard error if ``err``) gets colour."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stderr if err else sys.stdout
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def paint(text: str, tone: str, span: tuple[int, int] | None = None, on: bool = True) -> str:
    """``text`` with the part ``span`` covers (all of it when None) in the colour of
    ``tone`` (``notice``, ``high``, ``flag``); as it is when ``on`` is False or no tone."""
    code = _CODES.get(tone)
    if not on or code is None:
        return text
    start, end = span if span is not None else (0, len(text))
    return f"{text[:start]}{code}{text[start:end]}{_RESET}{text[end:]}"


def fit(text: str, width: int = WIDTH, indent: int | None = None) -> list[str]:
    """``text`` wrapped to ``width``; a continued line starts ``indent`` spaces in (by
    default two further than the first one). A word longer than the line stays whole (a
    path or a command)."""
    if len(text) <= width:
        return [text]
    lead = len(text) - len(text.lstrip(" "))
    return textwrap.wrap(
        text,
        width,
        subsequent_indent=" " * (lead + 2 if indent is None else indent),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [text]


def safety_lines(lines: Iterable[str]) -> "list[Line]":
    """The safety block's lines fitted to :data:`WIDTH`, the red flags (its ``RED FLAGS``
    heading and the flags listed under it) marked."""
    from planner.wording.log import Line

    marked = []
    for line in lines:
        flag = line.startswith("RED FLAGS") or line.lstrip().startswith("- ")
        marked += [Line(part, "flag" if flag else "") for part in fit(line)]
    return marked


def show(lines: "Iterable[Line | str]", err: bool = False) -> None:
    """Print ``lines`` (plain strings are wrapped to :data:`WIDTH`; view lines are laid
    out already), in colour when :func:`colour_on`, with every control character a line
    holds escaped first (names and notes come from files and the store)."""
    from planner.wording.log import Line

    lines = list(lines)
    if not lines:
        return
    on = colour_on(err)
    out = []
    for line in lines:
        if isinstance(line, Line):
            out.append(paint(escape_controls(line.text), line.tone, line.span, on))
        else:
            out += [escape_controls(part) for part in fit(line)]
    typer.echo("\n".join(out), err=err, color=on)
