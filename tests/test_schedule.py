"""Dates, weekdays and spacing of sessions."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import ScheduleError
from planner.models.common import WEEKDAYS
from planner.plan.schedule import PhaseDays, build_schedule, parse_days, pick_days

ONE = [PhaseDays("activation", 2, 3, 0)]


class TestParseDays:
    def test_sorted_and_case_insensitive(self) -> None:
        assert parse_days("Fri,mon,WEDNESDAY") == ("mon", "wed", "fri")

    @pytest.mark.parametrize("bad", ["funday", "mon,,wed", "", "mo"])
    def test_bad_names(self, bad: str) -> None:
        with pytest.raises(ScheduleError, match="--days"):
            parse_days(bad)

    def test_duplicates(self) -> None:
        with pytest.raises(ScheduleError, match="twice"):
            parse_days("mon,monday")


class TestBuildSchedule:
    def test_first_session_on_first_chosen_weekday_on_or_after_start(self) -> None:
        # 2026-12-09 is a Wednesday.
        sched = build_schedule(dt.date(2026, 12, 8), ("mon", "wed", "fri"), ONE)
        assert sched.weeks[0][0] == dt.date(2026, 12, 9)

    def test_start_on_chosen_day_is_used(self) -> None:
        sched = build_schedule(dt.date(2026, 12, 7), ("mon",), [PhaseDays("a", 1, 1, 0)])
        assert sched.weeks[0] == (dt.date(2026, 12, 7),)

    def test_too_few_days(self) -> None:
        with pytest.raises(ScheduleError, match="needs 3 sessions"):
            build_schedule(dt.date(2026, 12, 7), ("mon", "wed"), ONE)

    def test_fewer_sessions_pick_spread_days(self) -> None:
        sched = build_schedule(
            dt.date(2026, 12, 7), ("mon", "tue", "thu"), [PhaseDays("s", 1, 2, 48)]
        )
        assert sched.phase_days == (("mon", "thu"),)
        assert sched.warnings == ()

    def test_warns_when_48h_impossible(self) -> None:
        sched = build_schedule(
            dt.date(2026, 12, 7), ("mon", "tue", "wed"), [PhaseDays("strength", 1, 3, 48)]
        )
        assert "48 h" in sched.warnings[0]


def test_pick_days_prefers_largest_gap() -> None:
    assert pick_days((0, 1, 2, 4), 2) == (0, 4)


day_sets = st.sets(st.sampled_from(WEEKDAYS), min_size=3, max_size=7)


@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)),
    days=day_sets,
    weeks=st.lists(st.integers(1, 8), min_size=1, max_size=4),
    per_week=st.integers(1, 3),
)
def test_sessions_fall_on_chosen_days_in_increasing_order(
    start: dt.date, days: set[str], weeks: list[int], per_week: int
) -> None:
    codes = tuple(d for d in WEEKDAYS if d in days)
    phases = [PhaseDays(f"p{i}", n, per_week, 0) for i, n in enumerate(weeks)]
    sched = build_schedule(start, codes, phases)
    dates = [d for week in sched.weeks for d in week]
    assert all(WEEKDAYS[d.weekday()] in codes for d in dates)
    assert all(a < b for a, b in itertools.pairwise(dates))
    assert dates[0] >= start and (dates[0] - start).days < 7
    assert all(len(week) == per_week for week in sched.weeks)
