"""Each progression rule alone, then the invariants that hold for any input."""

from hypothesis import given
from hypothesis import strategies as st

from planner.models.program import Deload
from planner.models.rules import BandRule, HoldRule, LoadRule, RepsRule, SetsRule, VariantRule
from planner.progression import (
    HELD_BAND,
    HELD_LOAD,
    MAX_WEEKLY_RISE,
    Dose,
    cap_rise,
    deload,
    next_load,
    progress_band,
    progress_hold,
    progress_load,
    progress_reps,
    progress_sets,
    progress_variant,
    round_load,
)

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
        nxt = progress_band(dose, self.RULE, 2, ladder_size=8)
        assert (nxt.count, nxt.band) == (15, 1)

    def test_top_of_range_moves_band_and_resets_reps(self) -> None:
        dose = Dose(exercise="x", sets=2, count=20, band=1)
        nxt = progress_band(dose, self.RULE, 2, ladder_size=8)
        assert (nxt.count, nxt.band) == (10, 2)

    def test_top_band_holds(self) -> None:
        dose = Dose(exercise="x", sets=2, count=20, band=7)
        nxt = progress_band(dose, self.RULE, 2, ladder_size=8)
        assert (nxt.count, nxt.band, nxt.held) == (20, 7, HELD_BAND)


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
    if nxt is not None:
        assert abs(nxt / inc - round(nxt / inc)) < 1e-6
        assert current < nxt <= current * (1 + MAX_WEEKLY_RISE) + 1e-9


@given(prev=loads, new=loads)
def test_cap_rise_never_allows_more_than_ten_percent(prev: float, new: float) -> None:
    capped = cap_rise(prev, new, 2.5)
    assert capped <= max(prev, prev * (1 + MAX_WEEKLY_RISE)) + 1e-9
    assert capped <= new
