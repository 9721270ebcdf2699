"""Commands for the training loop: log, checkin, history, progress and adapt.

Composed into the root app by :mod:`planner.cli.app`; imports only Typer and the standard
library at start-up.
"""

from typing import TYPE_CHECKING, Annotated, NamedTuple, NoReturn

import typer

from planner.cli.arguments import DbOpt, NameArg, today
from planner.cli.console import command_group, fail, report_guard, say
from planner.errors import OptionError, one_line

if TYPE_CHECKING:
    from planner.models.log import LogEntry, Logged
    from planner.models.plan import Plan, Prescription, Session
    from planner.plan.diff import Change
    from planner.training.adapt import Adapted


app = command_group("The training loop.")

# The longest note a log entry keeps (a clearance's note has the same limit).
NOTE_CHARS = 500


def _entry_text(entry: "LogEntry") -> str:
    from planner.wording.log import done_text

    return f"{done_text(entry)}, pain {entry.pain}"


@app.command()
def log(
    name: NameArg,
    session: Annotated[
        str | None,
        typer.Option(help="Session slot like W3S2 [default: the latest on or before today]."),
    ] = None,
    all_done: Annotated[
        bool,
        typer.Option(
            "--all-done",
            help="Every exercise of the session done as prescribed (give --pain; odd ones "
            "out with --except).",
        ),
    ] = False,
    exceptions: Annotated[
        list[str] | None,
        typer.Option(
            "--except",
            metavar="ID=SETS",
            help="With --all-done: an exercise done otherwise, e.g. clamshell=12,12, "
            "hip-thrust=10,10@40kg, side-plank=20,20 pain=3, wall-sit=skip (repeatable).",
        ),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(help="Exercise id; leave out to be asked about each exercise in turn."),
    ] = None,
    reps: Annotated[
        str | None, typer.Option(help="Reps (or steps) per set, e.g. 15,15,12.")
    ] = None,
    hold: Annotated[str | None, typer.Option(help="Seconds held per set, e.g. 30,30.")] = None,
    load: Annotated[str | None, typer.Option(help="Load used, e.g. 20kg.")] = None,
    band: Annotated[str | None, typer.Option(help="Band colour used, e.g. red.")] = None,
    pain: Annotated[
        str | None,
        typer.Option(help="Pain during the exercise (the session, with --all-done), 0-10."),
    ] = None,
    rpe: Annotated[
        str | None, typer.Option(help="Effort, 0-10 (10 = could not do one more rep).")
    ] = None,
    note: Annotated[
        str | None, typer.Option(help="A note, e.g. 'felt it in the front of the hip'.")
    ] = None,
    extra: Annotated[
        bool, typer.Option("--extra", help="Allow more sets than prescribed.")
    ] = False,
    form_broke: Annotated[
        bool,
        typer.Option("--form-broke", help="The knee caved, the pelvis dropped or the back arched."),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Log what you did in a session: reps or holds per set, load or band, pain and effort.

    With neither --exercise nor --all-done you are asked about each exercise in turn.
    """
    from planner.service.stores import saved_store
    from planner.service.training import log_entries
    from planner.training import logbook

    # Checked before the store is opened or anything is asked: a bad --pain or --rpe would
    # otherwise fail every answer of the interactive log, which then asks again for ever.
    for value, option, whole in ((pain, "--pain", True), (rpe, "--rpe", False)):
        if value is not None:
            logbook.parse_scale(value, option, whole)
    if note is not None and len(note) > NOTE_CHARS:
        fail(f"--note: {len(note)} characters is too long; give {NOTE_CHARS} or fewer")
    _check_all_done(all_done, exceptions, exercise, (reps, hold, load, band), pain, form_broke)
    day_now = today()
    skipped: list[Prescription] = []
    kept: list[str] = []
    with saved_store(db, name) as store:
        plan = store.latest(name).plan
        found = logbook.find_session(plan, session, day_now)
        if all_done:
            assert pain is not None  # _check_all_done refuses --all-done without it
            entries, skipped = logbook.session_entries(
                plan, found, pain, rpe, note or "", tuple(exceptions or ()), extra
            )
            entries, kept = _keep_logged(store.entries(name), found.slot, entries, exceptions)
        elif exercise is None:
            if any(v is not None for v in (reps, hold, load, band)):
                fail(
                    "--reps/--hold/--load/--band need --exercise; or leave them all out to "
                    "be asked about each exercise"
                )
            entries, skipped = _ask(plan, found, _Given(pain, rpe, note, form_broke))
        else:
            if pain is None:
                fail("--pain: say how much it hurt during the exercise, 0-10 (0 = not at all)")
            rx = logbook.find_exercise(found, exercise)
            done = logbook.Done(reps=reps, hold=hold, load=load, band=band)
            entries = [
                logbook.build_entry(plan, found, rx, done, pain, rpe, note or "", extra, form_broke)
            ]
        replaced, guarded = log_entries(store, name, entries, day_now, extra)
    _logged(plan, found, name, entries, replaced, skipped)
    if all_done and kept:
        say(
            f"kept what you logged earlier in {found.slot} for {', '.join(kept)} (--all-done "
            "never overwrites it; name one in --except to change it)"
        )
    report_guard(guarded, name, _new_flags(plan, found, name, entries))
    if guarded.state.needs_clearance:
        say(
            "note: the plan asks you not to train until a doctor or physiotherapist has seen "
            "you about the red flags above; what you logged is kept",
            err=True,
        )


def _keep_logged(
    log: "list[Logged]", slot: str, entries: "list[LogEntry]", exceptions: list[str] | None
) -> "tuple[list[LogEntry], list[str]]":
    """The ``--all-done`` entries but for the exercises already logged in ``slot`` and not
    named in ``--except``, and those exercises: a pain logged earlier for one exercise
    must not be replaced by the session's (often lower) pain, which adapt would then read."""
    named = {text.partition("=")[0].strip().lower() for text in exceptions or ()}
    done = {item.entry.exercise for item in log if item.entry.slot == slot}
    keep = [e for e in entries if e.exercise in named or e.exercise not in done]
    return keep, [e.exercise for e in entries if e not in keep]


def _check_all_done(
    all_done: bool,
    exceptions: list[str] | None,
    exercise: str | None,
    dose: tuple[str | None, ...],
    pain: str | None,
    form_broke: bool,
) -> None:
    """Refuse ``--all-done`` beside the options of a one-exercise log, or without a pain;
    and ``--except`` without ``--all-done``."""
    if not all_done:
        if exceptions:
            raise OptionError(
                "--except: only with --all-done (the session as prescribed, but for these); "
                "for one exercise give --exercise with --reps or --hold"
            )
        return
    given = [
        option
        for option, value in zip(
            ("--exercise", "--reps", "--hold", "--load", "--band"), (exercise, *dose), strict=True
        )
        if value is not None
    ] + (["--form-broke"] if form_broke else [])
    if given:
        raise OptionError(
            f"{given[0]}: --all-done logs every exercise as prescribed; say what differed "
            f'with --except, e.g. --except "clamshell=12,12" or "clamshell=12,12 form-broke"'
        )
    if pain is None:
        raise OptionError(
            "--pain: --all-done needs the pain you felt during the session, 0-10 "
            "(0 = none); it is never assumed"
        )


def _logged(
    plan: "Plan",
    session: "Session",
    name: str,
    entries: "list[LogEntry]",
    replaced: "list[LogEntry | None]",
    skipped: "list[Prescription]",
) -> None:
    """Say what was logged (and what it replaced), then what was left out."""
    for entry, old in zip(entries, replaced, strict=True):
        line = f"logged {entry.slot} {entry.exercise}: {_entry_text(entry)}"
        if old is not None:
            line += f" (replaces the earlier entry: {_entry_text(old)}; see history --all)"
            if old.pain >= plan.rules.red_flag_pain:
                line += "; the red flag it reported still counts"
        say(line)
    for rx in skipped:
        say(
            f"skipped {session.slot} {rx.exercise}: not logged; log it later with 'planner "
            f"log {name} --session {session.slot} --exercise {rx.exercise} --pain N'"
        )


def _new_flags(plan: "Plan", session: "Session", name: str, entries: "list[LogEntry]") -> list[str]:
    """The red flags the entries report; a pain above the limit (not a red flag) is said
    here as a note."""
    from planner.training import logbook
    from planner.training.safety_state import entry_flag

    rules = plan.rules
    new = []
    over: dict[int, list[str]] = {}
    for entry in entries:
        rx = logbook.find_exercise(session, entry.exercise)
        flag = entry_flag(entry, session.date, rx.name, rules)
        if flag is not None:
            new.append(flag.text)
        elif entry.pain > rules.pain_max:
            over.setdefault(entry.pain, []).append(rx.name)
    # One note per pain, naming every exercise it was felt in (a whole session logged at
    # once would otherwise repeat it for each).
    for pain, names in over.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        say(
            f"note: pain {pain}/10 is above {rules.pain_max}: stop {listed} for today; run "
            f"'planner adapt {name}' before the next week starts and it makes "
            f"{'it' if len(names) == 1 else 'them'} a step easier",
            err=True,
        )
    return new


class _Given(NamedTuple):
    """What the command line already said for every exercise of an interactive log."""

    pain: str | None
    rpe: str | None
    note: str | None
    form_broke: bool


# Why an empty pain answer is asked again: Enter never stands for a number.
PAIN_NEEDED = (
    "  pain is needed to keep the plan safe: 0 = none ... 10 = the worst you can imagine; "
    "type a number (0 if it did not hurt)"
)


def _ask(
    plan: "Plan", session: "Session", given: _Given
) -> "tuple[list[LogEntry], list[Prescription]]":
    """Ask about each exercise of ``session``; Enter takes the prescription as done. Returns
    the entries and the exercises skipped; nothing is stored here."""
    from planner.wording.plan import dose_text

    say(
        f"{session.slot} on {session.date}: press Enter for 'done as prescribed', or type the "
        "reps/seconds per set (e.g. 12,12,10), optionally with a load or band (12,12 20kg); "
        "'skip' leaves an exercise out. Ctrl-C stops without saving anything."
    )
    entries = []
    skipped = []
    for rx in session.exercises:
        say(f"{rx.name} ({rx.exercise}): {dose_text(rx)}")
        entry = _ask_one(plan, session, rx, given)
        if entry is None:
            skipped.append(rx)
        else:
            entries.append(entry)
    if not entries:
        fail(f"nothing logged for {session.slot}: every exercise was skipped")
    return entries, skipped


def _ask_one(
    plan: "Plan", session: "Session", rx: "Prescription", given: _Given
) -> "LogEntry | None":
    """One exercise: what was done (asked again until it reads), the pain (never taken
    from an earlier answer), then effort, form and a note unless the options gave them."""
    from planner.training import logbook

    while True:
        text = _prompt("  done", ",".join(map(str, logbook.prescribed(rx))))
        if text.strip().lower() == "skip":
            return None
        try:
            done = logbook.answer(text, rx)
            logbook.build_entry(plan, session, rx, done, "0")
            break
        except OptionError as exc:
            say(f"  {one_line(str(exc))}; try again", err=True)
    while True:
        # Only a --pain the person gave is offered as the default, never an earlier answer.
        pain = _prompt("  pain during (0-10)", given.pain or "").strip()
        if not pain:
            say(PAIN_NEEDED, err=True)
            continue
        try:
            logbook.parse_scale(pain, "pain", whole=True)
            break
        except OptionError as exc:
            say(f"  {one_line(str(exc))}; try again", err=True)
    rpe = given.rpe
    while rpe is None:
        said = _prompt("  effort (RPE 0-10, Enter skips)", "").strip()
        if not said:
            break
        try:
            logbook.parse_scale(said, "effort", whole=False)
            rpe = said
        except OptionError as exc:
            say(f"  {one_line(str(exc))}; try again", err=True)
    form_broke = given.form_broke or _confirm("  form broke (knee caved, pelvis dropped)?")
    note = given.note
    while note is None:
        said = _prompt("  note (Enter skips)", "").strip()
        if len(said) <= NOTE_CHARS:
            note = said
        else:
            say(f"  {len(said)} characters is too long; give {NOTE_CHARS} or fewer", err=True)
    return logbook.build_entry(plan, session, rx, done, pain, rpe, note, False, form_broke)


def _stopped() -> NoReturn:
    """Ctrl-C (or the end of the input) part-way: exit 130, the shell's code for an
    interrupt, with nothing stored (the entries are stored only once all are answered)."""
    say("", err=True)
    say("log: stopped before every exercise was answered; nothing was logged", err=True)
    raise typer.Exit(130)


def _prompt(text: str, default: str | None) -> str:
    try:
        return str(typer.prompt(text, default=default, show_default=bool(default)))
    except (typer.Abort, KeyboardInterrupt):
        _stopped()


def _confirm(text: str) -> bool:
    try:
        return bool(typer.confirm(text, default=False))
    except (typer.Abort, KeyboardInterrupt):
        _stopped()


@app.command()
def checkin(
    name: NameArg,
    morning_pain: Annotated[
        str, typer.Option(help="Pain on waking, 0-10; the adapt rules compare mornings.")
    ],
    date: Annotated[str | None, typer.Option(help="Day, YYYY-MM-DD [default: today].")] = None,
    red_flag: Annotated[
        list[str] | None,
        typer.Option(
            help="Signs to report: swelling, locking, giving-way, night-pain, rest-pain "
            "(repeat the option or use commas for more).",
        ),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Record next-morning pain (and any red-flag signs) for the adapt rules."""
    from planner.cli.params import parse_date
    from planner.service.stores import saved_store
    from planner.service.training import record_checkin
    from planner.training.logbook import build_checkin
    from planner.training.safety_state import checkin_flags

    day_now = today()
    day = day_now if date is None else parse_date(date, "--date")
    entry = build_checkin(morning_pain, day, day_now, ",".join(red_flag) if red_flag else None)
    with saved_store(db, name) as store:
        plan = store.latest(name).plan  # the plan must exist before anything is written
        earlier, guarded = record_checkin(store, name, entry, day_now)
    flags = f", red flags: {', '.join(entry.red_flags)}" if entry.red_flags else ""
    line = f"checked in {entry.date}: morning pain {entry.morning_pain}/10{flags}"
    if earlier:
        line += f" (check-in {len(earlier) + 1} for this day; every one is kept and counts)"
    say(line)
    if (
        not entry.red_flags
        and plan.rules.morning_pain_max < entry.morning_pain < plan.rules.red_flag_morning_pain
    ):
        say(
            f"note: morning pain above {plan.rules.morning_pain_max}/10: run 'planner adapt "
            f"{name}' before the next week starts and it holds every exercise where it is",
            err=True,
        )
    report_guard(guarded, name, [f.text for f in checkin_flags(entry, plan.rules)])


@app.command()
def history(
    name: NameArg,
    all_entries: Annotated[
        bool, typer.Option("--all", help="Also show entries that a later one replaced.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Show what was done against what was prescribed, the check-ins, clearances and red
    flags."""
    from planner.cli.style import safety_lines, show
    from planner.service.safety_hold import state_of
    from planner.service.stores import saved_store
    from planner.wording.log import history_lines
    from planner.wording.safety_state import state_block

    with saved_store(db, name) as store:
        plan = store.latest(name).plan
        state = state_of(store, name, plan, today())
        table = history_lines(
            plan,
            store.entries(name, all_entries),
            store.checkins(name),
            store.clearances(name),
            name,
        )
        life = _life(plan, store.entries(name, False), name)
    show([*safety_lines(state_block(state, name, every_flag=True, plan=plan)), *life, "", *table])


@app.command()
def progress(name: NameArg, db: DbOpt = None) -> None:
    """Show the pain trend and each exercise's logged progression, week by week."""
    from planner.cli.style import safety_lines, show
    from planner.service.safety_hold import state_of
    from planner.service.stores import saved_store
    from planner.wording.log import progress_lines
    from planner.wording.safety_state import state_block

    with saved_store(db, name) as store:
        plan = store.latest(name).plan
        state = state_of(store, name, plan, today())
        log = store.entries(name, include_replaced=True)
        view = progress_lines(plan, log, store.checkins(name), name)
        life = _life(plan, [item for item in log if not item.replaced], name)
    show([*safety_lines(state_block(state, name)), *life, "", *view])


def _life(plan: "Plan", log: "list[Logged]", name: str) -> list[str]:
    """The pauses, then the missed and skipped sessions in plan order (none: nothing)."""
    from planner.wording.life import missed_lines, missed_slots, pause_lines

    missed = missed_slots(plan, (item.entry.slot for item in log), today())
    lines = pause_lines(plan, name)
    said = missed_lines(plan, missed)
    if said:
        lines += ["missed and skipped sessions:", *(f"  {line}" for line in said)]
    return ["", *lines] if lines else []


@app.command()
def adapt(
    name: NameArg,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; save nothing.")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Adjust the weeks ahead to your log: progress, hold, step back, swap, deload, extend."""
    from planner.service.stores import saved_store
    from planner.service.training import adapt_plan

    with saved_store(db, name) as store:
        run = adapt_plan(store, name, today(), dry_run)
    saved = ""
    if run.revision is not None:
        saved = (
            f"saved as revision {run.revision}; update your calendar with 'planner export "
            f"{name} --out FILE' or 'planner publish {name} ...' (only changed sessions change)"
        )
    _report(run.result, dry_run, saved)
    if run.result.state.paused:
        # What report_safety prints, fitted to the terminal and with the red flags marked.
        from planner.cli.style import safety_lines, show
        from planner.wording.safety_state import state_block

        show(safety_lines(state_block(run.result.state, name)), err=True)


def _report(result: "Adapted", dry_run: bool, saved: str) -> None:
    """What adapt decided and changed, every line fitted to 80 columns."""
    from planner.cli.style import fit, show

    out: list[str] = list(result.info)
    if result.week is not None and result.decided:
        out.append(f"decisions for week {result.week}:")
        for a in result.decided:
            # The reason wraps under itself, so the kinds stay one column.
            out += fit(f"  {a.kind:<10} {a.reason}  [{a.rule}]", indent=13)
    if result.changes:
        head = "would change" if dry_run else "changed"
        out.append(
            f"{head} {len(result.changes)} session(s) still to come; the ones done, and weeks "
            "that are over, stay as they were:"
        )
        groups: list[list[Change]] = []
        for change in result.changes:
            if groups and groups[-1][-1].lines == change.lines:
                groups[-1].append(change)
            else:
                groups.append([change])
        for group in groups:
            first, last = group[0], group[-1]
            when = f"{first.slot} {first.date}"
            if len(group) > 1:
                when = f"{first.slot}-{last.slot} ({first.date} to {last.date})"
            out.append(f"  {when}")
            out += [f"    {line}" for line in first.lines]
    else:
        out.append("no change to any session")
    show(out)
    if result.advice:
        show([f"advice: {advice}" for advice in result.advice], err=True)
    out = []
    if dry_run and result.changed:
        out.append("dry run: nothing saved")
    elif saved:
        out.append(saved)
    elif not result.changed:
        out.append("the saved plan already reflects the log; nothing saved")
    show(out)
