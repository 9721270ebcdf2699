"""Safety on the command line: ``planner clear``, and the safety block that ``log``,
``checkin``, ``clear`` and ``adapt`` print on every run while a red flag stands.

Registered on the main app by :mod:`planner.cli`; imports only Typer and the standard
library at start-up.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from planner.cli import DbOpt, NameArg, _fail, _saved_store, _today, app

if TYPE_CHECKING:
    from planner.guard import Guarded
    from planner.models.safety import SafetyReport


def report_safety(
    state: "SafetyReport", name: str, new: "list[str] | None" = None, always: bool = False
) -> None:
    """Print the safety state to standard error: every red flag just reported (``new``),
    then the standing pause and what lifts it. Silent when there is nothing to say,
    unless ``always``."""
    from planner.safety_views import state_block

    for text in new or ():
        typer.echo(f"warning: red flag: {text}", err=True)
    if state.paused or new or always:
        for line in state_block(state, name):
            typer.echo(line, err=True)


def report_guard(guarded: "Guarded", name: str, new: "list[str] | None" = None) -> None:
    """The safety block, then whether the plan was held as a new revision."""
    report_safety(guarded.state, name, new)
    if guarded.revision is not None:
        typer.echo(
            f"held the plan for safety: saved as revision {guarded.revision}; the sessions "
            f"ahead ask for no more than you last managed. Update your calendar with 'planner "
            f"export {name} --out FILE' or 'planner publish {name} ...'",
            err=True,
        )
    if guarded.problem:
        typer.echo(
            f"warning: what you reported is saved ({guarded.problem}); do not train harder "
            "until the pause lifts",
            err=True,
        )


@app.command()
def clear(
    name: NameArg,
    note: Annotated[
        str,
        typer.Option(help="Who cleared you and when, e.g. 'seen by physio J. Ng, 2026-12-10'."),
    ],
    date: Annotated[
        str | None, typer.Option(help="Day of the visit, YYYY-MM-DD [default: today].")
    ] = None,
    phase: Annotated[
        bool,
        typer.Option(
            "--phase",
            help="The clinician's go-ahead for the next phase, when adapt advised a review "
            "because the phase's goals are not met (not about red flags).",
        ),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Record that a clinician has seen you about the red flags reported so far.

    It lets a pause for swelling, locking, giving way, night or rest pain lift once a
    full week has also been logged at low pain; it never lifts a pause on its own. With
    --phase it is instead their go-ahead for the next phase after a review.
    """
    from planner import guard
    from planner.models.log import Clearance
    from planner.options import parse_date

    today = _today()
    day = today if date is None else parse_date(date, "--date")
    if day > today:
        _fail(f"--date: {day} is after today ({today}); record a visit that has happened")
    text = " ".join(note.split())
    if not text or len(text) > 500:
        _fail("--note: say who cleared you and when, in up to 500 characters")
    clearance = Clearance(
        date=day, note=text, kind="phase" if phase else "red-flags", entered=today
    )
    with _saved_store(db, name) as store:
        plan = store.latest(name).plan  # the plan must exist before anything is written
        before = guard.state_of(store, name, plan, today)
        store.clear(name, clearance)
        guarded = guard.guard(store, name, today)
    if phase:
        typer.echo(
            f"recorded a clinician's go-ahead for the next phase on {day}: {text}; the next "
            f"'planner adapt {name}' at the phase's end lets it start (it does not clear red "
            "flags)"
        )
        report_guard(guarded, name)
        return
    typer.echo(f"recorded a clinician's clearance on {day}: {text}")
    state = guarded.state
    waiting = [f for p in before.pauses if p.lifted is None for f in p.flags if f.needs_clearance]
    if not waiting:
        typer.echo("no red flag was waiting for a clearance; it is kept in your history")
    elif day < max(f.date for f in waiting):
        latest = max(waiting, key=lambda f: f.date)
        typer.echo(
            f"note: this visit ({day}) was before the {latest.text}; a clearance counts from "
            "the day of the latest such sign, so this one does not clear it"
        )
    report_guard(guarded, name)
    if before.paused and not state.paused:
        typer.echo(f"the pause has lifted; run 'planner adapt {name}' to go on with the plan")
    elif not state.paused:
        report_safety(state, name, always=True)
