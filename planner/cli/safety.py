"""``planner clear``: a clinician's clearance after red flags, or go-ahead for the next phase.

Imports only Typer and the standard library at start-up.
"""

from typing import Annotated

import typer

from planner.cli.arguments import DbOpt, NameArg, today
from planner.cli.console import command_group, fail, report_guard, report_safety, say

app = command_group("Clinician clearances.")


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
    from planner.cli.params import parse_date
    from planner.models.log import Clearance
    from planner.service.safety_hold import state_of
    from planner.service.stores import saved_store
    from planner.service.training import record_clearance

    day_now = today()
    day = day_now if date is None else parse_date(date, "--date")
    if day > day_now:
        fail(f"--date: {day} is after today ({day_now}); record a visit that has happened")
    text = " ".join(note.split())
    if not text or len(text) > 500:
        fail("--note: say who cleared you and when, in up to 500 characters")
    clearance = Clearance(
        date=day, note=text, kind="phase" if phase else "red-flags", entered=day_now
    )
    with saved_store(db, name) as store:
        plan = store.latest(name).plan  # the plan must exist before anything is written
        before = state_of(store, name, plan, day_now)
        guarded = record_clearance(store, name, clearance, day_now)
    if phase:
        say(
            f"recorded a clinician's go-ahead for the next phase on {day}: {text}; the next "
            f"'planner adapt {name}' at the phase's end lets it start (it does not clear red "
            "flags)"
        )
        report_guard(guarded, name)
        return
    say(f"recorded a clinician's clearance on {day}: {text}")
    state = guarded.state
    waiting = [f for p in before.pauses if p.lifted is None for f in p.flags if f.needs_clearance]
    if not waiting:
        say("no red flag was waiting for a clearance; it is kept in your history")
    elif day < max(f.date for f in waiting):
        latest = max(waiting, key=lambda f: f.date)
        say(
            f"note: this visit ({day}) was before the {latest.text}; a clearance counts from "
            "the day of the latest such sign, so this one does not clear it"
        )
    report_guard(guarded, name)
    if before.paused and not state.paused:
        say(f"safety stop lifted; run 'planner adapt {name}' to go on with the plan")
    elif not state.paused:
        report_safety(state, name, always=True)
