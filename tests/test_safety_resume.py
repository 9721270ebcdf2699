"""The first week after a pause, replayed step by step the way the safety state machine
(tests/test_safety_machine.py) builds its diaries: a real store, every report followed by
the safety hold, adapt as the CLI runs it. Each test is a diary a random long run found."""

import datetime as dt
from collections.abc import Iterator

import pytest

import tests.test_safety_machine as machine
from tests.doses import as_prescribed
from tests.test_safety_machine import START, SafetyDiary


@pytest.fixture
def diary(monkeypatch: pytest.MonkeyPatch) -> Iterator[SafetyDiary]:
    monkeypatch.setattr(machine, "event", lambda *_: None)  # hypothesis events need a test
    d = SafetyDiary()
    d.start()
    yield d
    d.teardown()


def _clean_weeks(d: SafetyDiary, weeks: int) -> None:
    for week in range(1, weeks + 1):
        d.today = START + dt.timedelta(weeks=week)  # the Monday after it
        d.a_clean_week(0)
        d.run_adapt()
        d.promises_hold()


def _red_morning_and_recover(d: SafetyDiary, weeks: int) -> None:
    """Morning pain 7 on the Sunday of week ``weeks``: the pause holds the next week; then
    that week logged clean and adapt lifts the pause."""
    d.today = START + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    d.check_in(7, [], 0)
    d.promises_hold()
    d.recover(0)
    assert any(a.kind == "resume" for a in d.plan.adjustments)
    d.promises_hold()


def _week(d: SafetyDiary, week: int) -> dict[str, tuple[int, int, float, int]]:
    session = next(s for s in d.plan.sessions if s.week == week)
    ladder = d.plan.band_ladder()
    return {rx.exercise: machine._parts(rx, ladder) for rx in session.exercises}


def test_a_new_phase_in_the_week_back_starts_at_no_more_than_was_held(
    diary: SafetyDiary,
) -> None:
    # Held only in strength's deload week (5): functional (week 6) started at its own
    # doses, a green band walk where the person had walked yellow while held.
    _clean_weeks(diary, 4)
    _red_morning_and_recover(diary, 4)
    assert next(s for s in diary.plan.sessions if s.week == 6).phase == "functional"
    held, back = _week(diary, 5), _week(diary, 6)
    for exercise, dose in back.items():
        if exercise in held:
            assert dose <= held[exercise], exercise
    # The climb goes on from there the week after, not from the phase's own doses.
    assert _week(diary, 7)["lateral-band-walk"][3] <= held["lateral-band-walk"][3] + 1


def test_an_exercise_in_another_place_in_the_week_back_is_held_to_its_own_dose(
    diary: SafetyDiary,
) -> None:
    # Options that swap stand-ins in (avoid knee and hamstring), held in week 3: in the
    # week back, prone hip extension had no limit from the held sessions of its entry.
    diary.change_options(("knee", "hamstring"), "beginner", ("mon", "wed", "fri"))
    _clean_weeks(diary, 2)
    _red_morning_and_recover(diary, 2)
    for avoid in [(), ("knee",), ("back",), ("knee", "hamstring")]:
        for level in ("beginner", "advanced"):
            diary.change_options(avoid, level, ("mon", "wed", "fri"))
            diary.promises_hold()


def test_an_exercise_back_in_its_place_after_the_week_back_is_decided(
    diary: SafetyDiary,
) -> None:
    # Found by --hypothesis-seed=11 (long): pain 9 in W1S1, held under options that swap
    # the glute bridge out, then back in after the week back was decided: it came back at
    # 2 x 15 where the pause had held it at 2 x 12.
    first = diary.plan.sessions[0]
    entries = [
        as_prescribed(first.slot, rx, 9 if i == 4 else 0, rpe=3 if i == 4 else None)
        for i, rx in enumerate(first.exercises[:5])
    ]
    diary.run_adapt()
    diary.today += dt.timedelta(days=6)
    diary.store.log(machine.NAME, entries)
    diary.entries_written += len(entries)
    diary.flags.add((first.date, "pain"))
    diary._report()
    diary.promises_hold()
    diary.today += dt.timedelta(days=7)
    diary.change_options(("knee", "hamstring"), "advanced", ("mon", "wed", "fri"))
    diary.promises_hold()
    diary.recover(0)
    diary.promises_hold()
    diary.a_clean_week(0)
    diary.promises_hold()
    diary.run_adapt()
    diary.promises_hold()
    diary.change_options((), "advanced", ("mon", "wed", "fri"))
    diary.promises_hold()


def test_a_session_held_already_is_lowered_to_what_was_managed_since(
    diary: SafetyDiary,
) -> None:
    # A session that comes in held already (kept as it was by new options, or a plan that
    # cannot be rebuilt) was passed through as it was: a dose above the ceiling stayed.
    from planner.service import safety_hold
    from planner.training.pause import hold
    from planner.training.safety_state import newest

    first = diary.plan.sessions[0]
    entries = [as_prescribed(first.slot, rx, 8) for rx in first.exercises]
    diary.store.log(machine.NAME, entries)
    diary._report()
    plan = diary.plan
    second = next(s for s in plan.sessions if s.slot == "W1S2")
    assert second.paused
    held = {rx.exercise: rx for rx in second.exercises}
    raised = second.model_copy(
        update={"exercises": tuple(rx.model_copy(update={"sets": 4}) for rx in second.exercises)}
    )
    sessions = tuple(raised if s.slot == "W1S2" else s for s in plan.sessions)
    plan = plan.model_copy(update={"sessions": sessions})
    log = safety_hold.diary(diary.store, machine.NAME)
    state = log.state(plan, diary.today)
    again = hold(plan, state, newest(log.log), plan.rules, diary.today, checkins=log.checkins)
    after = next(s for s in again.sessions if s.slot == "W1S2")
    for rx in after.exercises:
        assert rx.sets <= held[rx.exercise].sets, rx.exercise
