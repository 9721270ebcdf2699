"""Event versions: SEQUENCE and LAST-MODIFIED move only for events whose content changed."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.exporters.event_versions import SlotState, next_versions

T0 = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(days=3)


def test_first_export_starts_every_event_at_zero() -> None:
    versions = next_versions({}, {"a": "1", "b": "2"}, T0)
    assert versions.states == {"a": SlotState("1", 0, T0), "b": SlotState("2", 0, T0)}
    assert versions.new == ("a", "b") and versions.changed == ()


def test_only_changed_events_move() -> None:
    before = next_versions({}, {"a": "1", "b": "2"}, T0).states
    after = next_versions(before, {"a": "1", "b": "2x", "c": "3"}, T1)
    assert after.states["a"] == before["a"]
    assert after.states["b"] == SlotState("2x", 1, T1)
    assert after.states["c"] == SlotState("3", 0, T1)
    assert after.changed == ("b",) and after.new == ("c",) and after.touched == ("c", "b")


def test_a_clock_set_back_still_moves_last_modified_forward() -> None:
    before = {"a": SlotState("1", 4, T1)}
    after = next_versions(before, {"a": "2"}, T0).states["a"]
    assert after.sequence == 5 and after.modified == T1 + dt.timedelta(seconds=1)


def test_a_dropped_event_that_comes_back_continues_its_sequence() -> None:
    first = next_versions({}, {"a": "1", "b": "2"}, T0).states
    shorter = next_versions(first, {"a": "1"}, T1)
    assert "b" not in shorter.states
    # The store keeps b's memory (it only writes touched rows), so b returns at its old state.
    memory = {**first, **shorter.touched_states}
    assert next_versions(memory, {"a": "1", "b": "2"}, T1).states["b"] == first["b"]


@given(st.lists(st.dictionaries(st.sampled_from("abcde"), st.sampled_from("xyz")), max_size=6))
def test_sequence_counts_exactly_the_content_changes(history: list[dict[str, str]]) -> None:
    memory: dict[str, SlotState] = {}
    changes: dict[str, int] = {}
    last: dict[str, str] = {}
    for step, digests in enumerate(history):
        versions = next_versions(memory, digests, T0 + dt.timedelta(hours=step))
        for uid, digest in digests.items():
            if uid in last and last[uid] != digest:
                changes[uid] = changes.get(uid, 0) + 1
            last[uid] = digest
            assert versions.states[uid].sequence == changes.get(uid, 0)
            assert versions.states[uid].digest == digest
            if uid in memory:
                assert versions.states[uid].modified >= memory[uid].modified
        memory.update(versions.touched_states)
