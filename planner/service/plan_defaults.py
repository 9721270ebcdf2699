"""What ``generate`` chooses when the person leaves it out (start, days), the public
holidays of ``--holidays`` looked up for the plan's years, and the warning for a start in
the past."""

from collections.abc import Set
from typing import TYPE_CHECKING

from planner.errors import OptionError
from planner.models.adapt import Adjustment
from planner.models.plan import Plan, PlanOptions
from planner.models.program import ProgramTemplate
from planner.models.snapshot import TemplateSnapshot

if TYPE_CHECKING:
    import datetime as dt

    from planner.store.database import Revision


def with_defaults(
    options: PlanOptions,
    defaulted: Set[str],
    program: ProgramTemplate,
    previous: "Revision | None",
    name: str | None,
) -> tuple[PlanOptions, str]:
    """``options`` with the default days for ``program`` when ``days`` is in ``defaulted``
    (the start the CLI defaulted is already in), and the line that says what was chosen.

    Raises:
        OptionError: start or days left out for a new revision of a saved plan, which
            always gives both (its weeks are counted from the start).
    """
    if not defaulted:
        return options, ""
    if previous is not None:
        saved = previous.plan.options
        missing = " and ".join(f"--{o}" for o in ("start", "days") if o in defaulted)
        raise OptionError(
            f"{missing}: a new revision of '{name}' needs --start and --days; the saved plan "
            f"has --start {saved.start.isoformat()} --days {','.join(saved.days)}"
        )
    from planner.plan.schedule import DEFAULT_DAYS
    from planner.wording.plan import day_text

    if "days" in defaulted:
        most = max(p.sessions_per_week for p in program.phases)
        options = options.model_copy(update={"days": DEFAULT_DAYS[most]})
    days = ", ".join(options.days)
    if defaulted >= {"start", "days"}:
        line = (
            f"Starting {day_text(options.start)} on {days} "
            "(defaults; choose with --start and --days)"
        )
    elif "start" in defaulted:
        line = f"Starting {day_text(options.start)}, the next Monday (default; choose with --start)"
    else:
        line = f"Training on {days} (default for the template; choose with --days)"
    return options, line


def with_holidays(
    options: PlanOptions,
    snapshot: TemplateSnapshot,
    adjustments: tuple[Adjustment, ...],
) -> PlanOptions:
    """``options`` with the public holidays of its region (``--holidays``) in every year the
    plan can span: from its start to a year past its last session, as days off can push
    the plan on (by a year at most, see :mod:`planner.plan.days_off`).

    Raises:
        OptionError: a region the holidays library does not know.
    """
    if options.holidays is None:
        return options.model_copy(update={"holiday_dates": ()})
    from planner.holiday_dates import resolve
    from planner.plan.generate import generate

    # The plan's length depends on the template, --weeks and what adapt extended: the
    # plan itself, without holidays, says where it ends.
    bare = options.model_copy(update={"holiday_dates": ()})
    library = snapshot.library.by_id()
    draft = generate(snapshot.template, snapshot.program, library, bare, adjustments)
    years = range(options.start.year, draft.sessions[-1].date.year + 2)
    code, dates = resolve(options.holidays, years)
    return options.model_copy(update={"holidays": code, "holiday_dates": dates})


def past_start(
    plan: Plan, previous: "Revision | None", today: "dt.date", name: str | None
) -> tuple[str, ...]:
    """A warning when a new plan starts before today: back-filling a log is fine, but the
    person should know those sessions are already due. A new revision of a saved plan is
    expected to start in the past and gets none."""
    if previous is not None or plan.options.start >= today:
        return ()
    due = [s for s in plan.sessions if s.date < today]
    log = (
        (
            f"log what you did with 'planner log {name} --session {due[0].slot}'"
            if name is not None
            else "save the plan with --name to log what you did ('planner log NAME --session W1S1')"
        )
        if due
        else "no session falls before today"
    )
    return (
        f"--start {plan.options.start.isoformat()} is in the past: {len(due)} session(s) are "
        f"dated before today ({today.isoformat()}); {log}",
    )
