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


def choose_format(given: str | None, out: Path) -> Format:
    """``--format`` if given, else the one ``--out``'s suffix names, else ics (as before
    there was a choice)."""
    if given is None:
        return _SUFFIXES.get(out.suffix.lower(), "ics")
    wanted = given.strip().lower()
    for fmt in FORMATS:
        if fmt == wanted:
            return fmt
    raise OptionError(f"--format: '{given}' is not one of {', '.join(FORMATS)}")


def suffix_mismatch(fmt: Format, out: Path) -> str | None:
    """A warning when ``out`` has another format's suffix (``--format html --out a.csv``)."""
    named = _SUFFIXES.get(out.suffix.lower())
    if named is None or named == fmt:
        return None
    return f"writing {fmt} to {out}, whose name says {named}"


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
        # The plan model itself: 'planner schema --kind plan' prints its JSON Schema, and
        # 'planner show FILE' reads it back.
        state = record.state
        carried = plan if state is None else plan.model_copy(update={"safety": state})
        return (carried.model_dump_json(indent=2) + "\n").encode()
    raise ValueError(f"{fmt} is not a document format")  # ics goes through planner.service.calendar
