"""Printable and machine-readable exports (html, md, csv, json) of a plan and its log."""

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.exporters.formats import Format, render_document
from planner.exporters.record import NO_RECORD, Record
from planner.fileio import store_files, write_atomic
from planner.models.plan import Plan
from planner.service.plan_files import is_plan_file, read_plan

if TYPE_CHECKING:
    from planner.service.safety_hold import Guarded


def write_document(out: Path, fmt: Format, plan: Plan, record: Record = NO_RECORD) -> None:
    """Render ``plan`` (with ``record``) as ``fmt`` and write it to ``out`` atomically."""
    write_atomic(out, render_document(fmt, plan, record))


def kept_files(
    db: Path | None, template: str | None = None, source: str | None = None
) -> dict[Path, str]:
    """Files no output of a command may replace, and what each is: the plan store at
    ``db`` (or where it is looked for) with its journal files, the template a plan is built
    from, the plan file an export reads."""
    from planner.errors import PlannerError, StoreError
    from planner.store.paths import resolve_path

    kept: dict[Path, str] = {}
    # A store path that cannot be resolved (PLANNER_DB=~nosuchuser/x.db) names no file an
    # output could replace; a command that needs the store reports it when it opens it.
    with contextlib.suppress(StoreError):
        kept = store_files(resolve_path(db)[0])
    if template is not None:
        from planner.templates import resolve_program_path

        # An unknown template is refused later, with its own message.
        with contextlib.suppress(PlannerError, OSError):
            kept[resolve_program_path(template)] = "the template this plan is built from"
    if source is not None and is_plan_file(source, db):
        kept[Path(source)] = "the plan file being exported"
    return kept


@dataclass(frozen=True, slots=True)
class Exported:
    """What a document export wrote: the plan, what it was, and the log it carried."""

    plan: Plan
    what: str
    record: Record
    guarded: "Guarded | None" = None


def export_document(
    source: str, out: Path, db: Path | None, fmt: Format, today: dt.date
) -> Exported:
    """Write the saved plan ``source`` (with its log and safety state as of ``today``), or
    a plan JSON file, as ``fmt`` to ``out``. A saved plan of that name wins over a file or
    folder called the same (see :func:`is_plan_file`)."""
    from planner.service import safety_hold
    from planner.service.stores import saved_store

    guarded = None
    if is_plan_file(source, db):
        plan, record, what = read_plan(Path(source)), NO_RECORD, source
    else:
        with saved_store(db, source) as store:
            # Held first, as for an .ics (a red flag may have come with time alone), and
            # saved as a revision where the store can be written.
            guarded = safety_hold.guard(store, source, today, save=store.read_only is None)
            revision = store.latest(source)
            plan = guarded.plan or revision.plan
            record = Record(
                entries=[item.entry for item in store.entries(source)],
                checkins=store.checkins(source),
                clearances=store.clearances(source),
                state=guarded.state,
                name=source,
                revision=revision.number,
                as_of=today,
            )
        what = f"'{source}' revision {revision.number}"
        if plan != revision.plan:
            what += " held for the red flags that stand (not saved: the store is read-only)"
    write_document(out, fmt, plan, record)
    return Exported(plan, what, record, guarded)
