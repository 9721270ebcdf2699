"""Holding a plan while progression is paused, and the stop that keeps a phase going."""

import datetime as dt

import pytest

from planner.models.adapt import AdaptSettings, Adjustment
from planner.models.log import Checkin, LogEntry, Logged
from planner.models.plan import Plan, PlanOptions, Prescription
from planner.plan.generate import generate
from planner.templates import LoadedProgram, load_library
from planner.training.pause import cap, ceilings, current_phase, hold, merge, open_slots
from planner.training.safety_state import safety_state
from tests.conftest import PlanFactory

START = dt.date(2026, 12, 7)
RULES = AdaptSettings()
WRITTEN = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def rx_of(plan: Plan, slot: str, exercise: str) -> Prescription:
    session = next(s for s in plan.sessions if s.slot == slot)
    return next(rx for rx in session.exercises if rx.exercise == exercise)


def entry(plan: Plan, slot: str, exercise: str, pain: int, **fields: object) -> LogEntry:
    rx = rx_of(plan, slot, exercise)
    data: dict[str, object] = {
        "slot": slot,
        "exercise": exercise,
        "done": (rx.reps or rx.steps or rx.seconds or 1,) * rx.sets,
        "load": rx.load,
        "unit": rx.unit,
        "band": rx.band,
        "pain": pain,
    }
    data.update(fields)
    return LogEntry.model_validate(data)


class TestOpenSessions:
    def test_logged_sessions_and_weeks_that_are_over_may_not_change(
        self, make_plan: PlanFactory
    ) -> None:
        plan = make_plan()
        logged = [entry(plan, "W2S2", "clamshell", 1)]
        tuesday = START + dt.timedelta(weeks=1, days=1)
        still = open_slots(plan, logged, tuesday)
        assert "W1S3" not in still  # week 1 is over
        assert "W2S1" in still  # dated before today, but its week goes on
        assert "W2S2" not in still and "W2S3" in still

    def test_the_phase_reached_is_the_latest_logged_or_lived_through(
        self, make_plan: PlanFactory
    ) -> None:
        plan = make_plan()
        week3_tuesday = START + dt.timedelta(weeks=2, days=1)
        assert current_phase(plan, [], week3_tuesday) == "activation"
        assert current_phase(plan, [entry(plan, "W3S1", "hip-thrust", 1)], week3_tuesday) == (
            "strength"
        )

    def test_merge_keeps_what_is_done_and_takes_the_rest(self, make_plan: PlanFactory) -> None:
        old = make_plan()
        fresh = make_plan(avoid=("knee",))
        logged = [entry(old, "W3S1", "hip-thrust", 1)]
        merged = merge(old, fresh, logged, START + dt.timedelta(weeks=2, days=1))
        by_slot = {s.slot: s for s in merged.sessions}
        assert by_slot["W3S1"] == next(s for s in old.sessions if s.slot == "W3S1")
        assert by_slot["W3S2"] == next(s for s in fresh.sessions if s.slot == "W3S2")
        assert merged.id == old.id


class TestCeilings:
    def test_the_last_dose_managed_without_trouble(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        light = entry(plan, "W3S1", "hip-thrust", 1, load=25.0, done=(8, 8, 8))
        limit = ceilings(plan, [light], RULES, START + dt.timedelta(weeks=2, days=1))
        assert (limit["hip-thrust"].dose.load, limit["hip-thrust"].dose.reps) == (25.0, 8)
        assert limit["hip-thrust"].why == "managed"

    def test_what_hurt_is_stepped_down_a_set(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        hurt = entry(plan, "W3S1", "hip-thrust", 8)
        limit = ceilings(plan, [hurt], RULES, START + dt.timedelta(weeks=2, days=1))
        assert limit["hip-thrust"].dose.sets == rx_of(plan, "W3S1", "hip-thrust").sets - 1
        assert limit["hip-thrust"].why == "hurt"

    def test_an_exercise_never_logged_keeps_its_current_dose(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        limit = ceilings(plan, [], RULES, START + dt.timedelta(weeks=1, days=3))
        assert limit["clamshell"].dose == rx_of(plan, "W1S3", "clamshell")
        assert limit["clamshell"].why == "unlogged"

    def test_cap_lowers_every_part_and_keeps_the_exercise(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        walk = rx_of(plan, "W4S1", "lateral-band-walk")
        lower = walk.model_copy(update={"sets": 1, "steps": 10, "band": "yellow"})
        capped = cap(walk, lower, plan.band_ladder())
        assert (capped.sets, capped.steps, capped.band) == (1, 10, "yellow")
        assert cap(lower, walk, plan.band_ladder()) == lower  # never raises


@pytest.fixture
def paused(make_plan: PlanFactory) -> tuple[Plan, list[LogEntry], dt.date]:
    plan = make_plan()
    logged = [entry(plan, "W1S1", "clamshell", 8)]
    return plan, logged, START + dt.timedelta(days=1)


class TestHold:
    def test_held_sessions_say_so_and_ask_for_no_more(
        self, paused: tuple[Plan, list[LogEntry], dt.date]
    ) -> None:
        plan, logged, today = paused
        log = [Logged(entry=e, logged_at=WRITTEN) for e in logged]
        state = safety_state(plan, log, [], [], RULES, today)
        held = hold(plan, state, logged, RULES, today)
        first = rx_of(plan, "W1S1", "clamshell")
        for session in held.sessions[1:]:
            assert session.paused and session.notes[0].startswith("Safety stop since")
            for clam in (rx for rx in session.exercises if rx.exercise == "clamshell"):
                assert clam.sets < first.sets and "Held one set below what hurt" in clam.notes[-1]
        assert held.sessions[0] == plan.sessions[0]  # logged: untouched

    def test_holding_twice_changes_nothing(
        self, paused: tuple[Plan, list[LogEntry], dt.date]
    ) -> None:
        plan, logged, today = paused
        log = [Logged(entry=e, logged_at=WRITTEN) for e in logged]
        state = safety_state(plan, log, [], [], RULES, today)
        once = hold(plan, state, logged, RULES, today)
        assert hold(once, state, logged, RULES, today) == once

    def test_nothing_to_hold_without_a_pause(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        state = safety_state(plan, [], [Checkin(date=START, morning_pain=3)], [], RULES, START)
        assert hold(plan, state, [], RULES, START) is plan


class TestStop:
    """The generator side: a stop keeps its phase going to the end; a resume brings the
    later phases back after the weeks that were held."""

    def test_a_standing_stop_keeps_the_phase_to_the_end(
        self, programs: dict[str, LoadedProgram]
    ) -> None:
        stop = Adjustment(week=2, kind="stop", phase="activation", rule="r", reason="x")
        plan = _generate(programs, (stop,))
        assert {s.phase for s in plan.sessions} == {"activation"}
        assert plan.weeks == 8 and [p.name for p in plan.phases] == ["activation"]
        week2 = [rx_of(plan, "W2S1", rx.exercise) for rx in plan.sessions[0].exercises]
        week8 = [rx_of(plan, "W8S1", rx.exercise) for rx in plan.sessions[0].exercises]
        week1 = list(plan.sessions[0].exercises)
        assert [r.sets for r in week2] == [r.sets for r in week1]  # no climb from week 2
        assert [(r.sets, r.reps, r.seconds) for r in week8] == [
            (r.sets, r.reps, r.seconds) for r in week2
        ]

    def test_after_a_resume_the_next_phase_follows_the_held_weeks(
        self, programs: dict[str, LoadedProgram]
    ) -> None:
        stop = Adjustment(week=2, kind="stop", phase="activation", rule="r", reason="x")
        resume = Adjustment(week=5, kind="resume", rule="r", reason="y")
        plan = _generate(programs, (stop, resume))
        assert [(p.name, p.first_week, p.last_week) for p in plan.phases] == [
            ("activation", 1, 4),
            ("strength", 5, 7),
            ("functional", 8, 10),
        ]

    def test_an_extra_week_decided_with_the_resume_comes_after_the_held_weeks(
        self, programs: dict[str, LoadedProgram]
    ) -> None:
        """A resume and an extend in one week: the held weeks and the extra week are not
        the same weeks (the phase's goals were not met when the pause lifted)."""
        stop = Adjustment(week=2, kind="stop", phase="activation", rule="r", reason="x")
        resume = Adjustment(week=5, kind="resume", rule="r", reason="y")
        extend = Adjustment(week=5, kind="extend", phase="activation", rule="r", reason="z")
        plan = _generate(programs, (stop, resume, extend))
        assert [(p.name, p.first_week, p.last_week) for p in plan.phases][:2] == [
            ("activation", 1, 5),
            ("strength", 6, 8),
        ]


def _generate(programs: dict[str, LoadedProgram], adjustments: tuple[Adjustment, ...]) -> Plan:
    loaded = programs["hip-knee"]
    options = PlanOptions(start=START, days=("mon", "wed", "fri"))
    return generate(loaded.slug, loaded.program, load_library().by_id(), options, adjustments)
