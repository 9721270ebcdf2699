"""Red flags and high pain through the CLI, one scenario per defect a tester reproduced:
every one must surface, stop progression and never be lost."""

import json
from pathlib import Path

import pytest

from planner.models import Plan, Prescription, Session
from planner.models.adapt import AdaptSettings
from planner.wording.safety import pain_rule
from tests.helpers import run

HIP_KNEE = ["generate", "hip-knee", "--days", "mon,wed,fri"]
ACTIVATION = 6  # exercises in a hip-knee activation session


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> "Today":
    return Today(monkeypatch)


class Today:
    """Sets PLANNER_TODAY, the way a person lives through the weeks."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def __call__(self, day: str) -> None:
        self.monkeypatch.setenv("PLANNER_TODAY", day)


def flat(text: str) -> str:
    """``text`` with the lines a view wrapped to 80 columns joined again."""
    return " ".join(text.split())


def ok(*args: str | Path, stdin: str | None = None) -> tuple[str, str]:
    code, out, err = run(*args, stdin=stdin)
    assert code == 0, err
    return out, err


def new_plan(tmp_path: Path, name: str, start: str, *extra: str, template: str = "") -> None:
    args = (
        [*HIP_KNEE, "--start", start]
        if not template
        else ["generate", template, "--days", "mon,wed,fri", "--start", start]
    )
    ok(*args, *extra, "--name", name, "--out", tmp_path / f"{name}.ics")


def log_session(name: str, slot: str, pain: int, exercises: int = ACTIVATION) -> str:
    """Log every exercise of a session as prescribed, at ``pain``; returns stderr."""
    _, err = ok("log", name, "--session", slot, stdin=f"\n{pain}\n\n\n\n" * exercises)
    return err


def log_all(name: str, slots: tuple[str, ...], pain: int, exercises: int = ACTIVATION) -> None:
    """Log each of ``slots`` in full at ``pain`` (see :func:`log_session`)."""
    for slot in slots:
        log_session(name, slot, pain, exercises)


def saved(name: str) -> Plan:
    """The latest revision of a saved plan, read back from its JSON export."""
    from planner.models.export import PlanExport

    path = Path.cwd() / f"{name}-export.json"
    ok("export", name, "--out", path)
    return PlanExport.model_validate_json(path.read_text()).plan


def ahead(plan: Plan, day: str) -> list[Session]:
    """Sessions dated on or after ``day``."""
    return [s for s in plan.sessions if s.date.isoformat() >= day]


def not_more(now: Prescription, before: Prescription, ladder: tuple[str, ...]) -> bool:
    """Whether ``now`` asks, part by part, for no more than ``before``."""

    def parts(rx: Prescription) -> tuple[float, ...]:
        band = ladder.index(rx.band) if rx.band in ladder else -1
        amount = rx.seconds or rx.reps or rx.steps or 0
        return (rx.sets, amount, rx.load or 0.0, band)

    return all(a <= b for a, b in zip(parts(now), parts(before), strict=True))


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


class TestSeenWhenever:
    """1. Red flags count whenever they were logged and whenever adapt runs."""

    def test_pain_in_week_one_is_advised_during_week_two_and_later(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-21")
        today("2026-11-27")
        for slot in ("W1S1", "W1S2", "W1S3"):
            ok("log", "k", "--session", slot, "--exercise", "clamshell", "--pain", "7")
        today("2026-11-28")
        ok("checkin", "k", "--morning-pain", "6")
        today("2026-12-01")  # Tuesday of week 2
        out, err = ok("adapt", "k")
        assert "nothing saved" not in out or "RED FLAGS" in err
        assert "pain 7/10 during Clamshell (W1S1" in err and "safety stop" in err.lower()
        plan = saved("k")
        week_one = next(s for s in plan.sessions if s.slot == "W1S1")
        clam = next(rx for rx in week_one.exercises if rx.exercise == "clamshell")
        for session in ahead(plan, "2026-12-01"):
            assert session.paused and session.phase == "activation"
            for rx in session.exercises:
                if rx.exercise == "clamshell":
                    assert not_more(rx, clam, plan.band_ladder())
        today("2026-12-08")  # a week later adapt decides week 4: week 1's pain still counts
        _, err = ok("adapt", "k")
        assert "pain 7/10 during Clamshell (W1S3" in err

    def test_pain_on_the_last_day_of_activation_keeps_strength_from_starting(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-23")
        today("2026-12-04")
        log_all("k", ("W1S1", "W1S2", "W1S3", "W2S1", "W2S2"), 1)
        ok("log", "k", "--session", "W2S3", "--exercise", "clamshell", "--pain", "8")
        today("2026-12-08")  # the next Tuesday; W3S1 (Monday) went unlogged
        _, err = ok("adapt", "k")
        assert "pain 8/10 during Clamshell (W2S3" in err
        plan = saved("k")
        for session in ahead(plan, "2026-12-07"):
            assert session.phase == "activation", session.slot
            assert "hip-thrust" not in {rx.exercise for rx in session.exercises}


class TestStopsAPhase:
    """2. Red flags stop a phase change; a review keeps the next phase waiting."""

    def test_red_flag_signs_with_good_sessions_do_not_end_the_phase(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-14")
        log_all("k", ("W1S1", "W1S2", "W1S3", "W2S1", "W2S2", "W2S3"), 0)
        ok("checkin", "k", "--morning-pain", "1", "--red-flag", "swelling,giving-way")
        out, err = ok("adapt", "k")
        assert "criteria met" not in out and "starts as planned" not in out
        assert "swelling reported" in err and "giving way reported" in err
        assert {s.phase for s in ahead(saved("k"), "2026-11-16")} == {"activation"}

    def test_after_two_extensions_the_next_phase_waits_for_the_goals_or_a_clearance(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        for week, day in (
            (1, "2026-11-07"),
            (2, "2026-11-14"),
            (3, "2026-11-21"),
            (4, "2026-11-28"),
        ):
            today(day)
            for index in (1, 2, 3):
                log_session("k", f"W{week}S{index}", 3)  # 3/10: goals unmet (2 or less)
            out, err = ok("adapt", "k")
        assert "review" in out and "physiotherapist" in err
        assert saved("k").sessions[12].phase == "activation"  # week 5 still waits
        out, _ = ok("clear", "k", "--note", "seen about my knee")
        assert "no red flag was waiting for a clearance" in out
        out, _ = ok("clear", "k", "--note", "physio: fine to load up", "--phase")
        assert "go-ahead for the next phase" in out
        today("2026-12-05")
        for index in (1, 2, 3):
            log_session("k", f"W5S{index}", 3)
        out, _ = ok("adapt", "k")
        assert "review was recorded on Sat 28 Nov 2026 (physio: fine to load up)" in flat(out)
        assert {s.phase for s in ahead(saved("k"), "2026-12-07")} == {"strength", "functional"}


class TestCheckinAlone:
    """3. A red-flag check-in with nothing logged is not ignored."""

    def test_adapt_reports_it_and_holds(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-23")
        today("2026-11-24")
        _, err = ok(
            "checkin",
            "k",
            "--morning-pain",
            "9",
            "--red-flag",
            "swelling,locking",
            "--red-flag",
            "night-pain",
        )
        assert "held the plan for safety" in err
        out, err = ok("adapt", "k")
        assert "goes on as written" not in out
        for sign in ("morning pain 9/10", "swelling", "locking", "night pain"):
            assert sign in err
        assert all(s.paused for s in ahead(saved("k"), "2026-11-24"))


class TestFinalWeek:
    """4. In the final week adapt still reports and holds."""

    def test_pain_in_the_last_week(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02", template="runner-knee")
        today("2026-12-07")
        for week in range(1, 6):
            for index in (1, 2, 3):
                log_session("k", f"W{week}S{index}", 1, exercises=5)
        log_session("k", "W6S1", 9, exercises=5)
        ok("checkin", "k", "--morning-pain", "3", "--red-flag", "locking,night-pain")
        out, err = ok("adapt", "k")
        assert "the plan is over" not in out
        assert "pain 9/10" in err and "locking" in err and "night pain" in err
        plan = saved("k")
        w6s1 = next(s for s in plan.sessions if s.slot == "W6S1")
        for session in (s for s in plan.sessions if s.slot in ("W6S2", "W6S3")):
            assert session.paused
            for before, now in zip(w6s1.exercises, session.exercises, strict=True):
                assert not_more(now, before, plan.band_ladder())


class TestLifting:
    """5. One good session does not end a pause; a full clean week does."""

    def test_a_week_not_a_session(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-13")
        log_all("k", ("W1S1", "W1S2", "W1S3", "W2S1", "W2S2"), 1)
        ok("log", "k", "--session", "W2S3", "--exercise", "clamshell", "--pain", "8")
        today("2026-11-16")
        log_session("k", "W3S1", 0)
        _, err = ok("adapt", "k")
        assert "safety stop" in err.lower()
        today("2026-11-20")
        log_session("k", "W3S2", 0)
        err = log_session("k", "W3S3", 0)
        assert "RED FLAGS" not in err
        out, err = ok("adapt", "k")
        assert "resume" in out and "RED FLAGS" not in err


class TestNothingLost:
    """6. Check-ins are append-only; repeated options are all kept."""

    def test_two_checkins_a_day_and_repeated_flags(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-04")
        ok("checkin", "k", "--morning-pain", "2", "--red-flag", "swelling")
        ok(
            "checkin",
            "k",
            "--morning-pain",
            "1",
            "--red-flag",
            "swelling",
            "--red-flag",
            "night-pain",
        )
        out, _ = ok("history", "k")
        assert "pain 2/10  red flags: swelling" in out
        assert "pain 1/10  red flags: swelling, night-pain" in out
        assert "swelling reported on Wed 4 Nov 2026" in out and "night pain reported" in out


class TestLogWarns:
    """7. log prints the red flag the moment it is entered."""

    def test_log_pain_nine(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-02")
        _, err = ok("log", "k", "--exercise", "clamshell", "--pain", "9")
        assert "warning: red flag: pain 9/10 during Clamshell (W1S1" in err
        assert "see a doctor or physiotherapist" in err.lower()


class TestNothingHarder:
    """8. After red flags the sessions ahead never ask for more than before."""

    def test_runner_knee_band_only(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "r", "2026-11-23", "--equipment", "band", template="runner-knee")
        today("2026-12-04")
        log_all("r", ("W1S1", "W1S2", "W1S3", "W2S1", "W2S2"), 1, exercises=5)
        log_session("r", "W2S3", 7, exercises=5)
        today("2026-12-05")
        ok("checkin", "r", "--morning-pain", "4", "--red-flag", "swelling,night-pain")
        today("2026-12-06")  # a Sunday
        ok("adapt", "r")
        plan = saved("r")
        last = next(s for s in plan.sessions if s.slot == "W2S3")
        for session in ahead(plan, "2026-12-07"):
            assert session.phase == "activation" and session.paused
            # Swelling and night pain not yet seen by a clinician: do not train until then.
            assert session.notes[0].startswith("Do not train until a doctor or physio")
            for before, now in zip(last.exercises, session.exercises, strict=True):
                assert now.exercise == before.exercise
                assert not_more(now, before, plan.band_ladder()), (session.slot, now.name)


class TestSwaps:
    """9, 10. A swap after pain is easier, and never doubles an exercise in a session."""

    def test_two_step_backs_swap_two_slots_to_different_easier_exercises(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "r", "2026-11-02", template="runner-knee")
        today("2026-11-20")
        log_all("r", ("W1S1", "W1S2", "W1S3", "W2S1", "W2S2", "W2S3"), 1, exercises=5)
        ok("adapt", "r")
        for slot in ("W3S1", "W3S2"):
            for ex in ("banded-clamshell", "side-lying-hip-abduction"):
                ok("log", "r", "--session", slot, "--exercise", ex, "--pain", "6")
        today("2026-11-21")
        out, _ = ok("adapt", "r")
        plan = saved("r")
        week4 = next(s for s in plan.sessions if s.slot == "W4S1")
        ids = [rx.exercise for rx in week4.exercises]
        assert len(ids) == len(set(ids)), ids
        assert "banded-clamshell" not in ids or "substitute" not in out


class TestMornings:
    """11. High morning pain holds progression and keeps a phase from ending."""

    def test_morning_pain_six_every_day(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-15")
        log_all("k", ("W1S1", "W1S2", "W1S3", "W2S1", "W2S2", "W2S3"), 2)
        for day in range(2, 16):
            ok("checkin", "k", "--morning-pain", "6", "--date", f"2026-11-{day:02d}")
        out, _ = ok("adapt", "k")
        assert "progress " not in out and "criteria met" not in out
        assert "morning pain up to 6/10" in flat(out)
        assert saved("k").sessions[6].phase == "activation"


class TestOptionsKeepThePain:
    """12. Pain logged on an exercise that later leaves the plan still counts."""

    def test_avoid_knee_after_hip_thrust_hurt(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02", "--phase-weeks", "activation=1")
        today("2026-11-13")
        for slot in ("W2S1", "W2S2", "W2S3"):
            ok("log", "k", "--session", slot, "--exercise", "hip-thrust", "--pain", "8")
        new_plan(tmp_path, "k", "2026-11-02", "--avoid", "knee")
        plan = saved("k")
        assert "hip-thrust" not in {
            rx.exercise for s in ahead(plan, "2026-11-16") for rx in s.exercises
        }
        # The week that is over keeps what was logged in it; only the weeks ahead change.
        w2s1 = next(s for s in plan.sessions if s.slot == "W2S1")
        assert "hip-thrust" in {rx.exercise for rx in w2s1.exercises}
        _, err = ok("adapt", "k")
        assert "pain 8/10 during Hip thrust (W2S1" in err
        out, _ = ok("progress", "k")
        assert "8" in out.split("week 2", 1)[1].splitlines()[0]


class TestWords:
    """15. The words say what the program does."""

    def test_pain_rule_names_the_step_back_and_the_swap(self) -> None:
        rule = pain_rule(AdaptSettings())
        assert "repeat this week's dose" not in rule
        assert "step easier" in rule and "swapped for one that is no harder" in rule
        assert "never while a safety stop for red flags stands" in rule

    def test_progress_shows_the_worst_pain_beside_the_mean(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-06")
        log_session("k", "W1S1", 0)
        ok("log", "k", "--session", "W1S2", "--exercise", "clamshell", "--pain", "8")
        out, _ = ok("progress", "k")
        row = next(line for line in out.splitlines() if line.strip().startswith("week 1"))
        # Seven entries, one at 8: the mean hides it (1.1), the worst shows it.
        assert row.split()[3:] == ["1.1", "8"], row

    def test_every_export_carries_the_state(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-04")
        ok("checkin", "k", "--morning-pain", "2", "--red-flag", "swelling")
        ok("export", "k", "--out", tmp_path / "k.json")
        data = json.loads((tmp_path / "k.json").read_text())
        assert data["plan"]["safety"]["paused"] is True
        assert data["plan"]["safety"]["flags"][0]["kind"] == "swelling"
        for command in (("show", "k"), ("plans", "show", "k"), ("history", "k")):
            out, _ = ok(*command)
            assert "swelling reported on Wed 4 Nov 2026" in out, command


class TestAfterTheReview:
    """What a physiotherapist and a code reviewer found on the first version of the above."""

    def test_back_from_a_pause_the_plan_goes_on_from_the_held_dose(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-23", "--weeks", "26")
        today("2026-11-23")
        log_session("k", "W1S1", 0)
        ok("log", "k", "--session", "W1S1", "--exercise", "clamshell", "--pain", "8")
        today("2026-11-27")
        log_all("k", ("W1S2", "W1S3"), 0)
        today("2026-12-04")
        log_all("k", ("W2S1", "W2S2", "W2S3"), 0)
        plan = saved("k")
        held = next(rx for rx in plan.sessions[4].exercises if rx.exercise == "clamshell")
        hurt = next(rx for rx in plan.sessions[0].exercises if rx.exercise == "clamshell")
        assert held.sets < hurt.sets
        today("2026-12-05")
        out, err = ok("adapt", "k")
        assert "resume" in out and "RED FLAGS" not in err
        week3 = next(s for s in saved("k").sessions if s.slot == "W3S1")
        clam = next(rx for rx in week3.exercises if rx.exercise == "clamshell")
        assert not_more(clam, held, saved("k").band_ladder()), (clam, held)

    def test_one_painful_session_steps_back_even_if_later_ones_went_well(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-14")
        log_all("k", ("W1S1", "W1S2", "W1S3"), 0)
        ok("log", "k", "--session", "W2S1", "--exercise", "glute-bridge", "--pain", "6")
        log_session("k", "W2S2", 1)
        log_session("k", "W2S3", 1)
        out, _ = ok("adapt", "k")
        assert "regress    Glute bridge one step back: pain 6/10 during W2S1" in out

    def test_no_swap_while_paused(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-14")
        log_all("k", ("W1S1", "W1S2", "W1S3", "W2S1"), 1)
        for slot in ("W2S2", "W2S3"):
            ok("log", "k", "--session", slot, "--exercise", "glute-bridge", "--pain", "7")
        out, _ = ok("adapt", "k")
        assert "substitute" not in out
        assert "no exercise is swapped in while the safety stop stands" in flat(out)

    def test_changing_days_after_logging_keeps_the_days_that_were(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-10")
        log_all("k", ("W1S1", "W1S2", "W1S3"), 0)
        ok("log", "k", "--session", "W2S1", "--exercise", "wall-sit", "--pain", "8")
        new_plan(tmp_path, "k", "2026-11-02", "--days", "tue,thu,sat")
        plan = saved("k")
        dates = {s.slot: s.date.isoformat() for s in plan.sessions}
        assert dates["W1S1"] == "2026-11-02" and dates["W2S1"] == "2026-11-09"
        assert dates["W3S1"] == "2026-11-17"  # the weeks ahead move to the new days
        _, err = ok("adapt", "k")
        assert "pain 8/10 during Wall-sit hold (shallow) (W2S1, Mon 9 Nov 2026)" in err

    def test_swelling_not_yet_seen_says_do_not_train(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-03")
        ok("checkin", "k", "--morning-pain", "3", "--red-flag", "swelling")
        code = run("export", "k", "--out", tmp_path / "k.ics")[0]
        assert code == 0
        text = (tmp_path / "k.ics").read_bytes().decode().replace("\r\n ", "")
        assert "SUMMARY:k · W1S2 activation (safety stop)" in text
        assert (
            "Do not train until a doctor or physiotherapist has seen you about the swelli" in text
        )

    def test_a_clearance_dated_before_the_sign_says_it_does_not_count(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-05")
        ok("checkin", "k", "--morning-pain", "2", "--red-flag", "locking")
        out, _ = ok("clear", "k", "--note", "seen", "--date", "2026-11-04")
        assert "was before the locking reported on Thu 5 Nov 2026" in out

    def test_views_and_calendars_show_the_pause(self, tmp_path: Path, today: Today) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-02")
        ok("log", "k", "--exercise", "clamshell", "--pain", "8")
        out, _ = ok("plans", "list")
        assert "SAFETY STOP" in out
        _, err = ok("export", "k", "--out", tmp_path / "again.ics")
        assert "pain 8/10 during Clamshell" in err
        out, _ = ok("show", "k")
        # W1S1 was done at the full dose; the rest of week 1 is held and shown apart.
        assert " W1S1:" in out and " W1S2, W1S3:" in out and "SAFETY STOP" in out


class TestSecondReview:
    """What a second review found on the fixes above."""

    def test_a_new_start_does_not_lift_a_pause_on_sessions_logged_before_the_flag(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-23")
        today("2026-11-27")
        log_all("k", ("W1S1", "W1S2", "W1S3"), 1)
        today("2026-11-30")
        ok("log", "k", "--session", "W2S1", "--exercise", "clamshell", "--pain", "8")
        today("2026-12-01")
        new_plan(tmp_path, "k", "2026-12-05")
        today("2026-12-12")
        out, _ = ok("show", "k")
        assert "RED FLAGS" in out and "pain 8/10 during Clamshell (W2S1, Mon 30 Nov 2026)" in out
        out, _ = ok("adapt", "k")
        assert "resume" not in out

    def test_back_from_a_pause_after_a_week_off_stays_at_the_held_dose(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-03")
        ok("checkin", "k", "--morning-pain", "2", "--red-flag", "swelling")
        today("2026-11-14")
        log_all("k", ("W2S1", "W2S2", "W2S3"), 0)
        held = saved("k").sessions[5]  # W2S3, held
        today("2026-11-22")  # week 3 not trained while waiting to be seen
        ok("clear", "k", "--note", "seen by the physio")
        out, _ = ok("adapt", "k")
        assert "resume" in out
        plan = saved("k")
        week4 = next(s for s in plan.sessions if s.slot == "W4S1")
        for before, now in zip(held.exercises, week4.exercises, strict=True):
            assert not_more(now, before, plan.band_ladder()), (now, before)

    def test_new_options_do_not_release_the_sessions_held_this_week(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02")
        today("2026-11-02")
        log_session("k", "W1S1", 0)
        ok("log", "k", "--session", "W1S1", "--exercise", "clamshell", "--pain", "8")
        today("2026-11-13")
        log_all("k", ("W2S1", "W2S2", "W2S3"), 0)
        today("2026-11-17")  # Tuesday of week 3: W3S1 logged, the pause has lifted
        log_session("k", "W3S1", 0)
        held = next(s for s in saved("k").sessions if s.slot == "W3S2")
        ok("adapt", "k")
        new_plan(tmp_path, "k", "2026-11-02", "--level", "advanced")
        plan = saved("k")
        after = next(s for s in plan.sessions if s.slot == "W3S2")
        for before, now in zip(held.exercises, after.exercises, strict=True):
            assert not_more(now, before, plan.band_ladder()), (now, before)

    def test_a_pause_lifting_mid_week_does_not_start_the_next_phase_unchecked(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-02", "--phase-weeks", "activation=3")
        today("2026-11-02")
        log_session("k", "W1S1", 0)
        ok("log", "k", "--session", "W1S1", "--exercise", "clamshell", "--pain", "8")
        today("2026-11-13")
        log_all("k", ("W2S1", "W2S2", "W2S3"), 0)
        today("2026-11-17")  # Tuesday of week 3, activation's last week
        log_session("k", "W3S1", 0)
        out, _ = ok("adapt", "k")
        assert "goals are checked once week 3 is over" in flat(out)
        assert {s.phase for s in ahead(saved("k"), "2026-11-23")} == {"activation"}

    def test_a_plan_from_a_file_that_moved_is_still_held(
        self, tmp_path: Path, today: Today
    ) -> None:
        source = Path(__file__).parent.parent / "templates" / "programs" / "hip-knee.toml"
        mine = tmp_path / "mine.toml"
        mine.write_text(source.read_text())
        ok("generate", mine, "--start", "2026-11-02", "--days", "mon,wed,fri", "--name", "m",
           "--out", tmp_path / "m.ics")  # fmt: skip
        mine.unlink()  # the plan keeps a copy of the template, so it is rebuilt from that
        today("2026-11-02")
        _, err = ok("log", "m", "--exercise", "clamshell", "--pain", "8")
        assert "cannot be rebuilt" not in err and "held the plan for safety" in err
        later = [s for s in saved("m").sessions if s.date.isoformat() > "2026-11-02"]
        assert later and all(s.paused for s in later)

    def test_a_visit_entered_later_does_not_cover_a_sign_of_that_day(
        self, tmp_path: Path, today: Today
    ) -> None:
        new_plan(tmp_path, "k", "2026-11-23")
        today("2026-11-25")
        ok("checkin", "k", "--morning-pain", "2", "--red-flag", "locking")
        today("2026-11-26")
        _, err = ok("clear", "k", "--note", "seen on the morning of 25 Nov", "--date", "2026-11-25")
        assert "see a doctor or physiotherapist about the locking" in err
