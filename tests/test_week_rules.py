"""The weekly adapt rules called one at a time: each takes a frozen WeekInputs and returns
its decisions (the end-to-end runs are in test_adapt.py)."""

from planner.models import Plan
from planner.models.adapt import Adjustment
from planner.models.log import LogEntry
from planner.models.safety import SafetyReport
from planner.training.deload_rule import reactive_deload
from planner.training.evidence import JudgedLog
from planner.training.week_inputs import Outcome, WeekInputs, adjustment
from planner.training.week_rules import decide_entry, decide_week
from tests.conftest import PlanFactory
from tests.doses import as_prescribed

WEEK = 3  # hip-knee over 8 weeks: activation 1-2, strength 3-5 (5 a planned deload)


def _done_in_full(plan: Plan, week: int, pain: int = 1) -> list[LogEntry]:
    return [
        as_prescribed(s.slot, rx, pain)
        for s in plan.sessions
        if s.week == week
        for rx in s.exercises
    ]


def _inputs(
    plan: Plan, entries: list[LogEntry], paused: bool = False, week: int = WEEK
) -> WeekInputs:
    settings = plan.rules
    today = next(s.date for s in plan.sessions if s.week == week)
    return WeekInputs(
        plan=plan,
        log=JudgedLog(plan, entries, (), settings),
        library={},
        settings=settings,
        week=week,
        keep=(),
        state=SafetyReport(today=today, paused=paused),
        clearances=(),
        layout=plan,
    )


def _regress(exercise: str) -> Adjustment:
    return adjustment(WEEK, "regress", "r", "x", phase="strength", slot=0, exercise=exercise)


class TestOutcome:
    def test_adding_keeps_the_order_of_every_part(self) -> None:
        first = Outcome((_regress("a"),), ("advice 1",), ("info 1",))
        second = Outcome((_regress("b"),), ("advice 2",), ("info 2",))
        both = first + second
        assert [a.exercise for a in both.adjustments] == ["a", "b"]
        assert (both.advice, both.info) == (("advice 1", "advice 2"), ("info 1", "info 2"))


class TestReactiveDeload:
    def test_two_step_backs_in_one_week_add_one_deload_week(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=8)
        assert not {WEEK - 1, WEEK, WEEK + 1} & set(plan.deload_weeks)
        outcome = reactive_deload(_inputs(plan, []), (_regress("a"), _regress("b")))
        assert [(a.kind, a.week) for a in outcome.adjustments] == [("deload", WEEK)]
        assert "a, b stepped back" in outcome.adjustments[0].reason

    def test_one_step_back_is_not_enough(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=8)
        assert reactive_deload(_inputs(plan, []), (_regress("a"),)) == Outcome()


class TestDecideEntry:
    def test_two_good_sessions_move_the_entry_up(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=8)
        inputs = _inputs(plan, _done_in_full(plan, WEEK - 1))
        phase = next(s.phase for s in plan.sessions if s.week == WEEK - 1)
        decided = decide_entry(inputs, (phase, 0), frozen="")
        assert (decided.kind, decided.week, decided.key) == ("progress", WEEK, (phase, 0))

    def test_while_paused_the_same_log_holds_it(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=8)
        inputs = _inputs(plan, _done_in_full(plan, WEEK - 1), paused=True)
        phase = next(s.phase for s in plan.sessions if s.week == WEEK - 1)
        decided = decide_entry(inputs, (phase, 0), frozen="")
        assert (decided.kind, decided.rule) == (
            "hold",
            "red flags: no progression while the safety stop stands",
        )


class TestDecideWeek:
    def test_nothing_logged_only_tells(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=8)
        outcome = decide_week(_inputs(plan, []), lambda _: plan, week_done=True)
        assert outcome.adjustments == () and outcome.advice == ()
        assert outcome.info == ("nothing logged before this week yet; the plan goes on as written",)

    def test_one_decision_per_entry_of_the_week_before(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=8)
        inputs = _inputs(plan, _done_in_full(plan, 3), week=4)  # both weeks strength
        before = next(s for s in plan.sessions if s.week == 3)
        outcome = decide_week(inputs, lambda _: plan, week_done=True)
        keys = [a.key for a in outcome.adjustments]
        assert keys == [(before.phase, i) for i in range(len(before.exercises))]
        assert {a.kind for a in outcome.adjustments} == {"progress"}
