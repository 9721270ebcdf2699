"""Event versions: raise SEQUENCE and LAST-MODIFIED only for sessions that really changed.

Calendar clients pick up a changed event only when its SEQUENCE rises (ics-requirements
item 4), and unchanged events should export byte for byte the same. This module decides,
from the content digest of each event and what was exported last time, which version every
event is at. Pure: the store keeps the memory, the exporter writes the numbers.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SlotState:
    """What was exported for one event (UID): its content digest, SEQUENCE and when it
    last changed (written as both DTSTAMP and LAST-MODIFIED)."""

    digest: str
    sequence: int
    modified: dt.datetime


@dataclass(frozen=True, slots=True)
class Versions:
    """The state of every current event, and which UIDs are new or changed."""

    states: dict[str, SlotState]
    new: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def touched(self) -> tuple[str, ...]:
        """UIDs whose stored state must be written (new or changed)."""
        return self.new + self.changed

    @property
    def touched_states(self) -> dict[str, SlotState]:
        """The states the store has to remember after this export."""
        return {uid: self.states[uid] for uid in self.touched}

    def summary(self) -> str:
        """``2 changed, 1 new, 33 unchanged``."""
        same = len(self.states) - len(self.changed) - len(self.new)
        return f"{len(self.changed)} changed, {len(self.new)} new, {same} unchanged"


def next_versions(
    previous: Mapping[str, SlotState], digests: Mapping[str, str], now: dt.datetime
) -> Versions:
    """Versions for the events in ``digests`` given the ``previous`` export.

    A UID seen before with the same digest keeps its state exactly; a changed digest gets
    SEQUENCE + 1 and ``now``; a UID never exported starts at SEQUENCE 0. UIDs that were
    exported before but are gone now are not returned, and their memory is kept by the
    caller, so a session that comes back continues from its old SEQUENCE.
    """
    now = now.astimezone(dt.UTC).replace(microsecond=0)
    states: dict[str, SlotState] = {}
    new: list[str] = []
    changed: list[str] = []
    for uid, digest in digests.items():
        before = previous.get(uid)
        if before is None:
            states[uid] = SlotState(digest, 0, now)
            new.append(uid)
        elif before.digest == digest:
            states[uid] = before
        else:
            # A clock set wrong must not make LAST-MODIFIED stand still or fall.
            later = max(now, before.modified + dt.timedelta(seconds=1))
            states[uid] = SlotState(digest, before.sequence + 1, later)
            changed.append(uid)
    return Versions(states, tuple(new), tuple(changed))
