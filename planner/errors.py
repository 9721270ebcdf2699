"""One exception hierarchy for every failure a user can fix.

The CLI catches :class:`PlannerError` once, prints ``error: <message>`` and exits 1.
Anything else is a bug and keeps its traceback. The helpers at the end make any message
(or value shown in one) safe to print on one line.
"""

import re


class PlannerError(Exception):
    """A problem the user can fix; the message says what, where and how."""


class TemplateError(PlannerError):
    """A template or exercise library file is missing, malformed or inconsistent."""


class OptionError(PlannerError):
    """A command-line option has a value the planner cannot use."""


class ScheduleError(PlannerError):
    """The requested days and dates cannot hold the plan's sessions."""


class OutputError(PlannerError):
    """An output file cannot be written where the user asked."""


class PlanFileError(PlannerError):
    """A saved plan file cannot be read back."""


class StoreError(PlannerError):
    """The plan store cannot be opened or does not hold what was asked for."""


class PublishError(PlannerError):
    """A CalDAV server cannot be reached or refused what was sent."""


# Characters that change what a terminal shows or where a line ends: C0 controls, DEL, C1
# controls and the Unicode line and paragraph separators. One-line messages escape all of
# them, tab too; what the person types may hold a tab (it only moves along the line).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# How much of a value an error line shows, and the most any line of ours may hold.
VALUE_CHARS = 80
LINE_CHARS = 500
# A quoted value inside a message: a run between single quotes.
_QUOTED = re.compile(f"'([^']{{{VALUE_CHARS + 1},}})'")


def _escaped(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``), so
    it prints on one line and cannot steer a terminal."""
    return _CONTROL.sub(lambda m: _escaped(m[0]), text)


def control_char(text: str, allow: str = "\t") -> str | None:
    """The first control character in ``text`` that is not in ``allow``, escaped, or None.

    Text on one line allows only tab; a multi-line text (a template's summary, say) may
    also allow a newline (``allow="\\t\\n"``).
    """
    for found in _CONTROL.finditer(text):
        if found[0] not in allow:
            return _escaped(found[0])
    return None


def shown(value: str, limit: int = VALUE_CHARS) -> str:
    """A value the person gave, as a message shows it: escaped and at most ``limit``
    characters, the rest replaced by ``…``."""
    text = escape_controls(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(message: str, limit: int = LINE_CHARS) -> str:
    """A message as one terminal line: control characters escaped and at most ``limit``
    characters. Too long a line first has its long quoted values shortened, so what to do
    (which comes after the value) is kept; only then is the end cut."""
    text = escape_controls(message)
    if len(text) > limit:
        text = _QUOTED.sub(lambda m: f"'{shown(m[1])}'", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_text(text: str, option: str) -> str:
    """Return ``text``; refuse it (:class:`OptionError` naming ``option``) if it holds a
    control character, which would reach a file or a terminal as it is."""
    char = control_char(text)
    if char is not None:
        raise OptionError(
            f"{option}: the value holds a control character ({char}); give plain text on one line"
        )
    return text
