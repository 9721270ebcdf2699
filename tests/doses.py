"""Small prescriptions and log entries for the unit tests of the training rules."""

from planner.models.log import LogEntry
from planner.models.plan import Prescription


def rx(**fields: object) -> Prescription:
    """A prescription of 3 x 10 bridges unless told otherwise."""
    data: dict[str, object] = {"exercise": "bridge", "name": "Bridge", "sets": 3, "reps": 10}
    data.update(rest=60, cue="ribs down")
    data.update(fields)
    return Prescription(**data)  # type: ignore[arg-type]


def entry(*sets: int, pain: int = 0, **fields: object) -> LogEntry:
    """A log entry of the bridges in W1S1 with these sets (default: 3 x 10) at this pain."""
    data: dict[str, object] = {"slot": "W1S1", "exercise": "bridge", "pain": pain}
    data["done"] = sets or (10, 10, 10)
    data.update(fields)
    return LogEntry(**data)  # type: ignore[arg-type]


def as_prescribed(slot: str, rx: Prescription, pain: int, **fields: object) -> LogEntry:
    """A log entry of ``rx`` in session ``slot`` done exactly as prescribed (every set, the
    load, unit and band) at ``pain``; ``fields`` add to it (``rpe``, ``form_broke``…)."""
    from planner.training.logbook import prescribed

    data: dict[str, object] = {"slot": slot, "exercise": rx.exercise, "done": prescribed(rx)}
    data.update(load=rx.load, unit=rx.unit, band=rx.band, pain=pain)
    data.update(fields)
    return LogEntry(**data)  # type: ignore[arg-type]
