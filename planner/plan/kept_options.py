"""Which of a saved plan's options a new revision keeps when the person leaves them out."""

from planner.models.plan import PlanOptions

# The personal options: PlanOptions field -> command-line option. For a saved plan, those
# left out of the command keep their saved values, so moving days never drops a pain flag.
PERSONAL = {
    "avoid": "--avoid",
    "equipment": "--equipment",
    "level": "--level",
    "units": "--units",
    "loads": "--load",
    "bands": "--bands",
    "phase_weeks": "--phase-weeks",
}


def keep_saved(
    options: PlanOptions, given: set[str], saved: PlanOptions
) -> tuple[PlanOptions, str]:
    """``options`` with every personal option not in ``given`` taken from ``saved``, and a
    line saying which non-default values were kept (empty if none)."""
    kept = {f: getattr(saved, f) for f in PERSONAL if f not in given}
    default = PlanOptions(start=saved.start, days=saved.days)
    shown = []
    for field, value in kept.items():
        if value != getattr(default, field):
            text = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
            shown.append(f"{PERSONAL[field]} {text}")
    line = f"kept from the saved plan: {'; '.join(shown)}" if shown else ""
    return options.model_copy(update=kept), line
