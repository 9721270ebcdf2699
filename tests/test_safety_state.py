"""The safety state: every red flag from the whole log, pauses and what lifts them."""

import datetime as dt

import pytest

from planner.models.adapt import AdaptSettings
from planner.models.log import Checkin, Clearance, LogEntry, Logged, RedFlag
from planner.models.plan import Plan
from planner.training.safety_state import safety_state
from tests.conftest import PlanFactory

START = dt.date(2026, 12, 7)  # Monday; hip-knee sessions Mon/Wed/Fri
WRITTEN = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
RULES = AdaptSettings()


def day(week: int, weekday: int = 0) -> dt.date:
    return START + dt.timedelta(weeks=week - 1, days=weekday)


class Diary:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.log: list[Logged] = []
        self.checkins: list[Checkin] = []
        self.clearances: list[Clearance] = []

    def session(self, slot: str, pain: int, replaced: bool = False) -> None:
        session = next(s for s in self.plan.sessions if s.slot == slot)
        for rx in session.exercises:
            entry = LogEntry(slot=slot, exercise=rx.exercise, done=(rx.reps or 10,), pain=pain)
            self.log.append(Logged(entry=entry, logged_at=WRITTEN, replaced=replaced))

    def week(self, week: int, pain: int = 1) -> None:
        for s in self.plan.sessions:
            if s.week == week:
                self.session(s.slot, pain)

    def checkin(self, date: dt.date, pain: int, *signs: RedFlag) -> None:
        self.checkins.append(Checkin(date=date, morning_pain=pain, red_flags=signs))

    def state(self, today: dt.date, rules: AdaptSettings = RULES):  # type: ignore[no-untyped-def]
        return safety_state(self.plan, self.log, self.checkins, self.clearances, rules, today)


@pytest.fixture
def diary(make_plan: PlanFactory) -> Diary:
    return Diary(make_plan())


class TestFlags:
    def test_nothing_reported_is_clear(self, diary: Diary) -> None:
        diary.week(1, pain=5)
        state = diary.state(day(2))
        assert not state.paused and state.flags == () and state.pauses == ()

    def test_pain_at_the_threshold_is_a_flag_below_it_is_not(self, diary: Diary) -> None:
        diary.session("W1S1", 6)
        assert not diary.state(day(1, 1)).flags
        diary.session("W1S2", 7)
        state = diary.state(day(1, 2))
        assert state.paused and {f.kind for f in state.flags} == {"pain"}
        assert all("(W1S2, Wed 9 Dec 2026)" in f.text for f in state.flags)

    def test_every_sign_of_every_checkin_that_day_counts(self, diary: Diary) -> None:
        diary.checkin(day(1, 1), 2, "swelling")
        diary.checkin(day(1, 1), 1, "night-pain")
        diary.checkin(day(1, 1), 7)
        kinds = [f.kind for f in diary.state(day(1, 1)).flags]
        assert kinds == ["swelling", "night-pain", "morning-pain"]

    def test_a_replaced_entry_still_counts(self, diary: Diary) -> None:
        diary.session("W1S1", 9, replaced=True)
        diary.session("W1S1", 1)
        assert diary.state(day(1, 1)).paused

    def test_an_exercise_that_left_the_plan_still_counts(self, diary: Diary) -> None:
        gone = LogEntry(slot="W1S1", exercise="banded-hip-thrust", done=(8,), pain=8)
        diary.log.append(Logged(entry=gone, logged_at=WRITTEN))
        flag = diary.state(day(1, 1)).flags[0]
        assert "banded hip thrust" in flag.text and flag.date == day(1)

    def test_flags_after_today_do_not_count_yet(self, diary: Diary) -> None:
        diary.checkin(day(2), 8)
        assert not diary.state(day(1, 6)).paused
        assert diary.state(day(2)).paused

    def test_pain_that_has_not_eased_after_six_weeks(self, diary: Diary) -> None:
        for week in range(1, 7):
            diary.week(week, pain=4)
        state = diary.state(day(7))
        assert [f.kind for f in state.flags] == ["no-improvement"]
        assert "has not eased after 6 weeks" in state.flags[0].text

    def test_pain_that_eased_is_no_flag(self, diary: Diary) -> None:
        for week in range(1, 6):
            diary.week(week, pain=4)
        diary.week(6, pain=2)
        assert not diary.state(day(7)).flags

    def test_thresholds_come_from_the_settings(self, diary: Diary) -> None:
        diary.session("W1S1", 6)
        strict = AdaptSettings(pain_max=4, red_flag_pain=6)
        assert diary.state(day(1, 1), strict).paused


class TestLifting:
    def test_a_clean_full_week_lifts_a_pain_flag(self, diary: Diary) -> None:
        diary.session("W1S1", 8)
        diary.week(2, pain=1)
        assert diary.state(day(2, 3)).paused  # Thursday: week 2 is not over yet
        diary.session("W3S1", 0)
        state = diary.state(day(3, 1))
        # Week 2 was the first full week after the flag; W3S1 is not needed.
        assert not state.paused and state.pauses[0].lifted == day(2, 4)
        assert "week 2 was logged in full" in state.pauses[0].how

    def test_one_good_session_is_not_enough(self, diary: Diary) -> None:
        diary.session("W1S3", 8)
        diary.session("W2S1", 0)
        assert diary.state(day(2, 1)).paused

    def test_a_week_with_pain_above_the_safe_band_does_not_lift(self, diary: Diary) -> None:
        diary.session("W1S1", 8)
        diary.week(2, pain=3)
        assert diary.state(day(3)).paused
        diary.week(3, pain=2)
        assert not diary.state(day(4)).paused

    def test_a_missed_session_means_the_next_week_decides(self, diary: Diary) -> None:
        diary.session("W1S1", 8)
        diary.session("W2S1", 1)
        diary.session("W2S2", 1)  # W2S3 missed
        state = diary.state(day(3))
        assert state.paused and "(the next is week 3" in state.to_lift[0]
        diary.week(3)
        assert not diary.state(day(4)).paused

    def test_the_share_setting_allows_a_missed_session(self, diary: Diary) -> None:
        diary.session("W1S1", 8)
        diary.session("W2S1", 1)
        diary.session("W2S2", 1)
        assert not diary.state(day(3), AdaptSettings(clear_week_share=0.6)).paused

    def test_a_clinical_sign_needs_a_clearance_as_well(self, diary: Diary) -> None:
        diary.checkin(day(1, 1), 2, "giving-way")
        diary.week(2)
        state = diary.state(day(3))
        assert state.paused and state.needs_clearance
        diary.clearances.append(Clearance(date=day(3), note="seen by Dr Roe"))
        state = diary.state(day(3))
        assert not state.paused and "seen by Dr Roe" in state.pauses[0].how

    def test_a_clearance_before_the_sign_does_not_count(self, diary: Diary) -> None:
        diary.clearances.append(Clearance(date=day(1), note="seen early"))
        diary.checkin(day(1, 1), 2, "locking")
        diary.week(2)
        assert diary.state(day(3)).paused

    def test_silence_never_lifts(self, diary: Diary) -> None:
        diary.checkin(day(1), 8)
        assert diary.state(day(8)).paused  # seven weeks later, nothing logged

    def test_a_flag_during_the_clean_week_starts_over(self, diary: Diary) -> None:
        diary.session("W1S1", 8)
        diary.week(2)
        diary.checkin(day(2, 2), 3, "swelling")
        diary.clearances.append(Clearance(date=day(2, 3), note="physio"))
        assert diary.state(day(3)).paused
        diary.week(3)
        state = diary.state(day(4))
        assert not state.paused and len(state.pauses) == 1

    def test_a_new_flag_after_a_lift_is_a_new_pause(self, diary: Diary) -> None:
        diary.session("W1S1", 8)
        diary.week(2)
        diary.session("W3S1", 9)
        state = diary.state(day(3, 1))
        assert state.paused and len(state.pauses) == 2
        assert state.pauses[0].lifted is not None and state.standing == state.pauses[1]

    def test_high_mornings_are_listed_but_do_not_pause(self, diary: Diary) -> None:
        diary.checkin(day(1, 1), 6)
        state = diary.state(day(1, 1))
        assert not state.paused and state.high_mornings == ((day(1, 1), 6),)


class TestReviewFixes:
    def test_a_session_counts_for_a_clean_week_only_when_every_exercise_is_logged(
        self, diary: Diary
    ) -> None:
        diary.session("W1S1", 8)
        for slot in ("W2S1", "W2S2", "W2S3"):
            only = LogEntry(slot=slot, exercise="glute-bridge", done=(12, 12), pain=0)
            diary.log.append(Logged(entry=only, logged_at=WRITTEN))
        assert diary.state(day(3)).paused

    def test_a_clearance_recorded_before_a_later_sign_that_day_does_not_clear_it(
        self, diary: Diary
    ) -> None:
        morning = dt.datetime(2026, 12, 11, 8, tzinfo=dt.UTC)
        diary.checkins.append(
            Checkin(date=day(1, 4), morning_pain=2, red_flags=("swelling",), recorded=morning)
        )
        diary.clearances.append(
            Clearance(date=day(1, 4), note="physio", recorded=morning + dt.timedelta(hours=2))
        )
        diary.checkins.append(
            Checkin(
                date=day(1, 4),
                morning_pain=2,
                red_flags=("locking",),
                recorded=morning + dt.timedelta(hours=5),
            )
        )
        diary.week(2)
        state = diary.state(day(3))
        assert state.paused and state.needs_clearance
        later = Clearance(date=day(2), note="seen again")
        diary.clearances.append(later)
        assert not diary.state(day(3)).paused

    def test_pain_that_grew_from_a_low_start_has_not_eased(self, diary: Diary) -> None:
        diary.week(1, pain=1)
        for week in range(2, 7):
            diary.week(week, pain=4)
        assert [f.kind for f in diary.state(day(7)).flags] == ["no-improvement"]

    def test_an_entry_keeps_the_day_it_was_logged_for(self, diary: Diary) -> None:
        moved = LogEntry(
            slot="W1S1", exercise="clamshell", done=(15,), pain=8, date=dt.date(2026, 11, 23)
        )
        diary.log.append(Logged(entry=moved, logged_at=WRITTEN))
        flag = diary.state(day(1)).flags[0]
        assert flag.date == dt.date(2026, 11, 23) and "Mon 23 Nov 2026" in flag.text

    def test_a_week_that_already_failed_is_not_offered_as_the_next(self, diary: Diary) -> None:
        diary.session("W1S1", 8)
        diary.session("W2S1", 0)
        diary.checkin(day(2, 1), 6)  # a morning above 5: week 2 can no longer lift it
        state = diary.state(day(2, 2))
        assert state.paused and "(the next is week 3" in state.to_lift[-1]


class TestBuiltAsValidated:
    """The safety state is built without validation (it comes from validated data): it is
    what validating the same values gives, type for type."""

    def test_a_state_with_flags_pauses_and_mornings_validates_to_itself(self, diary: Diary) -> None:
        from planner.models.safety import SafetyReport
        from tests.test_construct import same_types

        diary.checkin(day(1, 1), 4)  # a high morning, no red flag
        diary.session("W1S1", 8)  # a red flag from pain
        diary.checkin(day(2, 1), 2, "swelling", "locking")
        diary.clearances.append(Clearance(date=day(3), note="seen by Dr Roe"))
        diary.week(3)
        for today in (day(1, 2), day(2, 2), day(4)):
            state = diary.state(today)
            assert state.flags or today == day(1, 2)
            again = SafetyReport.model_validate(state.model_dump())
            assert again == state
            same_types(state, again, fields_set=True)

    def test_an_unknown_kind_of_flag_is_refused(self) -> None:
        from planner.training.safety_state import _flag

        with pytest.raises(ValueError, match="unknown red-flag kind"):
            _flag(day(1), "sore", "sore")
