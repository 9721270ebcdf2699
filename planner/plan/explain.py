"""The record of every choice made while fitting a template to a person.

Tailoring steps write here; the plan carries the decisions (``--explain``, the calendar
description) and the generator puts the notes on the affected exercises, so the person
reads the same reasons in both places.
"""

from collections import defaultdict

from planner.models.common import EntryKey
from planner.models.plan import Decision, DecisionKind


class Explanations:
    """Decisions, per-exercise notes and warnings, in the order they were made."""

    def __init__(self) -> None:
        self.decisions: list[Decision] = []
        self.notes: dict[EntryKey, list[str]] = defaultdict(list)
        self.block_notes: dict[str, list[str]] = defaultdict(list)
        self.warnings: list[str] = []

    def decide(
        self,
        kind: DecisionKind,
        where: str,
        reason: str,
        exercise: str | None = None,
        chosen: str | None = None,
    ) -> None:
        """Record one decision; ``reason`` is a full sentence for the person."""
        self.decisions.append(
            Decision(kind=kind, where=where, exercise=exercise, chosen=chosen, reason=reason)
        )

    def note(self, key: EntryKey, text: str) -> None:
        """Add a note to one exercise of a phase (shown in every session it appears in)."""
        self.notes[key].append(text)
