"""Plans end to end: build one from a template, save it as a revision and write its files;
read a plan back from a JSON file or the store.

Every check that can refuse the command runs before anything is saved or written.
"""

import contextlib
import datetime as dt
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import OptionError
from planner.models.adapt import Adjustment
from planner.models.calendar import CalendarOptions
from planner.models.exercise import ExerciseLibrary
from planner.models.plan import Plan, PlanOptions
from planner.models.safety import SafetyReport
from planner.models.snapshot import TemplateSnapshot
from planner.plan.kept_options import check_timing, keep_saved, kept_calendar, minutes_text
from planner.service.plan_defaults import past_start, with_defaults, with_holidays

if TYPE_CHECKING:
    from planner.exporters.ics import IcsResult
    from planner.fileio import Staged
    from planner.store.database import Revision, Store


def build_plan(
    template: str,
    options: PlanOptions,
    adjustments: tuple[Adjustment, ...] = (),
    library: ExerciseLibrary | None = None,
) -> Plan:
    """The plan ``template`` (a shipped slug or a .toml file) gives for ``options``, with
    ``library`` (by default the shipped one and your personal library) and the exercises
    the template adds.

    >>> import datetime as dt
    >>> from planner.models.plan import PlanOptions
    >>> options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    >>> plan = build_plan("hip-knee", options)
    >>> plan.sessions[0].slot, plan.sessions[0].date.isoformat()
    ('W1S1', '2026-12-07')
    """
    from planner.plan.generate import generate
    from planner.templates import base_library, load_program

    loaded = load_program(template, library or base_library())
    return generate(loaded.slug, loaded.program, loaded.library.by_id(), options, adjustments)


@dataclass(frozen=True, slots=True)
class Generated:
    """What ``generate`` did: the plan, its calendar, and the lines it reports."""

    plan: Plan
    ics: "IcsResult"
    kept: str
    saved: str
    safety: SafetyReport | None
    warnings: tuple[str, ...] = ()
    # The defaults generate chose for the person (start, days), in one line; empty if none.
    chose: str = ""


def generate_files(
    template: str,
    options: PlanOptions,
    calendar: CalendarOptions,
    given: Set[str],
    stamp: dt.datetime,
    today: dt.date,
    out: Path | None,
    json_out: Path | None = None,
    name: str | None = None,
    db: Path | None = None,
    personal: Set[str] = frozenset(),
    update_template: bool = False,
    defaulted: Set[str] = frozenset(),
) -> tuple[Generated, Path]:
    """Build a plan, save it as a revision of ``name`` (if given) and write its calendar to
    ``out`` (default ``<name or template>.ics``) and, if asked, its JSON. With a ``name``,
    the plan is saved in the store at ``db`` (created if need be, once every check has
    passed).

    ``given`` names the calendar options the person gave, ``personal`` the personal plan
    options: for a saved plan the others keep their saved values, and what adapt decided
    carries over. While red flags stand, the new revision is held.

    A saved plan given the template it was built from keeps the copy of it saved with the
    plan, unless ``update_template`` asks for the template as it is now.

    ``defaulted`` names what the person left out of ``start`` and ``days``: a new plan
    takes the defaults (:mod:`planner.service.plan_defaults`), a new revision of a saved
    plan needs both. With ``--holidays`` the region's holidays are looked up for the years
    the plan spans (:mod:`planner.holiday_dates`).

    Raises:
        OptionError: ``update_template`` without a saved plan ``name`` to update; start or
            days left out for a saved plan; an unknown holiday region.
    """
    from planner.fileio import Staged, safe_file_name
    from planner.plan.generate import generate
    from planner.service.documents import kept_files
    from planner.service.snapshots import choose_template

    if update_template and name is None:
        raise OptionError(
            "--update-template needs --name: it updates the template a saved plan keeps"
        )
    # Only a named plan needs the store (and SQLite): a plain generate never loads it.
    if name is not None:
        from planner.service.stores import store_at, writable_store

        # The name may come from the person (--name ../x): the default file stays here.
        out = out or Path(f"{safe_file_name(name)}.ics")
        # Every output is checked before the store is opened: opening it may upgrade an
        # older store, and a refused command changes nothing.
        _check_outputs(out, json_out, kept_files(db, template=template))
    with contextlib.ExitStack() as stack:
        store = store_at(db, create=False) if name is not None else None
        if store is not None:
            stack.enter_context(store)
        previous = None
        if store is not None and name is not None and store.plan_id(name) is not None:
            previous = store.latest(name)
        if update_template and previous is None:
            raise OptionError(
                f"--update-template: no saved plan named '{name}' to update; "
                "drop --update-template to save a new plan"
            )
        chosen = choose_template(store, template, previous, update_template)
        snapshot = chosen.snapshot
        if name is None:  # no store: the default file is named after the template
            out = out or Path(f"{safe_file_name(snapshot.template)}.ics")
            _check_outputs(out, json_out, kept_files(db, template=template))
        assert out is not None
        # Before the store is created: a refused command saves nothing.
        options, kept, adjustments, chose = _options_for(
            previous, options, defaulted, snapshot, personal, chosen.note, set(given), name
        )
        saved_utc = previous is not None and previous.calendar.utc and "utc" not in given
        if options.time is None and saved_utc:
            # An all-day plan has no times to write in UTC: a saved --utc goes with the
            # time (kept, every later export of the plan would be refused).
            calendar, given = calendar.model_copy(update={"utc": False}), {*given, "utc"}
        if calendar.utc and options.time is None:
            raise OptionError(
                "--utc only applies to timed sessions; add --time HH:MM and --tz, or drop --utc"
            )
        if name is not None and store is None:
            store = stack.enter_context(writable_store(db))
        library = snapshot.library.by_id()
        plan = generate(snapshot.template, snapshot.program, library, options, adjustments)
        saved_note = ""
        safety: SafetyReport | None = None
        staged = stack.enter_context(Staged())
        if store is not None and name is not None:
            plan, ics, saved_note, safety = _save_named(
                store, name, snapshot, plan, calendar, given, stamp, today, out, json_out, staged
            )
        else:
            from planner.exporters.ics import plan_to_ics

            plan = _calendar_owned(plan, calendar)
            ics = plan_to_ics(plan, stamp, calendar)
            staged.write(out, ics.data)
            _stage_json(staged, json_out, plan, None)
            staged.commit()
    warnings = (*_alarm_moved(previous, options, given), *past_start(plan, previous, today, name))
    return Generated(plan, ics, kept, saved_note, safety, warnings, chose), out


def _alarm_moved(
    previous: "Revision | None", options: PlanOptions, given: Set[str]
) -> tuple[str, ...]:
    """A warning when a kept reminder now fires at another hour: a timed plan made all-day
    (or the other way round) counts its reminder back from another moment."""
    if previous is None or "remind" in given or previous.calendar.remind is None:
        return ()
    before, after = previous.plan.options.time, options.time
    if (before is None) == (after is None):
        return ()
    minutes = previous.calendar.remind
    remind = minutes_text(minutes)
    anchor = dt.datetime.combine(dt.date(2000, 1, 10), after or dt.time(0, 0))
    fires = anchor - dt.timedelta(minutes=minutes)
    days = (anchor.date() - fires.date()).days
    when = f"{fires:%H:%M}" + (
        "" if days == 0 else " the day before" if days == 1 else f" {days} days before"
    )
    if after is None:
        return (
            f"the kept reminder (--remind {remind}) now counts back from midnight, as for "
            f"every all-day session: it fires at {when}; give e.g. --remind 15h for 09:00 "
            "the day before, or --remind none",
        )
    return (
        f"the kept reminder (--remind {remind}) now counts back from {after:%H:%M}: it "
        f"fires at {when}; give e.g. --remind 30m, or --remind none",
    )


def _calendar_owned(plan: Plan, calendar: CalendarOptions) -> Plan:
    """An unsaved plan's id: with a calendar name, made from it too, so two files for two
    people (``--calendar-name Anna``, ``--calendar-name Ben``) imported into one calendar
    keep apart; without one, the id of template and start alone, as before. Either way the
    same command gives the same UIDs again, so importing its file again updates the events
    it made (a random part would duplicate them)."""
    if calendar.name is None:
        return plan
    from planner.plan.generate import plan_id

    owned = plan_id(plan.template, plan.options, f"calendar:{calendar.name}")
    return plan.model_copy(update={"id": owned})


def _options_for(
    previous: "Revision | None",
    options: PlanOptions,
    defaulted: Set[str],
    snapshot: TemplateSnapshot,
    personal: Set[str],
    note: str,
    given: set[str],
    name: str | None,
) -> tuple[PlanOptions, str, tuple[Adjustment, ...], str]:
    """The options the plan is built with: defaults filled in, the saved plan's kept ones,
    timing checked and holidays looked up; with the "kept" line, what adapt decided and
    the line saying which defaults were chosen."""
    options, chose = with_defaults(options, defaulted, snapshot.program, previous, name)
    options, kept, adjustments = _carried_over(previous, options, personal, note, given)
    check_timing(options)
    return with_holidays(options, snapshot, adjustments), kept, adjustments, chose


def _carried_over(
    previous: "Revision | None",
    options: PlanOptions,
    personal: Set[str],
    note: str,
    given: set[str],
) -> tuple[PlanOptions, str, tuple[Adjustment, ...]]:
    """What a new revision keeps from the saved plan: the personal, schedule and calendar
    options left out (``given`` names the calendar options the command gave), and what
    adapt decided; with the line that says so (``note`` about the template appended)."""
    kept = ""
    adjustments: tuple[Adjustment, ...] = ()
    if previous is not None:
        options, kept = keep_saved(options, set(personal), previous.plan.options)
        # --utc is not kept for an all-day plan (see generate_files), so not said as kept.
        shown = given | {"utc"} if options.time is None else given
        calendar = kept_calendar(previous.calendar, shown)
        if calendar:
            kept = f"{kept}; {calendar}" if kept else f"kept from the saved plan: {calendar}"
        adjustments = previous.plan.adjustments
        if adjustments:
            carried = f"kept {len(adjustments)} adjustment(s) from 'planner adapt'"
            kept = f"{kept}; {carried}" if kept else carried
    if note:
        kept = f"{kept}; {note}" if kept else note
    return options, kept, adjustments


def _check_outputs(out: Path, json_out: Path | None, kept: dict[Path, str]) -> None:
    """Refuse output paths that cannot be written, before anything is saved."""
    from planner.fileio import check_writable, is_stdout

    check_writable(out, "--out", kept)
    if json_out is not None:
        check_writable(json_out, "--json", kept)
        same = is_stdout(out) and is_stdout(json_out)
        if same or (not is_stdout(out) and json_out.resolve() == out.resolve()):
            raise OptionError("--json and --out name the same file; give two different paths")
    from planner.exporters.formats import check_generated_name

    check_generated_name(out, "--out", "ics")
    if json_out is not None:
        check_generated_name(json_out, "--json", "json")


def _stage_json(
    staged: "Staged", json_out: Path | None, plan: Plan, safety: SafetyReport | None
) -> None:
    """Stage the plan as JSON, with its safety state when it is a saved plan."""
    if json_out is None:
        return
    from planner.exporters.formats import render_document
    from planner.exporters.record import NO_RECORD, Record

    record = NO_RECORD if safety is None else Record(state=safety)
    staged.write(json_out, render_document("json", plan, record))


def _save_named(
    store: "Store",
    name: str,
    snapshot: TemplateSnapshot,
    plan: Plan,
    calendar: CalendarOptions,
    given: Set[str],
    stamp: dt.datetime,
    today: dt.date,
    out: Path,
    json_out: Path | None,
    staged: "Staged",
) -> "tuple[Plan, IcsResult, str, SafetyReport | None]":
    """Save ``plan`` (built from ``snapshot``) as a revision of ``name``, held while red
    flags stand in its log, and write its files; returns what the command reports.

    Every file is rendered and staged (to temporary files) before the store changes; the
    revision and its export memory are saved in one transaction; only then are the files
    renamed into place. A full disk or a crash leaves the old files and the old store, or
    the new store with the old files (and a message saying how to write them), never new
    files for a plan that was not saved, nor a revision without its export memory.
    """
    from planner.service import calendar as calendars
    from planner.service import safety_hold
    from planner.service.revisions import pending, save_pending

    safety = None
    if store.plan_id(name) is not None:
        # A new revision keeps what is done, and never moves on past red flags that
        # stand in the log.
        log = safety_hold.diary(store, name)
        plan = safety_hold.carried(store, name, plan, today, log)
        plan = safety_hold.held(store, name, snapshot, plan, today, log)
        safety = log.state(plan, today)
    ready = pending(store, name, snapshot, plan, calendar, given)
    events, versions = calendars.lay_out(store, name, ready.plan, ready.calendar, stamp)
    ics = calendars.stage_ics(events, versions, staged, out)
    _stage_json(staged, json_out, ready.plan, safety)
    # One transaction: a revision saved without its export memory would number the
    # next export's events as if these files had never been written.
    with store.batch():
        result = save_pending(store, name, snapshot, ready)
        store.record_export(name, versions.touched_states)
    # Only now do the files change: a failed rename leaves the saved plan and this line.
    staged.commit(
        f"the plan is saved as '{name}' (revision {result.revision}); write its files "
        f"with 'planner export {name} --out FILE'"
    )
    state = "saved as" if result.new else "no change to"
    note = (
        f"{state} '{name}' (revision {result.revision}) in {store.path} "
        f"(events: {versions.summary()})"
    )
    return result.plan, ics, note, safety
