"""Whole-plan behaviour: phases, progression over weeks, deloads, determinism, JSON."""

import datetime as dt
import itertools
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import OptionError, ScheduleError
from planner.models import Plan
from planner.models.common import LEVELS, WEEKDAYS
from planner.models.plan import PhaseLength, StartLoad
from planner.phases import reshape_weeks
from planner.progression import HELD_BAND, MAX_WEEKLY_RISE
from planner.text import dose_text
from tests.conftest import SLUGS, PlanFactory


def weekly_volume(plan: Plan) -> dict[int, float]:
    first = {}
    for s in plan.sessions:
        first.setdefault(s.week, s)
    return {
        w: sum(rx.sets * (rx.reps or rx.steps or rx.seconds or 0) for rx in s.exercises)
        for w, s in first.items()
    }


class TestHipKnee:
    def test_shape(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        assert plan.weeks == 8 and len(plan.sessions) == 24
        assert [p.name for p in plan.phases] == ["activation", "strength", "functional"]
        assert plan.sessions[0].slot == "W1S1" and plan.sessions[-1].slot == "W8S3"

    def test_hip_thrust_double_progression(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=12)
        doses = [
            (s.week, rx.reps, rx.load)
            for s in plan.sessions
            if s.index == 1 and not s.deload
            for rx in s.exercises
            if rx.exercise == "hip-thrust" and s.phase == "strength"
        ]
        reps = [r for _, r, _ in doses]
        loads = [x for _, _, x in doses]
        assert reps[:3] == [10, 11, 12]
        assert loads[2] == 30 and loads[3] == 32.5 and reps[3] == 8

    def test_deload_week_is_lighter_and_marked(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        assert plan.deload_weeks == (5,)
        vol = weekly_volume(plan)
        assert vol[5] < 0.65 * vol[4]
        week5 = [s for s in plan.sessions if s.week == 5]
        assert all(s.deload and s.rpe[1] <= 6 for s in week5)

    def test_six_week_plan_has_no_planned_deload(self, make_plan: PlanFactory) -> None:
        assert make_plan("runner-knee").deload_weeks == ()

    def test_knee_exercise_present(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        assert any(rx.exercise in {"wall-squat", "step-down", "wall-sit"}
                   for s in plan.sessions for rx in s.exercises)  # fmt: skip

    def test_band_moves_up_after_top_of_range(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=12)
        walk = [
            (rx.steps, rx.band)
            for s in plan.sessions
            if s.index == 1 and s.phase == "strength" and not s.deload
            for rx in s.exercises
            if rx.exercise == "lateral-band-walk"
        ]
        assert walk[:3] == [(15, "red"), (20, "red"), (10, "green")]

    def test_variant_rule_switches_exercise(self, make_plan: PlanFactory) -> None:
        plan = make_plan("glute-knee-friendly")
        functional = [s for s in plan.sessions if s.phase == "functional" and s.index == 1]
        names = [next(rx.exercise for rx in s.exercises if "side-plank" in rx.exercise)
                 for s in functional]  # fmt: skip
        assert names == ["side-plank-knees", "side-plank-knees", "side-plank"]

    def test_timed_options_kept(self, make_plan: PlanFactory) -> None:
        plan = make_plan(time=dt.time(18), tz="Europe/Berlin", duration=45)
        assert all(s.minutes == 45 for s in plan.sessions)


class TestReshape:
    def test_proportional(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=12)
        assert [(p.first_week, p.last_week) for p in plan.phases] == [(1, 3), (4, 8), (9, 12)]

    def test_too_few_weeks(self, make_plan: PlanFactory) -> None:
        with pytest.raises(OptionError, match="--weeks: 2 is out of range; give 3"):
            make_plan(weeks=2)

    def test_too_few_days(self, make_plan: PlanFactory) -> None:
        with pytest.raises(ScheduleError, match="needs 3 sessions a week"):
            make_plan(days=("mon", "thu"))

    @given(total=st.integers(3, 520), parts=st.lists(st.integers(1, 20), min_size=1, max_size=3))
    def test_sums_and_keeps_every_phase(self, total: int, parts: list[int]) -> None:
        from planner.models.program import Phase

        phases = tuple(Phase.model_construct(weeks=n) for n in parts)
        out = reshape_weeks(phases, total)
        assert sum(out) == total and min(out) >= 1


def test_deterministic(make_plan: PlanFactory) -> None:
    assert make_plan().model_dump_json() == make_plan().model_dump_json()


@pytest.mark.parametrize("slug", SLUGS)
def test_json_round_trips_exactly(make_plan: PlanFactory, slug: str) -> None:
    plan = make_plan(slug, time=dt.time(7, 30), tz="America/New_York", duration=30)
    text = plan.model_dump_json(indent=2)
    again = Plan.model_validate_json(text)
    assert again == plan and again.model_dump_json(indent=2) == text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    slug=st.sampled_from(SLUGS),
    weeks=st.integers(3, 60),
    start=st.dates(dt.date(2024, 1, 1), dt.date(2035, 12, 31)),
    days=st.sets(st.sampled_from(WEEKDAYS), min_size=3, max_size=7),
    units=st.sampled_from(["kg", "lb"]),
    level=st.sampled_from(LEVELS),
)
def test_plan_invariants(
    make_plan: PlanFactory,
    slug: str,
    weeks: int,
    start: dt.date,
    days: set[str],
    units: str,
    level: str,
) -> None:
    codes = tuple(d for d in WEEKDAYS if d in days)
    plan = make_plan(slug, weeks=weeks, start=start, days=codes, units=units, level=level)
    dates = [s.date for s in plan.sessions]
    assert all(WEEKDAYS[d.weekday()] in codes for d in dates)
    assert all(a < b for a, b in itertools.pairwise(dates))
    assert plan.weeks == weeks
    # Loads: multiples of the smallest increment in use (0.5 kg, 2.5 lb), never > +10 %
    # week over week.
    step = 0.5 if units == "kg" else 2.5
    last: dict[str, float] = {}
    per_week: dict[int, dict[str, float]] = defaultdict(dict)
    for s in plan.sessions:
        for rx in s.exercises:
            if rx.load is not None:
                assert abs(rx.load / step - round(rx.load / step)) < 1e-9
                assert rx.unit == units
                per_week[s.week][rx.exercise] = rx.load
    for week in sorted(per_week):
        for ex, load in per_week[week].items():
            if ex in last:
                assert load <= last[ex] * (1 + MAX_WEEKLY_RISE) + 1e-9
            last[ex] = load
    vol = weekly_volume(plan)
    for w in plan.deload_weeks:
        if w > 1 and plan.sessions and _same_phase(plan, w - 1, w):
            assert vol[w] < vol[w - 1]


def _same_phase(plan: Plan, a: int, b: int) -> bool:
    return any(p.first_week <= a and b <= p.last_week for p in plan.phases)


class TestPersonal:
    def test_level_starts_further_up_the_same_ladder(self, make_plan: PlanFactory) -> None:
        # runner-knee has no planned deloads, so phase week 3 of a beginner is the week an
        # intermediate (two progression weeks ahead) starts with.
        three = (PhaseLength(phase="activation", weeks=3),)
        beginner = make_plan("runner-knee", phase_weeks=three)
        intermediate = make_plan("runner-knee", phase_weeks=three, level="intermediate")
        week3 = [dose_text(rx) for rx in beginner.sessions[6].exercises]
        assert [dose_text(rx) for rx in intermediate.sessions[0].exercises] == week3
        assert week3 != [dose_text(rx) for rx in beginner.sessions[0].exercises]

    def test_own_starting_load_is_kept_at_any_level(self, make_plan: PlanFactory) -> None:
        loads = (StartLoad(exercise="hip-thrust", value=40, unit="kg"),)
        plan = make_plan("hip-knee", loads=loads, level="advanced")
        first = next(s for s in plan.sessions if s.phase == "strength").exercises[0]
        assert (first.exercise, first.load, first.unit) == ("hip-thrust", 40, "kg")

    def test_pounds_on_pound_plates(self, make_plan: PlanFactory) -> None:
        plan = make_plan("hip-knee", units="lb")
        assert plan.units == "lb"
        thrusts = [r for s in plan.sessions for r in s.exercises if r.exercise == "hip-thrust"]
        assert thrusts[0].load == 65 and all(r.load % 5 == 0 for r in thrusts)  # type: ignore[operator]

    def test_own_band_ladder_only_and_held_at_its_top(self, make_plan: PlanFactory) -> None:
        plan = make_plan("runner-knee", bands=("yellow", "red"))
        bands = {r.band for s in plan.sessions for r in s.exercises if r.band}
        assert bands == {"yellow", "red"}
        held = [r for s in plan.sessions for r in s.exercises if HELD_BAND in r.notes]
        assert held and all(r.band == "red" for r in held)
