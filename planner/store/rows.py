"""Reading rows back from the plan store, trusting none of them.

A structurally sound SQLite file can still hold rows that are not what planner wrote:
edited by hand, by another tool or by a disk that flipped a few bits. Every value read goes
through one of these checks, so a bad row becomes one :class:`~planner.errors.StoreError`
naming the file, the table and the plan instead of a crash deep inside a command.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_LONGEST = 80  # characters of a bad value or detail shown in the one-line error


class Undecodable(str):
    """Text SQLite holds that is not valid UTF-8, kept (with replacement characters) so
    the row it is in can be named before it is refused."""

    __slots__ = ()


def text_factory(data: bytes) -> str:
    """Decode a TEXT value; bytes that are not UTF-8 become :class:`Undecodable`.

    The default factory raises mid-fetch, which loses which row was bad and prints the
    raw value in a multi-line message.
    """
    try:
        return data.decode()
    except UnicodeDecodeError:
        return Undecodable(data.decode(errors="replace"))


class RowError(ValueError):
    """One value of a row is not what planner writes there."""


def _kind(value: object) -> str:
    return "no value" if value is None else type(value).__name__


def text(value: object, column: str) -> str:
    """``value`` as text, or :class:`RowError` if it is not valid UTF-8 text."""
    if isinstance(value, Undecodable):
        raise RowError(f"{column} holds bytes that are not UTF-8 text")
    if not isinstance(value, str):
        raise RowError(f"{column} holds {_kind(value)} where text belongs")
    return value


def optional_text(value: object, column: str) -> str | None:
    """Like :func:`text`, but NULL is allowed."""
    return None if value is None else text(value, column)


def integer(value: object, column: str) -> int:
    """``value`` as an integer, or :class:`RowError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowError(f"{column} holds {_kind(value)} where a number belongs")
    return value


def stamp(value: object, column: str) -> dt.datetime:
    """A time planner wrote (ISO 8601 with its UTC offset), or :class:`RowError`."""
    try:
        found = dt.datetime.fromisoformat(text(value, column))
    except ValueError:
        raise RowError(f"{column} is not a time ({clip(str(value))})") from None
    if found.tzinfo is None:  # compared with aware times later: a naive one would crash
        raise RowError(f"{column} is a time without its UTC offset ({clip(str(value))})")
    return found


def day(value: object, column: str) -> dt.date:
    """A date (``YYYY-MM-DD``), or :class:`RowError`."""
    try:
        return dt.date.fromisoformat(text(value, column))
    except ValueError:
        raise RowError(f"{column} is not a date ({clip(str(value))})") from None


def model(parse: Callable[[str], T], value: object, column: str) -> T:
    """``value`` parsed by ``parse`` (a pydantic ``model_validate_json``), or
    :class:`RowError` saying what in it is wrong, without echoing it."""
    from pydantic import ValidationError

    raw = text(value, column)
    try:
        return parse(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = "".join(
            f" {part}" if isinstance(part, str) else f"[{part}]" for part in first["loc"]
        )
        raise RowError(f"{column}{where}: {clip(first['msg'])}") from None
    except ValueError as exc:
        raise RowError(f"{column}: {clip(str(exc))}") from None


def clip(detail: str) -> str:
    """``detail`` on one line, escaped and shortened, for an error message."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in detail)
    return shown if len(shown) <= _LONGEST else shown[: _LONGEST - 1] + "…"


def damaged_row(path: Path, what: str, plan: str | None, exc: Exception) -> str:
    """Message for a row that cannot be read back, e.g. ``revision 3`` of plan ``knee``."""
    owner = f" of plan '{clip(plan)}'" if plan is not None else ""
    return f"the store {path} has a damaged {what}{owner}: {exc}; restore a backup of it"
