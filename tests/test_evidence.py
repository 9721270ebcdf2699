"""evidence: the log judged against the plan, and the limits read from what was done."""

import datetime as dt

from planner.models.adapt import AdaptSettings
from planner.models.log import Checkin, LogEntry, Logged
from planner.models.plan import Plan, Session
from planner.training.evidence import (
    Evidence,
    JudgedLog,
    band_rank,
    dose_limits,
    managed,
    managed_limits,
    mornings_of,
    own_streak,
    streak,
    tighter,
    worst_mornings,
)
from planner.training.logbook import prescribed
from planner.training.safety_state import newest
from planner.training.verdict import Mornings, Verdict, VerdictKind
from tests.conftest import PlanFactory
from tests.doses import entry, rx

LADDER = ("tan", "yellow", "red", "green", "blue")
DAY = dt.date(2026, 12, 7)  # W1S1 of the default plan (Mon/Wed/Fri from 2026-12-07)
SETTINGS = AdaptSettings()


def checkin(day: dt.date, pain: int) -> Checkin:
    return Checkin(date=day, morning_pain=pain)


def session(**fields: object) -> Session:
    data: dict[str, object] = {"slot": "W1S1", "week": 1, "index": 1, "phase": "base"}
    data.update(date=DAY, minutes=30, rpe=(5.0, 6.0), exercises=(rx(),))
    data.update(fields)
    return Session(**data)  # type: ignore[arg-type]


def evidence(kind: VerdictKind, morning_rose: bool = False) -> Evidence:
    verdict = Verdict(kind, "why", "rule", morning_rose=morning_rose)
    return Evidence(session(), rx(), entry(), verdict)


def first_session(plan: Plan, slot: str) -> Session:
    return next(s for s in plan.sessions if s.slot == slot)


def as_logged(plan: Plan, slot: str, index: int = 0, **fields: object) -> LogEntry:
    """The exercise at ``index`` of session ``slot`` logged as prescribed, with ``fields``."""
    done = first_session(plan, slot).exercises[index]
    data: dict[str, object] = {"slot": slot, "exercise": done.exercise, "done": prescribed(done)}
    data.update(load=done.load, unit=done.unit, band=done.band, pain=1)
    data.update(fields)
    return LogEntry(**data)  # type: ignore[arg-type]


def track(log: JudgedLog, plan: Plan, slot: str, index: int) -> list[Evidence]:
    """The judged entries of one exercise slot (the position ``index`` in its phase)."""
    return log.by_entry.get((first_session(plan, slot).phase, index), [])


class TestWorstMornings:
    def test_the_worst_check_in_of_a_day_counts(self) -> None:
        days = worst_mornings([checkin(DAY, 2), checkin(DAY, 5), checkin(DAY, 3)])
        assert days == {DAY: 5}

    def test_each_day_is_kept(self) -> None:
        later = DAY + dt.timedelta(1)
        assert worst_mornings([checkin(DAY, 0), checkin(later, 4)]) == {DAY: 0, later: 4}

    def test_no_check_ins_no_mornings(self) -> None:
        assert worst_mornings([]) == {}


class TestMorningsOf:
    def test_the_morning_of_the_session_and_the_next_one(self) -> None:
        mornings = {DAY: 2, DAY + dt.timedelta(1): 4}
        assert mornings_of(mornings, DAY) == Mornings(before=2, after=4)

    def test_the_latest_earlier_morning_is_the_baseline(self) -> None:
        mornings = {DAY - dt.timedelta(5): 1, DAY - dt.timedelta(2): 3}
        assert mornings_of(mornings, DAY).before == 3

    def test_a_baseline_a_week_old_still_counts(self) -> None:
        assert mornings_of({DAY - dt.timedelta(7): 2}, DAY).before == 2

    def test_a_baseline_older_than_a_week_does_not(self) -> None:
        assert mornings_of({DAY - dt.timedelta(8): 2}, DAY) == Mornings()

    def test_a_later_morning_is_no_baseline(self) -> None:
        assert mornings_of({DAY + dt.timedelta(2): 6}, DAY) == Mornings()


class TestBandRank:
    def test_a_band_on_the_ladder_is_ranked_by_its_place(self) -> None:
        assert [band_rank(b, LADDER) for b in ("tan", "red", "blue")] == [0, 2, 4]

    def test_no_band_and_an_unknown_band_rank_below_the_ladder(self) -> None:
        assert band_rank(None, LADDER) == band_rank("purple", LADDER) == -1


class TestManaged:
    def test_all_of_it_done_is_the_prescription(self) -> None:
        assert managed(rx(), entry(), LADDER) == rx()

    def test_fewer_sets_done_are_the_sets(self) -> None:
        assert managed(rx(), entry(10, 10), LADDER).sets == 2

    def test_extra_sets_do_not_raise_the_sets(self) -> None:
        assert managed(rx(), entry(10, 10, 10, 10, 10), LADDER).sets == 3

    def test_the_best_set_is_the_amount(self) -> None:
        assert managed(rx(), entry(6, 8, 7), LADDER).reps == 8

    def test_more_reps_than_asked_do_not_raise_the_amount(self) -> None:
        assert managed(rx(), entry(15, 15, 15), LADDER).reps == 10

    def test_nothing_done_still_leaves_one_of_each(self) -> None:
        got = managed(rx(), entry(0), LADDER)
        assert (got.sets, got.reps) == (1, 1)

    def test_a_hold_is_managed_in_seconds(self) -> None:
        got = managed(rx(reps=None, seconds=30), entry(25, 30), LADDER)
        assert (got.sets, got.seconds, got.reps) == (2, 30, None)

    def test_a_walk_is_managed_in_steps(self) -> None:
        got = managed(rx(reps=None, steps=15), entry(12, 12, 12), LADDER)
        assert (got.steps, got.reps) == (12, None)

    def test_a_lighter_load_is_the_load(self) -> None:
        assert managed(rx(load=10, unit="kg"), entry(load=7.5, unit="kg"), LADDER).load == 7.5

    def test_a_heavier_load_does_not_raise_it(self) -> None:
        assert managed(rx(load=10, unit="kg"), entry(load=15, unit="kg"), LADDER).load == 10

    def test_no_load_logged_keeps_the_prescribed_one(self) -> None:
        assert managed(rx(load=10, unit="kg"), entry(), LADDER).load == 10

    def test_a_load_logged_where_none_was_asked_adds_none(self) -> None:
        assert managed(rx(), entry(load=5, unit="kg"), LADDER).load is None

    def test_a_lighter_band_is_the_band(self) -> None:
        assert managed(rx(band="red"), entry(band="yellow"), LADDER).band == "yellow"

    def test_a_heavier_band_does_not_raise_it(self) -> None:
        assert managed(rx(band="red"), entry(band="blue"), LADDER).band == "red"

    def test_no_band_logged_keeps_the_prescribed_one(self) -> None:
        assert managed(rx(band="red"), entry(), LADDER).band == "red"


class TestDoseLimits:
    def test_reps_are_a_count(self) -> None:
        assert dose_limits(rx()) == {"sets": 3, "count": 10}

    def test_steps_are_a_count(self) -> None:
        assert dose_limits(rx(reps=None, steps=15)) == {"sets": 3, "count": 15}

    def test_seconds_are_seconds(self) -> None:
        assert dose_limits(rx(reps=None, seconds=30)) == {"sets": 3, "seconds": 30}

    def test_load_and_band_only_when_prescribed(self) -> None:
        limits = dose_limits(rx(load=20, unit="kg", band="red"))
        assert limits == {"sets": 3, "count": 10, "load": 20, "band": "red"}


class TestManagedLimits:
    def test_the_limits_are_what_was_done_last_time(self) -> None:
        last = Evidence(
            session(),
            rx(load=10, unit="kg"),
            entry(8, 6, load=8, unit="kg"),
            Verdict("hard", "", ""),
        )
        assert managed_limits(last, LADDER) == {"sets": 2, "count": 8, "load": 8}


class TestTighter:
    def test_the_lower_number_wins_part_by_part(self) -> None:
        a = {"sets": 3, "count": 8, "load": 20.0}
        b = {"sets": 2, "count": 10, "load": 17.5}
        assert tighter(a, b, LADDER) == {"sets": 2, "count": 8, "load": 17.5}

    def test_a_part_only_one_side_has_is_kept(self) -> None:
        assert tighter({"sets": 3}, {"seconds": 20}, LADDER) == {"sets": 3, "seconds": 20}

    def test_the_lighter_band_wins_by_the_ladder(self) -> None:
        assert tighter({"band": "red"}, {"band": "yellow"}, LADDER) == {"band": "yellow"}
        assert tighter({"band": "yellow"}, {"band": "blue"}, LADDER) == {"band": "yellow"}

    def test_the_ladder_not_the_alphabet_orders_bands(self) -> None:
        # "blue" < "tan" by letters; by the ladder tan is the lighter one.
        assert tighter({"band": "tan"}, {"band": "blue"}, LADDER) == {"band": "tan"}

    def test_the_first_limits_are_not_changed(self) -> None:
        a: dict[str, object] = {"sets": 3}
        tighter(a, {"sets": 1, "count": 5}, LADDER)
        assert a == {"sets": 3}


class TestStreak:
    def test_counts_the_latest_run(self) -> None:
        run = [evidence("regress"), evidence("ready"), evidence("ready"), evidence("ready")]
        assert streak(run, ("ready",)) == 3

    def test_stops_at_the_latest_other_verdict(self) -> None:
        assert streak([evidence("ready"), evidence("ready"), evidence("hold")], ("ready",)) == 0

    def test_any_of_the_kinds_counts(self) -> None:
        run = [evidence("ready"), evidence("hold"), evidence("hard")]
        assert streak(run, ("hold", "hard")) == 2

    def test_no_evidence_no_streak(self) -> None:
        assert streak([], ("ready",)) == 0


class TestOwnStreak:
    def test_step_backs_in_a_row_count(self) -> None:
        assert own_streak([evidence("ready"), evidence("regress"), evidence("regress")]) == 2

    def test_a_worse_morning_is_not_the_exercises_own(self) -> None:
        run = [evidence("regress"), evidence("regress", morning_rose=True), evidence("regress")]
        assert own_streak(run) == 1

    def test_a_hold_ends_it(self) -> None:
        assert own_streak([evidence("regress"), evidence("hold")]) == 0


class TestJudgedLog:
    def test_each_entry_is_judged_against_its_session(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        target = first_session(plan, "W1S1").rpe[1]
        log = JudgedLog(
            plan,
            [as_logged(plan, "W1S1", rpe=target), as_logged(plan, "W1S2", rpe=target + 2)],
            [],
            SETTINGS,
        )
        assert [e.verdict.kind for e in track(log, plan, "W1S1", 0)] == ["ready", "hard"]
        assert [e.session.slot for e in log.by_week[1]] == ["W1S1", "W1S2"]

    def test_entries_of_a_slot_are_in_date_order(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        late, early = as_logged(plan, "W1S3"), as_logged(plan, "W1S1")
        log = JudgedLog(plan, [late, early], [], SETTINGS)
        assert [e.session.slot for e in track(log, plan, "W1S1", 0)] == ["W1S1", "W1S3"]

    def test_exercises_are_kept_apart_by_their_place(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        log = JudgedLog(
            plan, [as_logged(plan, "W1S1", 0), as_logged(plan, "W1S1", 2)], [], SETTINGS
        )
        exercises = first_session(plan, "W1S1").exercises
        assert [e.rx for e in track(log, plan, "W1S1", 2)] == [exercises[2]]
        assert track(log, plan, "W1S1", 1) == []

    def test_the_next_morning_is_part_of_the_verdict(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        mornings = [checkin(DAY, 2), checkin(DAY, 1), checkin(DAY + dt.timedelta(1), 4)]
        log = JudgedLog(plan, [as_logged(plan, "W1S1")], mornings, SETTINGS)
        [judged] = track(log, plan, "W1S1", 0)
        assert judged.verdict.morning_rose

    def test_an_entry_for_a_session_no_longer_planned_is_left_out(
        self, make_plan: PlanFactory
    ) -> None:
        plan = make_plan()
        gone = as_logged(plan, "W1S1", pain=6).model_copy(update={"slot": "W99S1"})
        log = JudgedLog(plan, [gone], [], SETTINGS)
        assert (dict(log.by_entry), dict(log.by_week), dict(log.pain_by_week)) == ({}, {}, {})

    def test_an_exercise_that_left_its_session_counts_for_pain_only(
        self, make_plan: PlanFactory
    ) -> None:
        plan = make_plan()
        swapped = as_logged(plan, "W1S1", exercise="nordic-curl", pain=4)
        log = JudgedLog(plan, [swapped], [], SETTINGS)
        assert log.week_worst(1) == 4
        assert (dict(log.by_entry), dict(log.by_week)) == ({}, {})

    def test_a_replaced_entry_is_not_judged(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        stamp = dt.datetime(2026, 12, 7, 20, tzinfo=dt.UTC)
        hurt, redone = as_logged(plan, "W1S1", pain=6), as_logged(plan, "W1S1", pain=1)
        log = [
            Logged(entry=hurt, logged_at=stamp, replaced=True),
            Logged(entry=redone, logged_at=stamp),
        ]
        judged = JudgedLog(plan, newest(log), [], SETTINGS)
        assert [e.verdict.kind for e in track(judged, plan, "W1S1", 0)] == ["ready"]
        assert judged.week_worst(1) == 1


class TestWeeks:
    def test_a_week_is_seven_days_from_its_first_session(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        log = JudgedLog(plan, [], [], SETTINGS)
        assert log.week_window(2) == (dt.date(2026, 12, 14), dt.date(2026, 12, 21))

    def test_a_week_outside_the_plan_has_no_window(self, make_plan: PlanFactory) -> None:
        log = JudgedLog(make_plan(), [], [checkin(DAY, 3)], SETTINGS)
        assert log.week_window(99) is None and log.week_mornings(99) == []

    def test_the_check_ins_of_a_week_are_those_in_its_window(self, make_plan: PlanFactory) -> None:
        inside = [checkin(DAY, 1), checkin(DAY + dt.timedelta(6), 2)]
        outside = [checkin(DAY - dt.timedelta(1), 3), checkin(DAY + dt.timedelta(7), 4)]
        log = JudgedLog(make_plan(), [], [*outside, *inside], SETTINGS)
        assert log.week_mornings(1) == inside

    def test_week_pain_is_the_mean_during_and_in_the_mornings(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        entries = [as_logged(plan, "W1S1", pain=1), as_logged(plan, "W1S2", pain=4)]
        mornings = [checkin(DAY, 2), checkin(DAY + dt.timedelta(1), 3)]
        log = JudgedLog(plan, entries, mornings, SETTINGS)
        assert log.week_pain(1) == (2.5, 2.5)
        assert log.week_worst(1) == 4

    def test_a_week_with_nothing_logged_has_no_pain(self, make_plan: PlanFactory) -> None:
        log = JudgedLog(make_plan(), [], [], SETTINGS)
        assert (log.week_pain(1), log.week_worst(1)) == ((None, None), None)
