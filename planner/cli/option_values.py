"""Reading a command's option and argument values without a pydantic adapter apiece.

Typer (0.29) turns every parameter's value into its Python type through a pydantic
``TypeAdapter`` that it builds on first use, for every parameter of the command that runs,
given or not: for ``generate`` that is 25 adapters and the import of pydantic's schema
machinery, about a tenth of the command's time, to copy a string. The planner's options are
plain (a text, a path, a flag, or a text run through one of our own ``parser=`` functions,
numbers included), so the command reads those itself, from its own declarations (the
function's ``Annotated`` types and the :func:`typer.Option` / :func:`typer.Argument` they
carry), and hands anything else back to Typer: a choice, a bare number, a path with
checks, and every value the quick reading does not accept. Errors therefore stay Typer's
own, word for word.

Only public surfaces are used: the command function's signature, the parameter objects Typer
passes to click (``typer.core.TyperOption`` / ``TyperArgument``) and click's documented
``Parameter.process_value``.
"""

import inspect
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from typer.models import ParameterInfo

Reader = Callable[[Any], Any]

# A path option with any of these set is checked by Typer (exists, is a file...).
_PATH_CHECKS = {
    "exists": False,
    "file_okay": True,
    "dir_okay": True,
    "writable": False,
    "readable": True,
    "resolve_path": False,
    "allow_dash": False,
    "path_type": None,
}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _path(value: Any) -> Path:
    # Typer refuses an existing path it cannot read ("is not readable"): let it say so.
    text = _text(value)
    if "\0" in text:  # no system takes it; Typer says so
        raise ValueError(text)
    path = Path(text)
    if os.path.exists(path) and not os.access(path, os.R_OK):
        raise PermissionError(path)
    return path


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _leaf_reader(kind: Any, info: ParameterInfo) -> Reader | None:
    """How one value of type ``kind`` is read, or None when Typer must read it."""
    if info.parser is not None:
        parser = info.parser
        return lambda value: parser(_text(value))
    if kind is str:
        return _text
    if kind is bool:
        return _flag
    if kind is Path and all(getattr(info, k) == v for k, v in _PATH_CHECKS.items()):
        return _path
    return None


def _without_none(annotation: Any) -> Any:
    """``X`` for ``X | None``; the annotation as it is otherwise."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not NoneType]
        return args[0] if len(args) == 1 else annotation
    return annotation


def reader_for(annotation: Any, info: ParameterInfo, multiple: bool) -> Reader | None:
    """How a parameter declared as ``annotation`` (the type inside ``Annotated``, with its
    ``info``) is read from what click parsed, as Typer would read it; None: leave it to Typer.

    A value click found nothing for (None) is None, or ``()`` for a repeatable option, as
    Typer makes it; a repeatable option's values come back as a list.
    """
    kind = _without_none(annotation)
    if get_origin(kind) is list:
        if not multiple:
            return None
        (item,) = get_args(kind)
        one = _leaf_reader(item, info)
        if one is None:
            return None

        def many(value: Any) -> Any:
            if value is None:
                return ()
            if isinstance(value, str) or not isinstance(value, list | tuple):
                raise TypeError(value)
            return [one(item) for item in value]

        return many
    if multiple:
        return None
    leaf = _leaf_reader(kind, info)
    if leaf is None:
        return None
    return lambda value: None if value is None else leaf(value)


@cache
def _declared(function: Callable[..., Any]) -> dict[str, tuple[Any, ParameterInfo]]:
    """Each parameter of a command function: its type and its Typer declaration."""
    found = {}
    for name, parameter in inspect.signature(function).parameters.items():
        annotation = parameter.annotation
        if get_origin(annotation) is not Annotated:
            continue
        kind, *extras = get_args(annotation)
        infos = [extra for extra in extras if isinstance(extra, ParameterInfo)]
        if len(infos) == 1:
            found[name] = (kind, infos[0])
    return found


def _process_value(base: type[Any]) -> Callable[[Any, Any, Any], Any]:
    """``process_value`` for a direct subclass of ``base``, a Typer parameter class: the
    value is read by the parameter's ``_planner_read``, and by Typer (``base``) whenever that
    does not accept it (or the value is missing), so every message stays Typer's and click's
    own."""

    def process_value(self: Any, ctx: Any, value: Any) -> Any:
        def typers_own(ctx: Any, value: Any) -> Any:
            return base.process_value(self, ctx, value)

        try:
            read = self._planner_read(value)
        # A value the quick reading refuses is read again by Typer, which says what is wrong
        # in its own words: a parser= then runs twice, so parsers must stay free of side
        # effects (they are: each only parses and checks).
        except Exception:
            return typers_own(ctx, value)
        if self.required and self.value_is_missing(read):
            return typers_own(ctx, value)
        return read if self.callback is None else self.callback(ctx, self, read)

    return process_value


_QUICK: dict[type, type] = {}


def _quick_class(base: type) -> type:
    """A subclass of ``base`` that only adds the quick reading: everything else (help,
    completion, defaults) stays Typer's. A direct subclass, so an object of ``base`` can
    take it as its class."""
    if base not in _QUICK:
        quick = type(f"Quick{base.__name__}", (base,), {})
        quick.process_value = _process_value(base)  # type: ignore[attr-defined]
        _QUICK[base] = quick
    return _QUICK[base]


def _absent(multiple: bool) -> Reader:
    """Any parameter's reading of a value not given: None (``()`` if repeatable), whatever
    its type, as Typer makes it before it would look at the type."""

    def absent(value: Any) -> Any:
        if value is not None:
            raise TypeError(value)
        return () if multiple else None

    return absent


def read_quickly(param: Any, reader: Reader | None = None) -> Any:
    """``param`` (a Typer parameter) reading its values with ``reader``, or only a value not
    given when there is none; returns it."""
    if type(param) not in _QUICK.values():
        multiple = bool(param.multiple or param.nargs == -1)
        param.__class__ = _quick_class(type(param))
        param._planner_read = reader or _absent(multiple)
    return param


def read_values_quickly(command: Any) -> None:
    """Let each parameter of ``command`` (a click command or group Typer built from a
    planner function) read its own value where it can; run just before it parses a line.

    A plain parameter reads every value it is given; any other (one that Typer added, such
    as --install-completion, or one Typer must check) reads only a value not given. (The
    --help option is made apart, each time it is asked for: see :func:`read_quickly`.)
    """
    function = inspect.unwrap(command.callback) if command.callback else None
    declared = _declared(function) if function is not None else {}
    for param in command.params:
        multiple = bool(param.multiple or param.nargs == -1)
        reader = reader_for(*declared[param.name], multiple) if param.name in declared else None
        read_quickly(param, reader)
