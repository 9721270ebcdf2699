"""Days off when generating: --skip days and public holidays keep sessions off them
(planner.plan.days_off), through the CLI too (--skip, --holidays)."""

import datetime as dt
import itertools
import json
from math import ceil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import ScheduleError
from planner.models.common import WEEKDAYS
from planner.models.plan import DayRange, Holiday, PlanOptions
from planner.plan.days_off import SKIPPED, days_off, keep_days_off
from planner.plan.reschedule import moved_sessions
from planner.plan.schedule import PhaseDays, Schedule, build_schedule, shortest_gap
from tests.helpers import GEN, assert_one_line_error, ics_text, run

D = dt.date
START = D(2026, 12, 7)  # a Monday
# hip-knee's shape: a light phase, then strength and functional work 48 h apart.
PHASES = [PhaseDays("activation", 2, 3, 0), PhaseDays("strength", 3, 3, 48),
          PhaseDays("functional", 3, 3, 48)]  # fmt: skip
# GB's public holidays around Christmas 2026 (as holidays 0.109 gives them).
GB = (
    Holiday(date=D(2026, 12, 25), name="Christmas Day"),
    Holiday(date=D(2026, 12, 26), name="Boxing Day"),
    Holiday(date=D(2026, 12, 28), name="Boxing Day (observed)"),
    Holiday(date=D(2027, 1, 1), name="New Year's Day"),
)


def options(days: tuple[str, ...], **kwargs: object) -> PlanOptions:
    return PlanOptions(start=START, days=days, **kwargs)  # type: ignore[arg-type]


def kept(opts: PlanOptions, phases: list[PhaseDays] = PHASES) -> tuple[Schedule, Schedule]:
    planned = build_schedule(opts.start, opts.days, phases)
    return planned, keep_days_off(planned, opts, phases)


def skip(*days: D) -> tuple[DayRange, ...]:
    return tuple(DayRange(first=d, last=d) for d in days)


class TestChristmasWithGbHolidays:
    def test_mon_wed_fri_week_3_starts_two_weeks_later(self) -> None:
        # Week 3 (21-27 Dec) loses Friday 25th and has no other chosen day after Wednesday:
        # pushed to 28 Dec-3 Jan, it loses Monday 28th (Boxing Day observed) and Friday
        # 1 Jan, leaving one free day for three sessions: pushed again, to Mon 4 Jan.
        _, after = kept(options(("mon", "wed", "fri"), holiday_dates=GB))
        assert after.weeks[1] == (D(2026, 12, 14), D(2026, 12, 16), D(2026, 12, 18))
        assert after.weeks[2] == (D(2027, 1, 4), D(2027, 1, 6), D(2027, 1, 8))
        assert after.weeks[7] == (D(2027, 2, 8), D(2027, 2, 10), D(2027, 2, 12))
        assert after.warnings == (
            "Week 3 and the weeks after it start 2 weeks later, on Mon 4 Jan 2027: no free "
            "day that week keeps 48 h between sessions (Christmas Day, Boxing Day, Boxing Day "
            "(observed), New Year's Day)",
        )
        # A pushed week is a shift, not a move: no session is called moved for it.
        assert after.moved == () and moved_sessions(after) == ()

    def test_six_days_to_choose_from_keep_the_pushed_week_off_the_holidays(self) -> None:
        # Mon-Sat: in 21-27 Dec Friday and Saturday are off and Thursday is before W3S3's
        # Friday, so the week moves; in 28 Dec-3 Jan Tue, Thu and Sat are free, 48 h apart.
        days = ("mon", "tue", "wed", "thu", "fri", "sat")
        _, after = kept(options(days, holiday_dates=GB))
        assert after.weeks[2] == (D(2026, 12, 29), D(2026, 12, 31), D(2027, 1, 2))
        assert after.weeks[3] == (D(2027, 1, 4), D(2027, 1, 6), D(2027, 1, 8))
        why = {m.slot: m.why for m in moved_sessions(after)}
        assert why["W3S1"].endswith("Boxing Day (observed)")
        assert why["W3S3"].endswith("New Year's Day")
        assert len(after.warnings) == 1


class TestMoves:
    def test_a_skipped_day_moves_to_the_next_chosen_day(self) -> None:
        # Activation (no spacing rule): Fri 11 Dec is skipped, Saturday is a chosen day.
        _, after = kept(options(("mon", "wed", "fri", "sat"), skip=skip(D(2026, 12, 11))))
        assert after.weeks[0] == (D(2026, 12, 7), D(2026, 12, 9), D(2026, 12, 12))
        assert after.moved == (("W1S3", D(2026, 12, 11), D(2026, 12, 12), SKIPPED),)
        assert after.warnings == ()

    def test_cascade_keeps_order_and_48_hours(self) -> None:
        # Strength week 3: Wed 23 off. Thu keeps 48 h after Monday but is a day before
        # Friday, so W3S3 moves on to Saturday too (48 h before next Monday).
        days = ("mon", "wed", "thu", "fri", "sat")
        _, after = kept(options(days, skip=skip(D(2026, 12, 23))))
        assert after.weeks[2] == (D(2026, 12, 21), D(2026, 12, 24), D(2026, 12, 26))
        assert after.moved == (
            ("W3S2", D(2026, 12, 23), D(2026, 12, 24), SKIPPED),
            ("W3S3", D(2026, 12, 25), D(2026, 12, 26), f"room for W3S2 ({SKIPPED})"),
        )

    def test_next_weeks_first_session_counts_as_a_neighbour(self) -> None:
        # Strength week 3 loses Fri 25; Sunday is a chosen day but only a day before
        # Monday's W4S1, so the week moves on instead.
        _, after = kept(options(("mon", "wed", "fri", "sun"), skip=skip(D(2026, 12, 25))))
        assert after.weeks[2] == (D(2026, 12, 28), D(2026, 12, 30), D(2027, 1, 1))
        assert after.warnings[0].startswith(
            "Week 3 and the weeks after it start a week later, on Mon 28 Dec 2026"
        )

    def test_spacing_never_asks_more_than_the_rhythm_gives(self) -> None:
        # Mon, Tue, Wed were chosen (the plan warns about 48 h): a skipped Wednesday may go
        # to Thursday, a day after Tuesday, as close as the rhythm itself.
        _, after = kept(options(("mon", "tue", "wed", "thu"), skip=skip(D(2026, 12, 23))))
        assert after.weeks[2] == (D(2026, 12, 21), D(2026, 12, 22), D(2026, 12, 24))

    def test_the_planned_day_wins_when_it_is_free(self) -> None:
        planned, after = kept(options(("mon", "wed", "fri"), skip=skip(D(2026, 12, 27))))
        assert after is planned  # a Sunday off touches no session

    def test_waiting_sessions_stay_where_they_are(self) -> None:
        opts = options(("mon", "wed", "fri", "sat"), skip=skip(D(2026, 12, 11)))
        planned = build_schedule(opts.start, opts.days, PHASES)
        waiting = frozenset(f"W{w}S{i}" for w in range(1, 9) for i in (1, 2, 3))
        after = keep_days_off(
            Schedule(planned.weeks, planned.phase_days, (), waiting=waiting), opts, PHASES
        )
        # The pause moves them when the person resumes; this step leaves them alone.
        assert after.weeks == planned.weeks and after.moved == () and after.warnings == ()

    def test_days_off_that_swallow_a_year_refuse(self) -> None:
        year = tuple(
            DayRange(first=START + dt.timedelta(days=d), last=START + dt.timedelta(days=d + 300))
            for d in (0, 301)
        )
        with pytest.raises(ScheduleError, match="leave no room for the plan"):
            kept(options(("mon", "wed", "fri"), skip=year))

    def test_a_holiday_names_a_skipped_day(self) -> None:
        off = days_off(options(("mon",), skip=skip(D(2026, 12, 25), D(2026, 12, 24)),
                               holiday_dates=GB))  # fmt: skip
        assert off[D(2026, 12, 25)] == "Christmas Day" and off[D(2026, 12, 24)] == SKIPPED


# Properties over random weekdays and days off.
WEEKDAY_SETS = st.sets(st.sampled_from(WEEKDAYS), min_size=3).map(
    lambda s: tuple(d for d in WEEKDAYS if d in s)
)
RANGES = st.lists(st.tuples(st.integers(0, 70), st.integers(0, 4)), max_size=5).map(
    lambda items: sorted({(a, b) for a, b in items})
)


def _ranges(items: list[tuple[int, int]]) -> tuple[DayRange, ...]:
    out: list[DayRange] = []
    last = -1
    for first, length in items:
        if first <= last:
            continue  # keep them apart, as --skip does
        out.append(DayRange(first=START + dt.timedelta(first),
                            last=START + dt.timedelta(first + length)))  # fmt: skip
        last = first + length
    return tuple(out)


@given(days=WEEKDAY_SETS, ranges=RANGES, holidays=st.sets(st.integers(0, 80), max_size=6),
       start=st.integers(0, 6))  # fmt: skip
def test_properties(days: tuple[str, ...], ranges: list[tuple[int, int]], holidays: set[int],
                    start: int) -> None:  # fmt: skip
    opts = PlanOptions(
        start=START + dt.timedelta(start),
        days=days,
        skip=_ranges(ranges),
        holiday_dates=tuple(
            Holiday(date=START + dt.timedelta(h), name=f"Holiday {h}") for h in sorted(holidays)
        ),
    )
    planned = build_schedule(opts.start, opts.days, PHASES)
    after = keep_days_off(planned, opts, PHASES)
    assert keep_days_off(planned, opts, PHASES) == after  # same input, same output
    off = days_off(opts)
    dates = [d for week in after.weeks for d in week]
    assert not any(d in off for d in dates)
    assert all(a < b for a, b in itertools.pairwise(dates))
    # Slots (and so UIDs): the same weeks with the same number of sessions each.
    assert [len(w) for w in after.weeks] == [len(w) for w in planned.weeks]
    # Spacing within each phase: its hours, never more than its rhythm gives.
    week = 0
    for phase, phase_days in zip(PHASES, after.phase_days, strict=True):
        least = max(1, min(ceil(phase.min_hours_between / 24), shortest_gap(phase_days)))
        inside = [d for w in after.weeks[week : week + phase.weeks] for d in w]
        assert all((b - a).days >= least for a, b in itertools.pairwise(inside))
        week += phase.weeks
    moved = {m.slot: m for m in moved_sessions(after)}
    for w, (was, now) in enumerate(zip(planned.weeks, after.weeks, strict=True), start=1):
        for i, (a, b) in enumerate(zip(was, now, strict=True), start=1):
            record = moved.get(f"W{w}S{i}")
            # A pushed week shifts by whole weeks and is no move; any other change is one,
            # recorded from the day its (pushed) week gave it.
            assert (record is not None) == ((b - a).days % 7 != 0)
            if record is not None:
                assert record.date == b and record.why
                assert record.planned >= a and (record.planned - a).days % 7 == 0


# Through the CLI.
CHRISTMAS = [*GEN, "--holidays", "gb"]


def _plan(path: Path) -> dict[str, object]:
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def _uids(path: Path) -> set[str]:
    return {line[4:] for line in ics_text(path).splitlines() if line.startswith("UID:")}


class TestCli:
    def test_christmas_with_gb_holidays(self, tmp_path: Path) -> None:
        code, out, err = run(*CHRISTMAS, "--out", tmp_path / "p.ics", "--json", tmp_path / "p.json")
        assert code == 0, err
        plan = _plan(tmp_path / "p.json")
        options = plan["options"]
        assert isinstance(options, dict) and options["holidays"] == "GB"
        holidays = {h["date"] for h in options["holiday_dates"]}
        assert {"2026-12-25", "2026-12-28", "2027-01-01"} <= holidays
        sessions = plan["sessions"]
        assert isinstance(sessions, list)
        assert not {s["date"] for s in sessions} & holidays
        assert next(s for s in sessions if s["slot"] == "W3S1")["date"] == "2027-01-04"
        assert (
            "warning: Week 3 and the weeks after it start 2 weeks later, on Mon 4 Jan 2027" in err
        )
        assert "days off: public holidays of GB" in out
        # Whole weeks pushed are said once, not as a "moved" note on every later event.
        assert "Moved from" not in ics_text(tmp_path / "p.ics")
        # UIDs come from plan id and slot: the same events as without holidays.
        run(*GEN, "--out", tmp_path / "plain.ics")
        assert _uids(tmp_path / "p.ics") == _uids(tmp_path / "plain.ics")

    def test_explain_lists_every_move(self, tmp_path: Path) -> None:
        code, out, _ = run("generate", "hip-knee", "--start", "2026-12-07", "--days",
                           "mon,wed,thu,fri", "--skip", "2026-12-09,2026-12-16", "--explain",
                           "--out", tmp_path / "p.ics")  # fmt: skip
        assert code == 0
        assert "- W1S2 moves from Wed 9 Dec 2026 to Thu 10 Dec 2026: a day you asked to" in out
        assert "- W2S2 moves from Wed 16 Dec 2026 to Thu 17 Dec 2026: a day you asked to" in out
        assert out.count(" moves from ") == 4  # in the summary, and again in --explain
        assert "Moved from Wed 9 Dec 2026: a day you asked to skip" in ics_text(tmp_path / "p.ics")

    def test_skip_range_and_single_day(self, tmp_path: Path) -> None:
        code, out, _ = run("generate", "hip-knee", "--start", "2026-12-07", "--days",
                           "mon,wed,thu,fri", "--skip", "2026-12-09", "--skip",
                           "2026-12-24..2026-12-26", "--json", tmp_path / "p.json",
                           "--out", tmp_path / "p.ics", "--explain")  # fmt: skip
        assert code == 0
        assert "W1S2 moves from Wed 9 Dec 2026 to Thu 10 Dec 2026: a day you asked to skip" in out
        assert "days off: 2026-12-09, 2026-12-24..2026-12-26" in out
        dates = {s["date"] for s in _plan(tmp_path / "p.json")["sessions"]}  # type: ignore[union-attr]
        assert not dates & {"2026-12-09", "2026-12-24", "2026-12-25", "2026-12-26"}

    def test_a_revision_keeps_skip_and_holidays(self, tmp_path: Path) -> None:
        db = tmp_path / "plans.db"
        first = run(*CHRISTMAS, "--skip", "2026-12-09", "--name", "knee", "--db", db,
                    "--out", tmp_path / "a.ics")  # fmt: skip
        assert first[0] == 0, first[2]
        code, out, err = run("generate", "hip-knee", "--start", "2026-12-07", "--days",
                             "mon,tue,thu,fri", "--name", "knee", "--db", db, "--out",
                             tmp_path / "b.ics", "--json", tmp_path / "b.json")  # fmt: skip
        assert code == 0, err
        assert "kept from the saved plan: --skip 2026-12-09; --holidays GB" in out
        options = _plan(tmp_path / "b.json")["options"]
        assert isinstance(options, dict) and options["holidays"] == "GB"
        assert options["holiday_dates"] and options["skip"]
        # 'none' drops them.
        code, out, _ = run("generate", "hip-knee", "--start", "2026-12-07", "--days",
                           "mon,wed,fri", "--skip", "none", "--holidays", "none", "--name",
                           "knee", "--db", db, "--out", tmp_path / "c.ics", "--json",
                           tmp_path / "c.json")  # fmt: skip
        assert code == 0
        options = _plan(tmp_path / "c.json")["options"]
        assert isinstance(options, dict) and options["holidays"] is None
        assert options["holiday_dates"] == [] and options["skip"] == []


BAD = [
    (["--skip", "2026-12-26..2026-12-24"], "--skip: '2026-12-26..2026-12-24' ends before it"),
    (["--skip", "2026-12-24..2026-12-26,2026-12-26"], "overlap (both hold 2026-12-26)"),
    (["--skip", "2026-12-24", "--skip", "2026-12-20..2026-12-27"], "overlap"),
    (["--skip", "2026-12-24,2026-12-24"], "overlap"),
    (["--skip", "2026-12-32"], "--skip: '2026-12-32' is not a date"),
    (["--skip", "2026-12-24..soon"], "--skip: 'soon' is not a date"),
    (["--skip", "2026-12-24,"], "--skip: '2026-12-24,' has an empty item"),
    (["--skip", "2026-01-01..2027-06-01"], "is 517 days; give at most 366"),
    (["--holidays", "GX"], "--holidays: 'GX' is not a country code the holidays library"),
    (["--holidays", "ukk"], "did you mean UK"),
    (["--holidays", "US-ZZ"], "'ZZ' is not a subdivision of US; its subdivisions are AK, AL"),
    (["--holidays", "de-byy"], "did you mean DE-BY?"),
    (["--holidays", "G"], "--holidays: 'G' is not a region code"),
    (["--holidays", "GB/ENG"], "is not a region code"),
]


@pytest.mark.parametrize(("extra", "needle"), BAD)
def test_bad_days_off_refuse_and_change_nothing(
    tmp_path: Path, extra: list[str], needle: str
) -> None:
    db = tmp_path / "plans.db"
    code, _, err = run(*GEN, *extra, "--name", "knee", "--db", db, "--out", tmp_path / "p.ics")
    assert_one_line_error(code, err, needle)
    assert list(tmp_path.iterdir()) == []  # no calendar, no store


def test_bad_holidays_leave_a_saved_plan_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "plans.db"
    assert run(*GEN, "--name", "knee", "--db", db, "--out", tmp_path / "a.ics")[0] == 0
    before = db.read_bytes()
    code, _, err = run(*GEN, "--holidays", "US-ZZ", "--name", "knee", "--db", db,
                       "--out", tmp_path / "b.ics")  # fmt: skip
    assert_one_line_error(code, err, "not a subdivision of US")
    assert db.read_bytes() == before and not (tmp_path / "b.ics").exists()


def test_plans_show_lists_the_days_off(tmp_path: Path) -> None:
    db = tmp_path / "plans.db"
    made = run(*CHRISTMAS, "--skip", "2026-12-09", "--name", "knee", "--db", db,
               "--out", tmp_path / "a.ics")  # fmt: skip
    assert made[0] == 0
    code, out, _ = run("plans", "show", "knee", "--db", db)
    assert code == 0
    assert "days off: 2026-12-09; public holidays of GB (" in out


def test_a_pause_into_christmas_neither_loops_nor_moves_what_came_before() -> None:
    # Found by trying it: a pause from Wed 9 Dec to Wed 23 Dec stretches week 1 over 19 days;
    # days off then looped ("grow by more than 52 weeks"), and pushing the week would have
    # moved W1S1, done before the pause.
    from planner.models.plan import PlanPause
    from planner.plan.pauses import shift_for_pauses

    opts = options(("mon", "wed", "fri"), holiday_dates=GB).model_copy(
        update={"pauses": (PlanPause(start=D(2026, 12, 9), end=D(2026, 12, 23)),)}
    )
    base = shift_for_pauses(build_schedule(opts.start, opts.days, PHASES), opts.pauses)
    after = keep_days_off(base, opts, PHASES)
    assert after.weeks[0][0] == base.weeks[0][0]
    assert "Week 1 keeps a session on a day off" in after.warnings[0]
