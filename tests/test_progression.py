"""Each progression rule alone, then the invariants that hold for any input."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.models import ExerciseLibrary
from planner.models.common import DEFAULT_BANDS
from planner.models.program import Deload, ExerciseEntry
from planner.models.rules import BandRule, HoldRule, LoadRule, RepsRule, SetsRule, VariantRule
from planner.plan.ladder import HELD_BAND_PACE, EntryLadder, Trained, refused, settle
from planner.plan.progression import (
    HELD_BAND,
    HELD_LOAD,
    MAX_WEEKLY_RISE,
    Dose,
    Lookups,
    band_gap,
    cap_rise,
    deload,
    held_band_gap,
    next_load,
    progress_band,
    progress_hold,
    progress_load,
    progress_reps,
    progress_sets,
    progress_variant,
    round_hold,
    round_load,
)
from tests.fuzzing import fuzz

BASE = Dose(exercise="clamshell", sets=2, count=10)


class TestReps:
    def test_adds_step_each_week(self) -> None:
        rule = RepsRule(kind="reps", step=2, cap=20)
        assert progress_reps(BASE, rule, 2).count == 12

    def test_never_past_cap(self) -> None:
        rule = RepsRule(kind="reps", step=5, cap=12)
        assert progress_reps(BASE, rule, 2).count == 12

    def test_first_week_unchanged(self) -> None:
        assert progress_reps(BASE, RepsRule(kind="reps", cap=20), 1) == BASE

    def test_every_n_weeks(self) -> None:
        rule = RepsRule(kind="reps", every=2, cap=20)
        assert progress_reps(BASE, rule, 2) == BASE
        assert progress_reps(BASE, rule, 3).count == 11


class TestSets:
    def test_adds_at_listed_weeks_only(self) -> None:
        rule = SetsRule(kind="sets", at_weeks=(3,))
        assert progress_sets(BASE, rule, 2).sets == 2
        assert progress_sets(BASE, rule, 3).sets == 3

    def test_cap(self) -> None:
        rule = SetsRule(kind="sets", add=3, at_weeks=(2,), cap=4)
        assert progress_sets(BASE, rule, 2).sets == 4


class TestHold:
    def test_adds_seconds_to_cap(self) -> None:
        dose = Dose(exercise="plank", sets=3, seconds=25)
        rule = HoldRule(kind="hold", step=10, cap=30)
        assert progress_hold(dose, rule, 2).seconds == 30


class TestBand:
    RULE = BandRule(kind="band", low=10, high=20, step=5)

    def test_reps_climb_before_band(self) -> None:
        dose = Dose(exercise="x", sets=2, count=10, band=1)
        nxt = progress_band(dose, self.RULE, 2, DEFAULT_BANDS)
        assert (nxt.count, nxt.band) == (15, 1)

    def test_top_of_range_moves_band_and_resets_reps(self) -> None:
        dose = Dose(exercise="x", sets=2, count=20, band=1)
        nxt = progress_band(dose, self.RULE, 2, DEFAULT_BANDS)
        assert (nxt.count, nxt.band) == (10, 2)

    def test_top_band_holds(self) -> None:
        dose = Dose(exercise="x", sets=2, count=20, band=7)
        nxt = progress_band(dose, self.RULE, 2, DEFAULT_BANDS)
        assert (nxt.count, nxt.band, nxt.held) == (20, 7, HELD_BAND)

    def test_next_band_more_than_one_colour_up_holds_at_the_top(self) -> None:
        dose = Dose(exercise="x", sets=3, count=20, band=0)
        nxt = progress_band(dose, self.RULE, 2, ("tan", "gold"))
        assert (nxt.count, nxt.band) == (20, 0)
        assert nxt.held == (
            "Held at the tan band: your next band, gold, is much heavier; "
            "a yellow band would let you move on."
        )

    def test_next_standard_colour_on_a_gappy_ladder_moves_on(self) -> None:
        dose = Dose(exercise="x", sets=2, count=20, band=1)
        nxt = progress_band(dose, self.RULE, 2, ("tan", "red", "green", "gold"))
        assert (nxt.count, nxt.band, nxt.held) == (10, 2, "")

    def test_own_names_count_one_rung_a_step(self) -> None:
        dose = Dose(exercise="x", sets=2, count=20, band=0)
        nxt = progress_band(dose, self.RULE, 2, ("light", "gold"))
        assert (nxt.count, nxt.band) == (10, 1)


class TestBandGap:
    def test_standard_colours_counted_in_theraband_order(self) -> None:
        ladder = ("tan", "yellow", "blue", "gold")
        assert [band_gap(ladder, i) for i in range(3)] == [1, 3, 3]

    def test_names_outside_theraband_are_one_rung(self) -> None:
        assert band_gap(("yellow", "very heavy"), 0) == 1
        assert band_gap(("light", "heavy"), 0) == 1

    def test_note_names_the_missing_colour(self) -> None:
        note = held_band_gap(("red", "black"), 0)
        assert "red band" in note and "black" in note and "a green band" in note


class TestLoad:
    RULE = LoadRule(kind="load", low=8, high=12, increase=0.05)

    def test_reps_first(self) -> None:
        dose = Dose(exercise="hip-thrust", sets=3, count=10, load=30.0)
        assert progress_load(dose, self.RULE, 2, 2.5).count == 11

    def test_top_adds_rounded_load_and_resets(self) -> None:
        dose = Dose(exercise="hip-thrust", sets=3, count=12, load=30.0)
        nxt = progress_load(dose, self.RULE, 2, 2.5)
        assert (nxt.load, nxt.count) == (32.5, 8)

    def test_lb_increment(self) -> None:
        dose = Dose(exercise="hip-thrust", sets=3, count=12, load=95.0)
        assert progress_load(dose, self.RULE, 2, 5.0).load == 100.0

    def test_holds_when_smallest_step_is_over_ten_percent(self) -> None:
        dose = Dose(exercise="hip-thrust", sets=3, count=12, load=20.0)
        nxt = progress_load(dose, self.RULE, 2, 2.5)
        assert (nxt.load, nxt.count, nxt.held) == (20.0, 12, HELD_LOAD)


class TestVariant:
    def test_switches_after_weeks(self) -> None:
        rule = VariantRule(kind="variant", after_weeks=2)
        assert progress_variant(BASE, rule, 2, "banded-clamshell").exercise == "clamshell"
        assert progress_variant(BASE, rule, 3, "banded-clamshell").exercise == "banded-clamshell"


class TestDeload:
    PLAN = Deload()

    def test_volume_cut_within_40_to_60_percent(self) -> None:
        dose = Dose(exercise="x", sets=3, count=12, load=40.0)
        light = deload(dose, self.PLAN, 2.5)
        assert 0.4 <= 1 - light.volume / dose.volume <= 0.6

    def test_load_drops_but_can_return_within_cap(self) -> None:
        dose = Dose(exercise="x", sets=3, count=12, load=40.0)
        light = deload(dose, self.PLAN, 2.5)
        assert light.load is not None
        assert light.load < 40.0
        assert light.load * (1 + MAX_WEEKLY_RISE) + 1e-9 >= 40.0

    def test_band_one_colour_down(self) -> None:
        dose = Dose(exercise="x", sets=2, count=15, band=3)
        assert deload(dose, self.PLAN, 1.0).band == 2

    def test_hold_rounded_down_to_whole_five_seconds(self) -> None:
        plank = Dose(exercise="plank", sets=3, seconds=35)
        light = deload(plank, self.PLAN, 1.0)
        assert (light.sets, light.seconds) == (2, 25)


class TestRoundHold:
    def test_down_to_a_multiple_of_five(self) -> None:
        assert [round_hold(s) for s in (26, 25, 24, 19, 60)] == [25, 25, 20, 15, 60]

    def test_never_below_five(self) -> None:
        assert round_hold(3) == 5 and round_hold(1) == 5


@given(seconds=st.integers(1, 600), sets=st.integers(1, 10), cut=st.floats(0.4, 0.6))
def test_deload_holds_are_whole_five_seconds_and_lighter(
    seconds: int, sets: int, cut: float
) -> None:
    dose = Dose(exercise="plank", sets=sets, seconds=seconds)
    light = deload(dose, Deload(volume_cut=cut), 1.0)
    assert light.seconds is not None
    assert light.seconds % 5 == 0 and light.seconds >= 5
    assert light.seconds <= max(5, seconds) and light.sets <= sets


class TestRounding:
    def test_modes(self) -> None:
        assert round_load(31.5, 2.5) == 32.5
        assert round_load(31.5, 2.5, "down") == 30.0
        assert round_load(30.1, 2.5, "up") == 32.5

    def test_no_float_noise(self) -> None:
        assert round_load(0.1 * 3, 0.1) == 0.3


loads = st.integers(min_value=4, max_value=400).map(lambda n: n * 2.5)
increments = st.sampled_from([1.0, 2.0, 2.5, 5.0])


@given(load=st.integers(1, 400), inc=increments, rise=st.floats(0.02, 0.10))
def test_next_load_is_a_multiple_and_within_ten_percent(load: int, inc: float, rise: float) -> None:
    current = load * inc
    nxt = next_load(current, rise, inc)
    if nxt is None:  # only when even one increment would be more than +10 %
        assert current + inc > current * (1 + MAX_WEEKLY_RISE) + 1e-9
    else:
        assert abs(nxt / inc - round(nxt / inc)) < 1e-6
        assert current < nxt <= current * (1 + MAX_WEEKLY_RISE) + 1e-9


@given(prev=loads, new=loads)
def test_cap_rise_never_allows_more_than_ten_percent(prev: float, new: float) -> None:
    capped = cap_rise(prev, new, 2.5)
    assert capped <= max(prev, prev * (1 + MAX_WEEKLY_RISE)) + 1e-9
    assert capped <= new


# --- Entry ladders: rebasing, limits and the week-over-week rules (planner.plan.ladder) -------

THRUST_RULE = {"kind": "load", "low": 8, "high": 12, "step": 2, "increase": 0.05}
WALK_RULE = {"kind": "band", "low": 10, "high": 20, "step": 5}


def _entry(**fields: object) -> ExerciseEntry:
    return ExerciseEntry.model_validate(fields)


def _thrust(load: float = 35, reps: int = 8, **rule: object) -> ExerciseEntry:
    return _entry(
        exercise="hip-thrust",
        sets=3,
        reps=reps,
        load=load,
        increment=2.5,
        progression=[{**THRUST_RULE, **rule}],
    )


def _walk(band: str = "red", steps: int = 10) -> ExerciseEntry:
    return _entry(
        exercise="lateral-band-walk", sets=2, steps=steps, band=band, progression=[WALK_RULE]
    )


@pytest.fixture(scope="module")
def look(library: ExerciseLibrary) -> Lookups:
    return Lookups(library.by_id(), DEFAULT_BANDS, "kg")


def _climb(track: EntryLadder, weeks: int) -> list[tuple[int | None, float | None, int | None]]:
    """The doses of ``weeks`` training weeks, moving on one position a week as planned."""
    out = []
    for _ in range(weeks):
        track.move(1, counts=True)  # the first week starts the slot without moving it
        dose = track.dose
        out.append((dose.count, dose.load, dose.band))
    return out


class TestRebase:
    def test_ladder_climbs_from_the_lowered_load(self, look: Lookups) -> None:
        track = EntryLadder(_thrust(), look, 0, False)
        track.rebase(replace(track.dose, load=30.0))
        assert _climb(track, 4) == [(8, 30, None), (10, 30, None), (12, 30, None), (8, 32.5, None)]

    def test_lower_positions_never_harder_than_the_new_dose(self, look: Lookups) -> None:
        track = EntryLadder(_thrust(load=30), look, 0, False)
        track.move(1, counts=True)
        for _ in range(3):
            track.move(1, counts=True)
        assert (track.dose.count, track.dose.load) == (8, 32.5)
        track.rebase(replace(track.dose, load=30.0))
        below = [track.dose_at(p) for p in (1, 2, 3)]
        assert all(d.load == 30 and d.count is not None and d.count <= 8 for d in below)

    def test_unchanged_dose_is_a_no_op(self, look: Lookups) -> None:
        track = EntryLadder(_thrust(), look, 0, False)
        ladder = [track.dose_at(p) for p in (1, 2, 3)]
        track.rebase(replace(track.dose, held="anything"))
        assert [track.dose_at(p) for p in (1, 2, 3)] == ladder

    def test_below_the_start_keeps_the_full_sets_for_later(self, look: Lookups) -> None:
        track = EntryLadder(_thrust(load=30, reps=10), look, 0, False)
        track.move(0, counts=True)
        track.move(-1, counts=True)
        assert track.dose.sets == 2
        track.rebase(replace(track.dose, load=25.0))
        assert (track.dose.sets, track.dose.load) == (2, 25)
        track.move(1, counts=True)
        assert (track.dose.sets, track.dose.count, track.dose.load) == (3, 10, 25)


class TestLimit:
    def test_rounded_down_to_the_increment_and_climbs_from_there(self, look: Lookups) -> None:
        track = EntryLadder(_thrust(load=30, reps=10, step=1), look, 0, False)
        track.limit(load=26.0)
        assert _climb(track, 4) == [(10, 25, None), (11, 25, None), (12, 25, None), (8, 27.5, None)]

    def test_never_raises_the_load(self, look: Lookups) -> None:
        track = EntryLadder(_thrust(load=30), look, 0, False)
        track.limit(load=40.0)
        assert track.dose.load == 30

    def test_below_one_increment_keeps_the_load_lifted(self, look: Lookups) -> None:
        # 1 kg managed on a 2.5 kg step: rounding up to 2.5 would prescribe more than they
        # managed (found by the safety state machine); rounding down would drop the load.
        track = EntryLadder(_thrust(load=30), look, 0, False)
        track.limit(load=1.0)
        assert track.dose.load == 1.0
        assert all(load is not None and load <= 1.0 for _, load, _ in _climb(track, 4))

    def test_rounds_down_to_a_whole_step(self, look: Lookups) -> None:
        track = EntryLadder(_thrust(load=30), look, 0, False)
        track.limit(load=13.0)
        assert track.dose.load == 12.5

    def test_band_climbs_back_one_colour_at_a_time(self, look: Lookups) -> None:
        track = EntryLadder(_walk("green", 20), look, 0, False)
        track.limit(band=DEFAULT_BANDS.index("yellow"))
        bands = [DEFAULT_BANDS[b or 0] for _, _, b in _climb(track, 6)]
        assert bands == ["yellow", "red", "red", "red", "green", "green"]

    def test_sets_are_capped_below_the_starting_dose_too(self, look: Lookups) -> None:
        # A step back below the start leaves 2 of 3 sets; a limit of 1 set must hold there,
        # though below the start the sets come from the position.
        track = EntryLadder(_thrust(load=30, reps=10, step=1), look, 0, False)
        track.move(0, counts=True)
        track.move(-1, counts=True)
        assert track.dose.sets == 2
        track.limit(sets=1)
        assert track.dose.sets == 1

    def test_own_load_is_not_restored_after_a_limit(self, look: Lookups) -> None:
        # Head start 2 with the person's own 40 kg: position 3 would be forced back to 40.
        track = EntryLadder(_thrust(load=40, reps=8, step=1), look, 2, True)
        track.move(0, counts=True)
        assert track.dose.load == 40
        track.move(-1, counts=True)
        track.limit(load=35.0)
        track.move(1, counts=True)
        assert track.dose.load == 35


def _settle(
    dose: Dose,
    entry: ExerciseEntry,
    last: Trained | None,
    look: Lookups,
    last_load: float | None = None,
) -> Dose:
    if last_load is None and last is not None:
        last_load = last.dose.load
    return settle(dose, entry, last, last_load, look)


class TestSettle:
    def test_first_time_as_asked(self, look: Lookups) -> None:
        dose = Dose(exercise="hip-thrust", sets=3, count=8, load=35.0)
        assert _settle(dose, _thrust(), None, look) == dose

    def test_load_within_ten_percent_of_last_week_even_a_deload(self, look: Lookups) -> None:
        prev = Trained(Dose(exercise="hip-thrust", sets=3, count=11, load=30.0))
        dose = Dose(exercise="hip-thrust", sets=3, count=8, load=35.0)
        out = _settle(dose, _thrust(), prev, look, last_load=27.5)
        # The load does not rise over the last training week, so neither do the reps go back
        # to the bottom of the range: last training week's dose again.
        assert (out.count, out.load) == (11, 30)

    def test_a_load_step_is_the_templates_increase(self, look: Lookups) -> None:
        # glute-back-safe: 2.5 % asked; one 2.5 kg plate step, reps back to the bottom.
        prev = Trained(Dose(exercise="hip-thrust", sets=3, count=9, load=25.0))
        dose = Dose(exercise="hip-thrust", sets=3, count=10, load=30.0)
        out = _settle(dose, _thrust(load=30, reps=10, increase=0.025), prev, look)
        assert (out.count, out.load) == (8, 27.5)

    def test_one_increment_over_ten_percent_holds_with_the_note(self, look: Lookups) -> None:
        entry = _entry(exercise="single-leg-deadlift", sets=3, reps=10, load=8, increment=2)
        prev = Trained(Dose(exercise="single-leg-deadlift", sets=3, count=9, load=6.0))
        dose = Dose(exercise="single-leg-deadlift", sets=3, count=10, load=8.0)
        out = settle(dose, entry, prev, None, look)
        assert (out.count, out.load, out.held) == (10, 6, HELD_LOAD)

    def test_reps_only_rise_passes(self, look: Lookups) -> None:
        prev = Trained(Dose(exercise="hip-thrust", sets=3, count=8, load=30.0))
        dose = Dose(exercise="hip-thrust", sets=3, count=10, load=30.0)
        assert _settle(dose, _thrust(), prev, look) == dose

    def test_band_rise_sends_the_steps_back_to_low(self, look: Lookups) -> None:
        prev = Trained(Dose(exercise="lateral-band-walk", sets=2, count=20, band=2))
        dose = Dose(exercise="lateral-band-walk", sets=2, count=20, band=3)
        out = _settle(dose, _walk("green", 20), prev, look)
        assert (out.count, out.band) == (10, 3)

    def test_band_rises_one_rung_at_most(self, look: Lookups) -> None:
        prev = Trained(Dose(exercise="lateral-band-walk", sets=2, count=20, band=2))
        dose = Dose(exercise="lateral-band-walk", sets=2, count=20, band=5)
        assert _settle(dose, _walk("black", 20), prev, look).band == 3

    def test_band_more_than_one_colour_up_holds_with_a_note(self, library: ExerciseLibrary) -> None:
        look = Lookups(library.by_id(), ("tan", "gold"), "kg")
        prev = Trained(Dose(exercise="lateral-band-walk", sets=2, count=20, band=0))
        dose = Dose(exercise="lateral-band-walk", sets=2, count=10, band=1)
        out = _settle(dose, _entry(exercise="lateral-band-walk", sets=2, steps=10, band="gold"),
                      prev, look)  # fmt: skip
        assert (out.count, out.band) == (20, 0)
        assert out.held.startswith("Held at the tan band: your next band, gold")

    def test_band_at_most_once_every_two_training_weeks(self, look: Lookups) -> None:
        risen = Trained(Dose(exercise="lateral-band-walk", sets=2, count=20, band=2), 3, 3)
        dose = Dose(exercise="lateral-band-walk", sets=2, count=10, band=3)
        held = _settle(dose, _walk(), risen, look)
        assert (held.count, held.band, held.held) == (20, 2, HELD_BAND_PACE)
        earlier = Trained(risen.dose, 3, 2)
        assert _settle(dose, _walk(), earlier, look).band == 3

    def test_band_and_load_together_keeps_the_load(self, look: Lookups) -> None:
        entry = _entry(exercise="banded-hip-thrust", sets=3, reps=10, band="red", load=10)
        prev = Trained(Dose(exercise="banded-hip-thrust", sets=3, count=10, band=2, load=10.0))
        dose = Dose(exercise="banded-hip-thrust", sets=3, count=10, band=3, load=11.0)
        out = _settle(dose, entry, prev, look)
        assert (out.band, out.load) == (3, 10)


class TestTrained:
    def test_counts_weeks_and_band_rises(self) -> None:
        first = Trained(Dose(exercise="x", sets=2, count=20, band=1))
        same = first.then(Dose(exercise="x", sets=2, count=20, band=1))
        up = same.then(Dose(exercise="x", sets=2, count=10, band=2))
        assert (same.weeks, same.band_rise, up.weeks, up.band_rise) == (2, None, 3, 3)

    def test_refused_only_when_the_whole_rise_is_gone(self) -> None:
        last = Trained(Dose(exercise="x", sets=3, count=12, load=30.0))
        asked = Dose(exercise="x", sets=3, count=8, load=35.0)
        assert refused(asked, replace(asked, load=30.0), last)
        assert not refused(asked, replace(asked, load=32.5), last)
        assert not refused(asked, asked, None)


increments_kg = st.sampled_from([1.0, 2.0, 2.5])


@fuzz(300)
@given(
    inc=increments_kg,
    prev_steps=st.integers(1, 60),
    want_steps=st.integers(1, 80),
    last_steps=st.integers(1, 60),
    prev_count=st.integers(8, 12),
    want_count=st.integers(8, 12),
    prev_band=st.integers(0, 7),
    want_band=st.integers(0, 7),
    weeks=st.integers(1, 5),
    rise=st.none() | st.integers(1, 5),
    ladder=st.sampled_from([DEFAULT_BANDS, ("tan", "gold"), ("yellow", "blue", "black", "gold")]),
)
def test_settle_keeps_every_week_over_week_rule(
    library: ExerciseLibrary,
    inc: float,
    prev_steps: int,
    want_steps: int,
    last_steps: int,
    prev_count: int,
    want_count: int,
    prev_band: int,
    want_band: int,
    weeks: int,
    rise: int | None,
    ladder: tuple[str, ...],
) -> None:
    look = Lookups(library.by_id(), ladder, "kg")
    top = len(ladder) - 1
    prev_band, want_band = min(prev_band, top), min(want_band, top)
    entry = _entry(exercise="banded-hip-thrust", sets=3, reps=10, band=ladder[0], load=inc,
                   increment=inc, progression=[THRUST_RULE])  # fmt: skip
    prev = Dose(exercise="banded-hip-thrust", sets=3, count=prev_count, band=prev_band,
                load=prev_steps * inc)  # fmt: skip
    want = Dose(exercise="banded-hip-thrust", sets=3, count=want_count, band=want_band,
                load=want_steps * inc)  # fmt: skip
    last = Trained(prev, weeks, None if rise is None else min(rise, weeks))
    out = settle(want, entry, last, last_steps * inc, look)
    assert out.load is not None and out.band is not None and out.count is not None
    assert abs(out.load / inc - round(out.load / inc)) < 1e-9
    ups = [out.count > prev_count, out.load > prev.load + 1e-9, out.band > prev_band]  # type: ignore[operator]
    assert sum(ups) <= 1
    if out.load > prev.load + 1e-9:  # type: ignore[operator]
        assert out.load <= prev.load * (1 + MAX_WEEKLY_RISE) + 1e-9  # type: ignore[operator]
    assert out.load <= max(last_steps * inc, last_steps * inc * (1 + MAX_WEEKLY_RISE)) + 1e-9
    if out.band > prev_band:
        assert out.band == prev_band + 1 and band_gap(ladder, prev_band) <= 1
        assert last.band_rise is None or last.weeks + 1 - last.band_rise >= 2
    if out.load > prev.load + 1e-9:  # type: ignore[operator]
        assert out.count <= min(prev_count, THRUST_RULE["low"])  # type: ignore[call-overload]
    assert out.load <= want.load and out.band <= want_band  # type: ignore[operator]
