"""``planner pause``, ``resume``, ``move`` and ``skip``: a saved plan bent to real life.

Imports only Typer and the standard library at start-up.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli.arguments import DbOpt, NameArg, today
from planner.cli.console import command_group, fail, report_safety, say, warn

if TYPE_CHECKING:
    from planner.service.life import Changed

app = command_group("Pause, resume, move or skip sessions of a saved plan.")

SlotArg = Annotated[str, typer.Argument(metavar="SESSION", help="A session, like W3S2.")]
NoteOpt = Annotated[
    str | None, typer.Option("--note", help="Why, in a few words (kept with the plan).")
]


def _note(note: str | None) -> str | None:
    if note is None:
        return None
    text = " ".join(note.split())
    if not text or len(text) > 500:
        fail("--note: say why in up to 500 characters")
    return text


def _report(changed: "Changed", name: str, head: str) -> None:
    """What changed, the plan's warnings, the safety state, and how to update the
    calendar."""
    say(f"{head}; saved as revision {changed.revision}")
    if changed.dates:
        first, last = changed.dates[0], changed.dates[-1]
        say(
            f"{len(changed.dates)} session(s) moved: {first[0]} {first[1]} -> {first[2]}"
            + ("" if len(changed.dates) == 1 else f" ... {last[0]} {last[1]} -> {last[2]}")
        )
    warn(changed.warnings)
    report_safety(changed.state, name)
    say(
        f"update your calendar with 'planner export {name} --out FILE' or 'planner publish "
        f"{name} ...': the same events move (same UIDs), none is added twice"
    )


@app.command()
def pause(
    name: NameArg,
    start: Annotated[
        str | None, typer.Option("--from", help="First day off, YYYY-MM-DD [default: today].")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Last day off, YYYY-MM-DD [default: open until 'planner resume']."),
    ] = None,
    note: NoteOpt = None,
    db: DbOpt = None,
) -> None:
    """Pause the plan (illness, travel, a busy month): the sessions from --from on wait,
    then move later by the length of the pause. Not for red flags: a safety stop lifts by
    its own rules."""
    from planner.cli.params import parse_date
    from planner.service.life import pause_plan
    from planner.service.stores import saved_store

    day_now = today()
    first = day_now if start is None else parse_date(start, "--from")
    last = None if until is None else parse_date(until, "--until")
    text = _note(note)
    with saved_store(db, name) as store:
        changed = pause_plan(store, name, first, last, text, day_now)
    if last is None:
        head = (
            f"paused '{name}' from {first}: its sessions from then on wait; say when you "
            f"are back with 'planner resume {name} --on YYYY-MM-DD'"
        )
    else:
        days = (last - first).days + 1
        head = f"paused '{name}' from {first} to {last} ({days} days): {_weekdays(days, changed)}"
    _report(changed, name, head)


def _weekdays(days: int, changed: "Changed | None" = None) -> str:
    """What a pause of ``days`` does to the weekdays (the new ones, from ``changed``)."""
    if days % 7 == 0:
        return "every session after it moves by whole weeks, on the same weekdays"
    now = ""
    if changed is not None and changed.dates:
        first = min(new for _, _, new in changed.dates)
        week = sorted(new for _, _, new in changed.dates if (new - first).days < 7)
        now = f" (now {', '.join(f'{day:%a}' for day in week)})"
    return (
        f"every session after it moves {days} days later, so onto other weekdays{now}; to "
        "keep your old weekdays, pause for whole weeks (or come back on the weekday you "
        "stopped)"
    )


@app.command()
def resume(
    name: NameArg,
    on: Annotated[
        str | None, typer.Option("--on", help="First day back, YYYY-MM-DD [default: today].")
    ] = None,
    db: DbOpt = None,
) -> None:
    """End the pause: the waiting sessions move later by its length; after a long break
    the first week back steps back. A safety stop after red flags still holds."""
    from planner.cli.params import parse_date
    from planner.service.life import resume_plan
    from planner.service.stores import saved_store

    day_now = today()
    back = day_now if on is None else parse_date(on, "--on")
    with saved_store(db, name) as store:
        changed = resume_plan(store, name, back, day_now)
    pause_of = changed.plan.options.pauses[-1] if changed.plan.options.pauses else None
    days = 0 if pause_of is None or pause_of.days is None else pause_of.days
    _report(
        changed, name, f"resumed '{name}' on {back} after {days} days: {_weekdays(days, changed)}"
    )
    run = changed.adapted
    if run is not None:
        for line in run.result.info:
            say(line)
        for a in run.result.decided:
            say(f"  {a.kind:<10} {a.reason}")
    if changed.state.paused:
        say(
            "the safety stop after red flags still stands: it holds every dose until its "
            "own rules lift it (see 'planner show'); resuming does not lift it",
            err=True,
        )


@app.command()
def move(
    name: NameArg,
    slot: SlotArg,
    to: Annotated[str, typer.Option("--to", help="The new day, YYYY-MM-DD.")],
    force: Annotated[
        bool, typer.Option("--force", help="Move it even past a neighbouring session.")
    ] = False,
    note: NoteOpt = None,
    db: DbOpt = None,
) -> None:
    """Move one session to another day (the same calendar event moves)."""
    from planner.cli.params import parse_date
    from planner.service.life import move_session
    from planner.service.stores import saved_store

    day = parse_date(to, "--to")
    text = _note(note)
    with saved_store(db, name) as store:
        changed = move_session(store, name, slot, day, force, text, today())
    _report(changed, name, f"moved {slot.strip().upper()} to {day}")


@app.command()
def skip(name: NameArg, slot: SlotArg, note: NoteOpt = None, db: DbOpt = None) -> None:
    """Record a session as missed on purpose (adapt then knows it was not forgotten)."""
    from planner.service.life import skip_session
    from planner.service.stores import saved_store

    text = _note(note)
    with saved_store(db, name) as store:
        changed = skip_session(store, name, slot, text, today())
    _report(changed, name, f"recorded {slot.strip().upper()} as skipped")
