"""The Python API: what ``import planner`` offers to people who script.

``planner/__init__.py`` re-exports these names lazily, so ``import planner`` costs almost
nothing and each name is loaded on first use, with what it needs. The functions are thin:
the work is done by the same use cases and exporters the command line calls, so a script
and ``planner generate`` give the same plan.

Every public function here has an example that runs in the test suite;
the examples use the names as a script would, from ``planner``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.exporters.formats import Format
    from planner.models.calendar import CalendarOptions
    from planner.models.log import LogEntry
    from planner.models.plan import Plan, PlanOptions
    from planner.service.revisions import Saved
    from planner.service.safety_hold import Guarded
    from planner.service.training import AdaptRun
    from planner.store.database import Store
    from planner.templates import LoadedProgram


def list_templates() -> list[str]:
    """The names of the shipped programs, sorted.

    >>> import planner
    >>> "hip-knee" in planner.list_templates()
    True
    """
    from planner.templates import program_slugs

    return program_slugs()


def load_template(name: str | Path, library: Path | None = None) -> LoadedProgram:
    """Read and validate a program: a shipped name (see :func:`list_templates`) or the
    path of your own ``.toml`` file, checked against the exercise library (the shipped one
    with your personal library, or the file ``library`` instead) plus the exercises the
    template adds (``exercise_files``, ``[[exercises]]``).

    Returns the program with the name it goes by (``slug``), its file (``path``) and the
    library it was checked against, its own exercises included (``library``).

    Raises:
        PlannerError: the template is unknown, malformed or names an unknown exercise.

    >>> import planner
    >>> template = planner.load_template("hip-knee")
    >>> template.slug, [phase.name for phase in template.program.phases]
    ('hip-knee', ['activation', 'strength', 'functional'])
    """
    from planner.templates import base_library, load_library, load_program

    return load_program(str(name), base_library() if library is None else load_library(library))


def read_plan(path: str | Path) -> Plan:
    """A plan from a JSON file, as written by ``planner generate --json`` or
    ``to_document(plan, "json")``.

    Raises:
        PlannerError: the file cannot be read or is not such a plan.

    >>> import datetime as dt, tempfile
    >>> from pathlib import Path
    >>> import planner
    >>> options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("tue", "thu", "sat"))
    >>> plan = planner.build_plan("runner-knee", options)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "plan.json"
    ...     _ = path.write_bytes(planner.to_document(plan, "json"))
    ...     planner.read_plan(path) == plan
    True
    """
    from planner.service.plan_files import read_plan as read

    return read(Path(path))


def to_ics(
    plan: Plan, calendar: CalendarOptions | None = None, *, stamp: dt.datetime | None = None
) -> bytes:
    """The plan as an ``.ics`` calendar: one event per session, as a first export
    (``SEQUENCE:0``). ``stamp`` is the ``DTSTAMP`` (default: now, in UTC); give a fixed
    one to get the same bytes from the same plan.

    >>> import datetime as dt
    >>> import planner
    >>> options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    >>> plan = planner.build_plan("hip-knee", options)
    >>> stamp = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    >>> data = planner.to_ics(plan, planner.CalendarOptions(remind=30), stamp=stamp)
    >>> data.splitlines()[0], data.count(b"BEGIN:VEVENT") == len(plan.sessions)
    (b'BEGIN:VCALENDAR', True)
    >>> b"DTSTAMP:20261201T000000Z" in data, b"BEGIN:VALARM" in data
    (True, True)
    """
    from planner.exporters.ics import plan_to_ics

    now = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return plan_to_ics(plan, now, calendar).data


def to_document(plan: Plan, fmt: Format = "html") -> bytes:
    """The plan as a document (UTF-8 bytes): ``"html"`` (one page to print, with charts),
    ``"md"``, ``"csv"``, ``"json"`` (read it back with :func:`read_plan`) or ``"ics"``.

    >>> import datetime as dt
    >>> import planner
    >>> options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    >>> plan = planner.build_plan("hip-knee", options)
    >>> planner.to_document(plan, "md").decode().splitlines()[0]
    '# Hip strength for knee pain (staged)'
    >>> planner.to_document(plan, "csv").decode("utf-8-sig").split(",")[:3]
    ['date', 'time', 'week']
    """
    if fmt == "ics":
        return to_ics(plan)
    from planner.exporters.formats import render_document

    return render_document(fmt, plan)


def open_store(path: str | Path | None = None) -> Store:
    """The plan store the command line uses (``PLANNER_DB`` or the user data folder), or
    the SQLite file ``path``; created if it does not exist. Close it with ``with``.

    The store holds the saved plans (``generate --name``), their revisions and the training
    log: ``store.list_plans()``, ``store.latest(name).plan``, ``store.entries(name)``.

    Raises:
        PlannerError: the file is damaged, from a newer planner or not a plan store.

    >>> import tempfile
    >>> from pathlib import Path
    >>> import planner
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with planner.open_store(Path(folder) / "plans.db") as store:
    ...         store.list_plans()
    []
    """
    from planner.service.stores import writable_store

    return writable_store(None if path is None else Path(path))


def save_plan(
    store: Store,
    name: str,
    template: str | Path,
    options: PlanOptions,
    calendar: CalendarOptions | None = None,
) -> Saved:
    """Build a plan from ``template`` for ``options`` and save it under a new ``name``, with
    a copy of the template (as ``planner generate ... --name`` does, without writing files).
    Returns the saved plan and its revision number.

    A new revision of a plan already saved keeps what is done and stays held while red
    flags stand: make it with ``planner generate ... --name``.

    Raises:
        PlannerError: ``name`` is taken, or the template or options are not usable.

    >>> import datetime as dt, tempfile
    >>> from pathlib import Path
    >>> import planner
    >>> options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with planner.open_store(Path(folder) / "plans.db") as store:
    ...         saved = planner.save_plan(store, "knee", "hip-knee", options)
    ...         again = store.latest("knee").plan == saved.plan
    >>> saved.revision, again
    (1, True)
    """
    from planner.errors import StoreError
    from planner.models.calendar import CalendarOptions
    from planner.plan.generate import generate
    from planner.service.revisions import save
    from planner.templates import load_snapshot

    if store.plan_id(name) is not None:
        raise StoreError(
            f"a plan named '{name}' is saved already; a new revision of it keeps what is done "
            f"and the safety hold: use 'planner generate ... --name {name}'"
        )
    snapshot = load_snapshot(str(template))
    plan = generate(snapshot.template, snapshot.program, snapshot.library.by_id(), options)
    return save(store, name, snapshot, plan, calendar or CalendarOptions())


def log_entries(
    store: Store,
    name: str,
    entries: list[LogEntry],
    today: dt.date | None = None,
    *,
    extra: bool = False,
) -> tuple[list[LogEntry | None], Guarded]:
    """Log what was done in sessions of the saved plan ``name``, as ``planner log`` does:
    one :class:`~planner.models.log.LogEntry` per exercise (``slot`` such as ``"W1S2"``,
    ``done`` = reps, steps or seconds per set, ``pain`` 0-10). Returns the entries they
    replace (None where new) and the safety state as of ``today`` (default: today); a red
    flag pauses the plan at once, as a new revision (``.revision``).

    Each entry is checked as ``planner log`` checks it: its session is on or before
    ``today``, the exercise is in that session, and it has no more sets than prescribed
    unless ``extra``. If one does not fit, nothing is logged.

    Raises:
        PlannerError: no plan is saved under ``name``, or an entry does not fit it.

    >>> import datetime as dt, tempfile
    >>> from pathlib import Path
    >>> import planner
    >>> options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    >>> entry = planner.LogEntry(slot="W1S1", exercise="clamshell", done=(15, 15), pain=7)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with planner.open_store(Path(folder) / "plans.db") as store:
    ...         _ = planner.save_plan(store, "knee", "hip-knee", options)
    ...         replaced, after = planner.log_entries(store, "knee", [entry], dt.date(2026, 12, 7))
    >>> replaced, after.state.paused, after.revision
    ([None], True, 2)
    >>> wrong = planner.LogEntry(slot="W9S9", exercise="clamshell", done=(15,), pain=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with planner.open_store(Path(folder) / "plans.db") as store:
    ...         _ = planner.save_plan(store, "knee", "hip-knee", options)
    ...         planner.log_entries(store, "knee", [wrong], dt.date(2026, 12, 7))
    Traceback (most recent call last):
    planner.errors.OptionError: --session: no session 'W9S9' in this plan; valid: ...
    """
    from planner.service.training import log_entries as log

    return log(store, name, entries, today or dt.date.today(), extra)


def adapt_plan(
    store: Store, name: str, today: dt.date | None = None, *, dry_run: bool = False
) -> AdaptRun:
    """Adjust the weeks ahead of the saved plan ``name`` to its training log as of
    ``today`` (default: today), as ``planner adapt`` does, and save the result as a new
    revision unless ``dry_run``. Returns what was decided (``.result.changes``, each with
    its rule) and the revision saved (``.revision``, None if nothing was saved).

    Raises:
        PlannerError: no plan is saved under ``name``.

    >>> import datetime as dt, tempfile
    >>> from pathlib import Path
    >>> import planner
    >>> options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    >>> hurt = planner.LogEntry(slot="W1S1", exercise="clamshell", done=(15, 15), pain=6)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with planner.open_store(Path(folder) / "plans.db") as store:
    ...         _ = planner.save_plan(store, "knee", "hip-knee", options)
    ...         _ = planner.log_entries(store, "knee", [hurt], dt.date(2026, 12, 7))
    ...         run = planner.adapt_plan(store, "knee", dt.date(2026, 12, 8))
    >>> run.revision, run.result.changes[0].slot
    (2, 'W2S1')
    >>> run.result.changes[0].lines[0]
    'Clamshell: 3 x 15 per side -> 1 x 15 per side  [pain above 5/10 during: step back]'
    """
    from planner.service.training import adapt_plan as adapt

    return adapt(store, name, today or dt.date.today(), dry_run)
