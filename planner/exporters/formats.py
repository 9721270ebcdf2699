"""Which export format a command asked for, and the documents that need no calendar state.

``ics`` stays with :mod:`planner.service.calendar` because it versions events against
earlier exports; the other formats are plain renderings of one plan (and its log), so they
live here. Each renderer is imported only when used, so exporting one format never loads
the others.
"""

from pathlib import Path
from typing import Literal, get_args

from planner.errors import OptionError
from planner.exporters.record import NO_RECORD, Record
from planner.models.plan import Plan

Format = Literal["ics", "html", "md", "csv", "json"]
FORMATS: tuple[Format, ...] = get_args(Format)

_SUFFIXES: dict[str, Format] = {
    ".ics": "ics",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
}


STDOUT = "-"
"""``--out -``: standard output, whose format comes from ``--format`` (default ics)."""


def choose_format(given: str | None, out: Path) -> Format:
    """``--format`` if given, else the one ``--out``'s suffix names (ics for ``--out -``).

    Raises:
        OptionError: ``--format`` names no format, or it is left out and ``--out``'s
            suffix names none either (``plan.pdf``): nothing is guessed.
    """
    if given is None:
        if str(out) == STDOUT:
            return "ics"
        named = _SUFFIXES.get(out.suffix.lower())
        if named is None:
            raise OptionError(f"--out: {unknown_suffix(out)}; or give --format {'|'.join(FORMATS)}")
        return named
    wanted = given.strip().lower()
    for fmt in FORMATS:
        if fmt == wanted:
            return fmt
    raise OptionError(f"--format: '{given}' is not one of {', '.join(FORMATS)}")


def known_suffixes() -> str:
    """The suffixes that name a format, as a message lists them."""
    return ", ".join(_SUFFIXES)


def unknown_suffix(out: Path) -> str:
    """Why ``out`` names no format, with the names that do."""
    what = f"the suffix '{out.suffix}'" if out.suffix else "no suffix"
    return (
        f"{out} has {what}, which names no export format; end the name in one of {known_suffixes()}"
    )


def check_generated_name(out: Path, option: str, fmt: Format) -> None:
    """Refuse a file of ``generate`` (``--out`` is ics, ``--json`` json) whose name says it
    is something else, as ``export`` refuses a suffix that names no format.

    Raises:
        OptionError: ``out`` is not ``-`` and its suffix does not name ``fmt``.
    """
    if str(out) == STDOUT or _SUFFIXES.get(out.suffix.lower()) == fmt:
        return
    said = f"the suffix '{out.suffix}'" if out.suffix else "no suffix"
    raise OptionError(
        f"{option}: generate writes {fmt} there, but {out} has {said}; end the name in "
        f".{fmt} (other formats: 'planner export NAME --format FORMAT --out FILE')"
    )


def suffix_mismatch(fmt: Format, out: Path) -> str | None:
    """A warning when ``out`` has another format's suffix (``--format html --out a.csv``)."""
    named = _SUFFIXES.get(out.suffix.lower())
    if named is None or named == fmt:
        return None
    return f"writing {fmt} to {out}, whose name says {named}"


def render_json(plan: Plan, record: Record = NO_RECORD) -> bytes:
    """``plan`` as JSON: for a saved plan (``record.name`` set) the export envelope with its
    log and check-ins (:class:`planner.models.export.PlanExport`, ``planner schema --kind
    export``); for a plan without a log the bare plan, as ``generate --json`` writes it.
    ``planner show FILE`` and ``planner export FILE`` read both."""
    state = record.state
    carried = plan if state is None else plan.model_copy(update={"safety": state})
    if record.name is None:
        return (carried.model_dump_json(indent=2) + "\n").encode()
    from planner.models.export import PlanExport

    envelope = PlanExport(
        name=record.name,
        revision=record.revision,
        exported_on=record.as_of,
        plan=carried,
        log=tuple(record.entries),
        checkins=tuple(record.checkins),
        clearances=tuple(record.clearances),
    )
    return (envelope.model_dump_json(indent=2) + "\n").encode()


def render_document(fmt: Format, plan: Plan, record: Record = NO_RECORD) -> bytes:
    """``plan`` as an html, md, csv or json document (UTF-8 bytes), with what ``record``
    says was logged (see :class:`planner.exporters.record.Record`)."""
    if fmt == "html":
        from planner.exporters.html import render_html

        return render_html(plan, record).encode()
    if fmt == "md":
        from planner.exporters.markdown import render_markdown

        return render_markdown(plan, record).encode()
    if fmt == "csv":
        from planner.exporters.spreadsheet import render_csv

        return render_csv(plan, record).encode()
    if fmt == "json":
        return render_json(plan, record)
    raise ValueError(f"{fmt} is not a document format")  # ics goes through planner.service.calendar
