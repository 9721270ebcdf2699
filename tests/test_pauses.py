"""Pauses and hand moves in the schedule (pure): planner.plan.pauses."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planner.models.plan import Plan, PlanPause, SessionMove
from planner.plan.pauses import YOU_MOVED, apply_moves, shift_for_pauses
from planner.plan.schedule import PhaseDays, Schedule, build_schedule

PHASES = [PhaseDays("activation", 2, 3, 48), PhaseDays("strength", 4, 3, 48)]
START = dt.date(2026, 12, 7)  # a Monday


def sched() -> Schedule:
    return build_schedule(START, ("mon", "wed", "fri"), PHASES)


def dated(s: Schedule) -> dict[str, dt.date]:
    return {f"W{w}S{i}": d for w, week in enumerate(s.weeks, 1) for i, d in enumerate(week, 1)}


def d(day: int) -> dt.date:
    return START + dt.timedelta(days=day)


class TestShift:
    def test_mid_week_pause_moves_only_from_its_start(self) -> None:
        # From Wednesday of week 2 for 10 days: Monday stays, Wednesday goes to Saturday.
        pause = PlanPause(start=d(9), end=d(19))
        after = dated(shift_for_pauses(sched(), (pause,)))
        before = dated(sched())
        assert after["W2S1"] == before["W2S1"]
        assert after["W2S2"] == before["W2S2"] + dt.timedelta(days=10)
        assert after["W2S2"].strftime("%a") == "Sat"
        assert after["W6S3"] == before["W6S3"] + dt.timedelta(days=10)

    def test_shift_not_recorded_as_moves(self) -> None:
        out = shift_for_pauses(sched(), (PlanPause(start=d(7), end=d(21)),))
        assert out.moved == ()

    def test_open_pause_keeps_dates_and_marks_waiting(self) -> None:
        out = shift_for_pauses(sched(), (PlanPause(start=d(9)),))
        assert out.weeks == sched().weeks
        assert "W2S1" not in out.waiting
        assert {"W2S2", "W2S3", "W6S3"} <= out.waiting

    def test_later_pause_given_in_shifted_dates(self) -> None:
        first = PlanPause(start=d(7), end=d(14))  # week 2 on: +7
        # Second pause starts on W4S1 as it stands after the first (d(21) + 7 = d(28)).
        second = PlanPause(start=d(28), end=d(31))
        out = dated(shift_for_pauses(sched(), (second, first)))
        base = dated(sched())
        assert out["W1S3"] == base["W1S3"]
        assert out["W3S3"] == base["W3S3"] + dt.timedelta(days=7)
        assert out["W4S1"] == base["W4S1"] + dt.timedelta(days=10)


class TestMoves:
    def test_move_recorded_with_default_reason(self) -> None:
        out = apply_moves(sched(), (SessionMove(slot="W1S2", date=d(3)),), PHASES)
        assert dated(out)["W1S2"] == d(3)
        assert out.moved == (("W1S2", d(2), d(3), YOU_MOVED),)
        assert out.warnings == ()

    def test_move_note_is_the_reason(self) -> None:
        out = apply_moves(sched(), (SessionMove(slot="W1S2", date=d(3), note="dentist"),), PHASES)
        assert out.moved[0][3] == "dentist"

    def test_move_to_its_own_day_records_nothing(self) -> None:
        out = apply_moves(sched(), (SessionMove(slot="W1S2", date=d(2)),), PHASES)
        assert out.moved == ()

    def test_out_of_order_kept_with_warning(self) -> None:
        out = apply_moves(sched(), (SessionMove(slot="W1S2", date=d(8)),), PHASES)
        assert dated(out)["W1S2"] == d(8)
        assert len(out.warnings) == 1 and "out of order" in out.warnings[0]
        assert "W1S3" in out.warnings[0]

    def test_move_of_a_slot_no_longer_in_the_plan_warns(self) -> None:
        out = apply_moves(sched(), (SessionMove(slot="W9S1", date=d(80)),), PHASES)
        assert out.weeks == sched().weeks
        assert "W9S1" in out.warnings[0]


pauses_st = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 40), st.booleans()), min_size=1, max_size=3
)


@given(start=st.integers(0, 45), days=st.integers(1, 60))
def test_pause_of_n_days_shifts_every_later_session_by_n(start: int, days: int) -> None:
    base = dated(sched())
    out = shift_for_pauses(sched(), (PlanPause(start=d(start), end=d(start + days)),))
    after = dated(out)
    assert after.keys() == base.keys()  # slots (UIDs) stable
    for slot, date in base.items():
        want = date + dt.timedelta(days=days) if date >= d(start) else date
        assert after[slot] == want
    flat = [x for week in out.weeks for x in week]
    assert flat == sorted(flat) and len(set(flat)) == len(flat)  # order kept


@given(spec=pauses_st, move_to=st.integers(0, 120), which=st.integers(0, 17))
def test_slots_stable_and_earlier_sessions_never_change(
    spec: list[tuple[int, int, bool]], move_to: int, which: int
) -> None:
    base = dated(sched())
    pauses = []
    at = 0
    for gap, days, closed in spec:
        at += gap
        pauses.append(PlanPause(start=d(at), end=d(at + days) if closed else None))
        at += days
    first = min(p.start for p in pauses)
    shifted = shift_for_pauses(sched(), tuple(pauses))
    slot = sorted(base)[which]
    moved = apply_moves(shifted, (SessionMove(slot=slot, date=d(move_to)),), PHASES)
    for s in (shifted, moved):
        assert dated(s).keys() == base.keys()
    for name, date in base.items():
        if date < first:
            assert dated(shifted)[name] == date
    assert dated(moved)[slot] == d(move_to)
    flat = [x for week in shifted.weeks for x in week]
    assert flat == sorted(flat)


class TestComeback:
    """The step back after a long break (planner.training.comeback), on a real plan."""

    @staticmethod
    def plan(days: int) -> Plan:
        from planner.models.plan import PlanOptions
        from planner.service.plans import build_plan

        pause = PlanPause(start=d(14), end=d(14 + days))  # from Monday of week 3
        options = PlanOptions(start=START, days=("mon", "wed", "fri"), pauses=(pause,))
        return build_plan("hip-knee", options)

    def test_first_week_back_is_the_first_whole_week_after_the_end(self) -> None:
        from planner.training.comeback import first_week_back

        plan = self.plan(14)
        assert first_week_back(plan, plan.options.pauses[0]) == 3
        mid = PlanPause(start=d(16), end=d(30))  # from Wednesday of week 3
        assert first_week_back(plan, mid) == 4

    def test_thresholds(self) -> None:
        from planner.training.comeback import comeback

        assert comeback(self.plan(13), 2, 3) is None  # shorter than two weeks
        short = comeback(self.plan(14), 2, 3)
        assert short is not None and short.week == 3 and not short.lower
        long = comeback(self.plan(28), 2, 3)
        assert long is not None and long.lower
        assert comeback(self.plan(28), 3, 3) is not None
        assert comeback(self.plan(20), 3, 3) is None
        assert comeback(self.plan(14), 2, 2) is None  # not back yet in week 2

    def test_break_weeks_is_a_setting_with_a_default(self) -> None:
        from planner.models.adapt import AdaptSettings

        assert AdaptSettings().break_weeks == 2
        assert AdaptSettings(break_weeks=3).break_weeks == 3
