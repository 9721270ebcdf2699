"""Whole-plan behaviour: phases, progression over weeks, deloads, determinism, JSON."""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from planner.errors import OptionError, ScheduleError
from planner.models import ExerciseLibrary, Plan, PlanOptions, Prescription, ProgramTemplate
from planner.models.adapt import Adjustment
from planner.models.common import DEFAULT_BANDS, LEVELS, WEEKDAYS
from planner.models.plan import PhaseLength, Session, StartLoad
from planner.models.program import ExerciseEntry
from planner.plan.generate import generate
from planner.plan.phases import reshape_weeks
from planner.plan.progression import HELD_BAND, MAX_WEEKLY_RISE, load_increment
from planner.templates import LoadedProgram, load_library, load_program
from planner.wording.plan import dose_text
from tests.conftest import SLUGS, PlanFactory
from tests.fuzzing import fuzz


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


@fuzz(40, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
    # ... except at a load the template writes (a phase's start, or its first training week
    # when it starts with a deload, which lightens what was trained) or the one first step.
    deloads = set(plan.deload_weeks)
    starts = {p.first_week for p in plan.phases} | {
        next((w for w in range(p.first_week, p.last_week + 1) if w not in deloads), 0)
        for p in plan.phases
    }
    stepped = {(s.week, rx.exercise) for s in plan.sessions for rx in s.exercises
               if any(n.startswith("A first step") for n in rx.notes)}  # fmt: skip
    for week in sorted(per_week):
        for ex, load in per_week[week].items():
            if ex in last and week not in starts and (week, ex) not in stepped:
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


# --- Week-over-week rules: one axis a week, band steps, holds, what the person managed -----


def training(plan: Plan, exercise: str) -> list[tuple[int, Prescription]]:
    """(week, prescription) of ``exercise`` in each non-deload week, first session only."""
    return [
        (s.week, rx)
        for s in plan.sessions
        if s.index == 1 and not s.deload
        for rx in s.exercises
        if rx.exercise == exercise
    ]


def count_of(rx: Prescription) -> int:
    return rx.reps or rx.steps or rx.seconds or 0


def band_index(plan: Plan, rx: Prescription) -> int | None:
    return None if rx.band is None else plan.bands.index(rx.band)


def rises(plan: Plan, a: Prescription, b: Prescription) -> list[str]:
    """The axes on which ``b`` is above ``a``: count, load and band."""
    out = []
    if count_of(b) > count_of(a):
        out.append("count")
    if a.load is not None and b.load is not None and b.load > a.load + 1e-9:
        out.append("load")
    ia, ib = band_index(plan, a), band_index(plan, b)
    if ia is not None and ib is not None and ib > ia:
        out.append("band")
    return out


def check_week_rules(plan: Plan) -> None:
    """Between consecutive training weeks of one exercise: at most one axis up, a band one
    rung and one standard colour at a time, at most once in two training weeks."""
    names = {rx.exercise for s in plan.sessions for rx in s.exercises}
    for name in names:
        weeks = training(plan, name)
        last_band_rise = -2
        for i, ((_, a), (wb, b)) in enumerate(itertools.pairwise(weeks)):
            up = rises(plan, a, b)
            assert len(up) <= 1, (name, wb, dose_text(a), dose_text(b))
            if "band" in up:
                assert a.band is not None and b.band is not None
                ia, ib = band_index(plan, a), band_index(plan, b)
                assert ia is not None and ib == ia + 1, (name, wb)
                if a.band in DEFAULT_BANDS and b.band in DEFAULT_BANDS:
                    assert DEFAULT_BANDS.index(b.band) - DEFAULT_BANDS.index(a.band) <= 1
                assert i - last_band_rise >= 2, (name, wb, "band rose twice in two weeks")
                last_band_rise = i


def check_everywhere(
    plan: Plan, increment: Callable[[str], float], lifted: Mapping[str, float] | None = None
) -> None:
    """Holds in whole 5 s, loads on the increment and never up > 10 % on last week.

    ``lifted`` gives loads below one increment that the person managed: a cap keeps those
    as lifted (rounding up would ask for more), so they need not be on the increment."""
    rxs = [rx for s in plan.sessions for rx in s.exercises]
    for rx in (*rxs, *plan.warmup.exercises, *plan.cooldown.exercises):
        if rx.seconds is not None:
            assert rx.seconds % 5 == 0 and rx.seconds >= 5, (rx.exercise, rx.seconds)
        if rx.load is not None and (lifted or {}).get(rx.exercise) != rx.load:
            step = increment(rx.exercise)
            assert abs(rx.load / step - round(rx.load / step)) < 1e-9, (rx.exercise, rx.load)
    last: dict[str, float] = {}
    # A load the template writes (a phase's start) and the one first step may rise more.
    # A deload week lightens what was last trained, so when a phase starts with one the
    # phase's own load arrives in its first training week.
    deloads = set(plan.deload_weeks)
    starts = {p.first_week for p in plan.phases} | {
        next((w for w in range(p.first_week, p.last_week + 1) if w not in deloads), 0)
        for p in plan.phases
    }
    for s in plan.sessions:
        if s.index != 1:
            continue
        for rx in s.exercises:
            if rx.load is not None:
                first = any(n.startswith("A first step") for n in rx.notes)
                if rx.exercise in last and s.week not in starts and not first:
                    assert rx.load <= last[rx.exercise] * (1 + MAX_WEEKLY_RISE) + 1e-9
                last[rx.exercise] = rx.load


class TestOneAxisAWeek:
    def test_hip_thrust_in_functional_starts_at_its_own_load(
        self, make_plan: PlanFactory, programs: dict[str, LoadedProgram]
    ) -> None:
        plan = make_plan("hip-knee")
        thrusts = training(plan, "hip-thrust")
        start = plan.phases[2].first_week
        strength_load = [rx.load for w, rx in thrusts if w < start][-1]
        functional = [rx for w, rx in thrusts if w >= start]
        entry = programs["hip-knee"].program.phases[2].exercises[4]
        rule = entry.progression[0]
        assert entry.exercise == "hip-thrust" and rule.kind == "load"
        # The template's 35 kg is more than +10 % on the strength phase, and it is the
        # template's own: the phase starts there and climbs the reps, load held.
        assert strength_load is not None and entry.load is not None
        assert entry.load > strength_load * 1.1
        assert all(rx.load == entry.load for rx in functional)
        assert [rx.reps for rx in functional] == [entry.reps + rule.step * i for i in range(3)]
        check_week_rules(plan)

    def test_small_steps_asked_small_steps_given(
        self, make_plan: PlanFactory, programs: dict[str, LoadedProgram]
    ) -> None:
        plan = make_plan("glute-back-safe", weeks=26)  # long enough for steps of its own
        starts = {p.first_week for p in plan.phases}  # loads the template writes
        loads = [(w, rx.load) for w, rx in training(plan, "hip-thrust") if rx.load is not None]
        steps = [b - a for (_, a), (w, b) in itertools.pairwise(loads) if b > a and w not in starts]
        assert steps and all(step == 2.5 for step in steps)  # one 2.5 kg increment each
        check_week_rules(plan)

    def test_a_refused_load_step_after_a_deload_holds_the_dose(
        self, library: ExerciseLibrary
    ) -> None:
        # 3 x 12 @ 30 kg, then a deload (27.5 kg): the next step, 32.5 kg, would be +18 %
        # on the deload week, so the week repeats 3 x 12 @ 30 instead of 3 x 8 @ 30.
        program = _one_phase(
            [
                {
                    "exercise": "hip-thrust",
                    "sets": 3,
                    "reps": 11,
                    "load": 30,
                    "increment": 2.5,
                    "progression": [{"kind": "load", "low": 8, "high": 12}],
                }
            ],
            deload={"every": None, "weeks": [3], "min_plan_weeks": 1},
        )
        plan = _generate(library, program)
        doses = [(s.deload, s.exercises[0].reps, s.exercises[0].load) for s in _firsts(plan)]
        assert doses[1] == (False, 12, 30) and doses[2][0] and doses[2][2] == 27.5
        assert doses[3] == (False, 12, 30) and doses[4] == (False, 8, 32.5)

    def test_no_rise_on_two_axes_at_any_level_or_unit(self, make_plan: PlanFactory) -> None:
        for slug, level, units in itertools.product(SLUGS, LEVELS, ("kg", "lb")):
            check_week_rules(make_plan(slug, level=level, units=units, weeks=12))


class TestBandSteps:
    def test_band_walk_phase_change_is_one_colour_with_steps_reset(
        self, make_plan: PlanFactory, programs: dict[str, LoadedProgram]
    ) -> None:
        plan = make_plan("hip-knee")
        walk = training(plan, "lateral-band-walk")
        functional = plan.phases[2].first_week
        before = [rx for w, rx in walk if w < functional][-1]
        first, second = [rx for w, rx in walk if w >= functional][:2]
        rule = programs["hip-knee"].program.phases[2].exercises[2].progression[0]
        assert rule.kind == "band"
        assert (before.band, first.band, second.band) == ("red", "green", "green")
        assert first.steps == rule.low and second.steps == rule.low + rule.step

    def test_owned_bands_far_apart_hold_with_a_note(self, make_plan: PlanFactory) -> None:
        note = (
            "Held at the tan band: your next band, gold, is much heavier; "
            "a yellow band would let you move on."
        )
        for slug in ("hip-knee", "runner-knee"):
            plan = make_plan(slug, bands=("tan", "gold"))
            banded = [rx for s in plan.sessions for rx in s.exercises if rx.band]
            assert banded and all(rx.band == "tan" for rx in banded)
            held = [rx for rx in banded if note in rx.notes]
            assert held and all(count_of(rx) == 20 for rx in held)

    def test_custom_band_names_climb_one_rung_at_a_time(self, make_plan: PlanFactory) -> None:
        plan = make_plan("hip-knee", bands=("light", "medium", "heavy", "x-heavy"), weeks=16)
        walk = [rx.band for _, rx in training(plan, "lateral-band-walk")]
        assert "medium" in walk
        check_week_rules(plan)

    def test_template_red_to_green_stays_one_rung_on_own_ladder(
        self, make_plan: PlanFactory
    ) -> None:
        plan = make_plan("hip-knee", bands=("yellow", "red", "green", "blue"))
        walk = training(plan, "lateral-band-walk")
        functional = plan.phases[2].first_week
        last = [rx.band for w, rx in walk if w < functional][-1]
        first = next(rx.band for w, rx in walk if w >= functional)
        assert (last, first) == ("red", "green")
        check_week_rules(plan)


class TestHolds:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_every_hold_is_whole_five_seconds(self, make_plan: PlanFactory, slug: str) -> None:
        for level in LEVELS:
            plan = make_plan(slug, level=level, weeks=12, avoid=("knee", "back"))
            rxs = [rx for s in plan.sessions for rx in s.exercises]
            rxs += [*plan.warmup.exercises, *plan.cooldown.exercises]
            holds = [rx.seconds for rx in rxs if rx.seconds is not None]
            assert holds and all(h % 5 == 0 and h >= 5 for h in holds)

    def test_deload_plank_rounded_down(self, make_plan: PlanFactory) -> None:
        plan = make_plan("glute-back-safe")
        week = plan.deload_weeks[0]
        before = next(
            rx
            for s in plan.sessions
            if s.week == week - 1
            for rx in s.exercises
            if rx.exercise == "plank"
        )
        light = next(
            rx
            for s in plan.sessions
            if s.week == week
            for rx in s.exercises
            if rx.exercise == "plank"
        )
        assert before.seconds is not None and light.seconds is not None
        assert before.seconds % 5 == 0 and light.seconds % 5 == 0
        assert light.seconds < before.seconds and light.sets < before.sets


def _regress(week: int, phase: str, slot: int, **managed: object) -> Adjustment:
    return Adjustment(
        week=week,
        kind="regress",
        phase=phase,
        slot=slot,
        exercise="x",
        rule="§3 rule 3",
        reason="pain above 5 during the exercise",
        **managed,  # type: ignore[arg-type]
    )


class TestRegressToWhatWasManaged:
    """Adjustments built by hand: the generator honours ``load`` and ``band``."""

    def build(
        self,
        library: ExerciseLibrary,
        programs: dict[str, LoadedProgram],
        *adjustments: Adjustment,
        slug: str = "hip-knee",
        **options: object,
    ) -> Plan:
        fields: dict[str, object] = {"start": dt.date(2026, 12, 7), "days": ("mon", "wed", "fri")}
        fields.update(options)
        program = programs[slug].program
        return generate(slug, program, library.by_id(), PlanOptions(**fields), adjustments)  # type: ignore[arg-type]

    def test_below_the_start_the_load_is_what_was_lifted(
        self, library: ExerciseLibrary, programs: dict[str, LoadedProgram]
    ) -> None:
        # weeks=12: strength is weeks 4-8, its first week is 3 x 10 @ 30 kg. A step back in
        # week 6 (after the week-5 deload) goes below the start: one set fewer.
        plain = self.build(library, programs, _regress(6, "strength", 0), weeks=12)
        managed = self.build(library, programs, _regress(6, "strength", 0, load=26), weeks=12)
        before = dict(training(plain, "hip-thrust"))
        after = dict(training(managed, "hip-thrust"))
        assert (before[6].sets, before[6].load) == (2, 30)
        assert (after[6].sets, after[6].reps, after[6].load) == (2, before[6].reps, 25)
        # Then it climbs from 25 kg by the usual rules: the sets come back, reps go up.
        assert (after[7].sets, after[7].load) == (3, 25)
        assert after[8].load == 25 and after[8].reps > after[7].reps  # type: ignore[operator]
        check_week_rules(managed)
        loads = [rx.load for w, rx in sorted(after.items()) if w >= 6]
        for a, b in itertools.pairwise(loads):
            assert b <= a * (1 + MAX_WEEKLY_RISE) + 1e-9  # type: ignore[operator]

    def test_mid_ladder_step_back_at_the_managed_load(
        self, library: ExerciseLibrary, programs: dict[str, LoadedProgram]
    ) -> None:
        plain = self.build(library, programs, weeks=12)
        managed = self.build(library, programs, _regress(7, "strength", 0, load=27.5), weeks=12)
        before, after = dict(training(plain, "hip-thrust")), dict(training(managed, "hip-thrust"))
        assert before[6].load == 30 and after[7].load == 27.5
        # One step back from week 6 is the dose before it (week 4; week 5 is a deload).
        assert after[7].reps == before[4].reps < before[6].reps  # type: ignore[operator]
        assert after[8].load == 27.5 and after[8].reps > after[7].reps  # type: ignore[operator]
        check_week_rules(managed)

    def test_never_above_the_prescription(
        self, library: ExerciseLibrary, programs: dict[str, LoadedProgram]
    ) -> None:
        plain = self.build(library, programs, _regress(7, "strength", 0), weeks=12)
        managed = self.build(library, programs, _regress(7, "strength", 0, load=80), weeks=12)
        assert training(plain, "hip-thrust") == training(managed, "hip-thrust")

    def test_band_steps_back_to_the_band_used(
        self, library: ExerciseLibrary, programs: dict[str, LoadedProgram]
    ) -> None:
        # runner-knee: the band walk is red in the strength phase (slot 3, weeks 3-4).
        plain = self.build(library, programs, slug="runner-knee")
        slot = [rx.exercise for rx in plain.sessions[6].exercises].index("lateral-band-walk")
        adj = _regress(4, "strength", slot, band="yellow")
        managed = self.build(library, programs, adj, slug="runner-knee")
        walk = dict(training(managed, "lateral-band-walk"))
        assert dict(training(plain, "lateral-band-walk"))[4].band == "red"
        assert walk[4].band == "yellow"
        check_week_rules(managed)

    def test_band_off_the_ladder_caps_at_the_lightest(
        self, library: ExerciseLibrary, programs: dict[str, LoadedProgram]
    ) -> None:
        # A band the ladder does not hold (renamed bands in a later revision) has no known
        # weight: the step back goes to the lightest band, never to the unchanged one.
        plain = self.build(library, programs, _regress(4, "strength", 3), slug="runner-knee")
        odd = self.build(
            library, programs, _regress(4, "strength", 3, band="purple"), slug="runner-knee"
        )
        lightest = odd.band_ladder()[0]
        assert dict(training(plain, "lateral-band-walk"))[4].band != lightest
        assert dict(training(odd, "lateral-band-walk"))[4].band == lightest
        check_week_rules(odd)


# --- Random templates and options ----------------------------------------------------------

# Loaded once for the property tests (a fixture would be printed whole on a failure).
LIBRARY = load_library()

# Exercises by how they are dosed; loads have no template increment, so the equipment's
# step applies (barbell 2.5 kg / 5 lb, dumbbell 2 kg / 5 lb, other 1 kg / 2.5 lb).
LOADED = ("hip-thrust", "romanian-deadlift", "single-leg-deadlift", "step-up")
BANDED = (
    "lateral-band-walk",
    "banded-glute-bridge",
    "banded-clamshell",
    "standing-band-abduction",
    "banded-hip-thrust",
)
HOLDS = ("plank", "side-plank", "wall-sit", "isometric-bridge-hold", "single-leg-stance")
PLAIN = ("clamshell", "glute-bridge", "wall-squat", "step-down", "russian-twist")


@st.composite
def entries(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(["loaded", "banded", "hold", "plain"]))
    sets = draw(st.integers(1, 4))
    rules: list[dict[str, object]] = []
    if draw(st.booleans()):
        rules.append(
            {
                "kind": "sets",
                "at_weeks": draw(st.lists(st.integers(2, 4), min_size=1, max_size=2, unique=True)),
            }
        )
    if kind == "hold":
        seconds = draw(st.integers(10, 60))  # odd values too; 1 x 5 s has nothing to cut
        rules.append(
            {
                "kind": "hold",
                "step": draw(st.integers(1, 10)),
                "cap": draw(st.integers(seconds, 90)),
            }
        )
        return {
            "exercise": draw(st.sampled_from(HOLDS)),
            "sets": sets,
            "seconds": seconds,
            "progression": rules,
        }
    low = draw(st.integers(5, 15))
    high = draw(st.integers(low, low + 10))
    count = draw(st.integers(low, high))
    step = draw(st.integers(1, 5))
    if kind == "plain":
        name = draw(st.sampled_from(PLAIN))
        rules.append({"kind": "reps", "step": step, "cap": high})
        return {"exercise": name, "sets": sets, "reps": count, "progression": rules}
    if kind == "banded":
        name = draw(st.sampled_from(BANDED))
        field = "steps" if name == "lateral-band-walk" else "reps"
        rules.append({"kind": "band", "low": low, "high": high, "step": step})
        return {
            "exercise": name,
            "sets": sets,
            field: count,
            "progression": rules,
            "band": draw(st.sampled_from(DEFAULT_BANDS)),
        }
    name = draw(st.sampled_from(LOADED))
    load = draw(st.integers(1, 40)) * {"hip-thrust": 2.5, "step-up": 1.0}.get(name, 2.0)
    if draw(st.booleans()):
        rules.append(
            {
                "kind": "load",
                "low": low,
                "high": high,
                "step": step,
                "increase": draw(st.floats(0.02, 0.10)),
            }
        )
    else:
        rules.append({"kind": "reps", "step": step, "cap": high})
    return {"exercise": name, "sets": sets, "reps": count, "load": load, "progression": rules}


@st.composite
def programs_(draw: st.DrawFn) -> ProgramTemplate:
    phases = []
    for i in range(draw(st.integers(1, 3))):
        exercises = draw(
            st.lists(entries(), min_size=1, max_size=4, unique_by=lambda e: e["exercise"])
        )
        phases.append(
            {
                "name": f"phase-{'abc'[i]}",
                "goal": "Test.",
                "weeks": draw(st.integers(1, 4)),
                "sessions_per_week": draw(st.integers(1, 3)),
                "rpe": [6, 7],
                "rest": 60,
                "exercises": exercises,
            }
        )
    deload = draw(
        st.none()
        | st.fixed_dictionaries(
            {
                "every": st.integers(2, 5),
                "min_plan_weeks": st.just(1),
                "volume_cut": st.floats(0.4, 0.6),
                "load_cut": st.floats(0.0, 0.2),
                "band_down": st.integers(0, 2),
            }
        )
    )
    return _template(phases, deload)


LADDERS = st.one_of(
    st.none(),
    st.lists(st.sampled_from(DEFAULT_BANDS), min_size=1, unique=True).map(
        lambda b: tuple(sorted(b, key=DEFAULT_BANDS.index))
    ),
    st.just(("light", "medium", "heavy", "x-heavy")),
    st.just(("yellow", "my-own", "gold")),
)


@fuzz(150)
@given(
    program=programs_(),
    level=st.sampled_from(LEVELS),
    units=st.sampled_from(["kg", "lb"]),
    bands=LADDERS,
)
def test_random_templates_keep_the_week_over_week_rules(
    program: ProgramTemplate, level: str, units: str, bands: tuple[str, ...] | None
) -> None:
    library = LIBRARY
    try:
        plan = _generate(library, program, level=level, units=units, bands=bands)
    except OptionError as exc:
        # A ladder whose lightest colour is heavier than a band the template prescribes
        # is refused rather than starting the person heavier (issue 15).
        assert bands and bands[0] in DEFAULT_BANDS, exc
        used = {
            b
            for p in program.phases
            for e in p.exercises
            for b in (e.band, *(x.band for x in e.pins))
        }
        lightest = DEFAULT_BANDS.index(bands[0])
        assert any(b in DEFAULT_BANDS and DEFAULT_BANDS.index(b) < lightest for b in used)
        assert "--bands:" in str(exc)
        return
    check_week_rules(plan)
    check_everywhere(plan, lambda ex: step_of(library, ex, units))
    vol = weekly_volume(plan)
    for w in plan.deload_weeks:
        if w > 1 and _same_phase(plan, w - 1, w) and w - 1 not in plan.deload_weeks:
            assert vol[w] < vol[w - 1]
    assert _generate(library, program, level=level, units=units, bands=bands) == plan


@fuzz(60)
@given(
    slug=st.sampled_from(SLUGS),
    week=st.integers(2, 8),
    slot=st.integers(0, 5),
    load=st.none() | st.floats(1, 60),
    band=st.none() | st.sampled_from(DEFAULT_BANDS),
)
# 1 kg managed on a 2.5 kg step: kept at 1 kg, never rounded up to the step.
@example(slug="glute-back-safe", week=3, slot=0, load=1.0, band=None)
def test_regress_never_above_what_was_managed(
    slug: str, week: int, slot: int, load: float | None, band: str | None
) -> None:
    library = LIBRARY
    program = load_program(slug, library).program
    options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
    base = generate(slug, program, library.by_id(), options)
    week = min(week, base.weeks)
    session = next(s for s in base.sessions if s.week == week)
    phase = next(p for p in program.phases if p.name == session.phase)
    slot = slot % len(phase.exercises)
    adj = _regress(week, phase.name, slot, load=load, band=band)
    plan = generate(slug, program, library.by_id(), options, (adj,))
    rx = next(s for s in plan.sessions if s.week == week).exercises[slot]
    before = session.exercises[slot]
    lifted: dict[str, float] = {}
    if load is not None and rx.load is not None:
        entry = phase.exercises[slot]
        step = load_increment(library.by_id()[entry.exercise], entry, plan.units)
        # Never more than they lifted, not even by rounding up to one step.
        assert rx.load <= load + 1e-9 and rx.load <= before.load  # type: ignore[operator]
        if load < step:
            lifted[rx.exercise] = load
    if band is not None and rx.band is not None:
        assert DEFAULT_BANDS.index(rx.band) <= DEFAULT_BANDS.index(band)
    check_week_rules(plan)
    check_everywhere(plan, lambda ex: step_of(library, ex, plan.units), lifted)


def step_of(library: ExerciseLibrary, exercise: str, units: str) -> float:
    """An exercise's load step when the template gives none: by its equipment."""
    entry = ExerciseEntry(exercise=exercise, sets=1, reps=1)
    return load_increment(library.by_id()[exercise], entry, units)


def _template(phases: list[dict[str, object]], deload: object = None) -> ProgramTemplate:
    return ProgramTemplate.model_validate(
        {
            "title": "Test",
            "summary": "A test template.",
            "sources": [{"ref": "test", "supports": "test"}],
            "warmup": {"minutes": 5},
            "cooldown": {
                "minutes": 5,
                "exercises": [{"exercise": "quad-stretch", "sets": 2, "seconds": 27}],
            },
            "phases": phases,
            "deload": deload,
        }
    )


def _one_phase(exercises: list[dict[str, object]], deload: object = None) -> ProgramTemplate:
    phase = {
        "name": "strength",
        "goal": "Test.",
        "weeks": 6,
        "sessions_per_week": 1,
        "rpe": [7, 8],
        "rest": 60,
        "exercises": exercises,
    }
    return _template([phase], deload)


def _generate(library: ExerciseLibrary, program: ProgramTemplate, **options: object) -> Plan:
    fields: dict[str, object] = {"start": dt.date(2026, 12, 7), "days": ("mon", "wed", "fri")}
    fields.update(options)
    return generate("test", program, library.by_id(), PlanOptions(**fields))  # type: ignore[arg-type]


def _firsts(plan: Plan) -> list[Session]:
    return [s for s in plan.sessions if s.index == 1]
