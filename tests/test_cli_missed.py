"""The views show missed, skipped, moved and paused sessions: history, progress, show and
plans show (CLI, in-process). The schedule steps that set these fields are built apart, so
the plans here get them set directly; the views must say the same once the steps land."""

import datetime as dt
from pathlib import Path

import pytest

from planner.models import Plan
from planner.models.plan import Moved, PlanPause, SkippedSession
from planner.service.stores import store_at
from tests.helpers import GEN, run

NAME = "k"


def ok(*args: str | Path, stdin: str | None = None) -> str:
    code, out, err = run(*args, stdin=stdin)
    assert code == 0, err
    return out


def _save(plan: Plan) -> None:
    store = store_at(None)
    assert store is not None
    with store:
        latest = store.latest(NAME)
        store.save(NAME, latest.template, plan, latest.calendar, "test: life events")


def _latest() -> Plan:
    store = store_at(None, create=False)
    assert store is not None
    with store:
        return store.latest(NAME).plan


@pytest.fixture
def life(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Plan:
    """A saved plan (from Mon 7 Dec 2026) with W1S1 logged, W1S2 missed, W1S3 skipped, W2S1
    moved, a closed pause and an open one (week 3 waits), on Mon 14 Dec."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-14")
    ok(*GEN, "--name", NAME, "--out", tmp_path / "k.ics")
    plan = _latest()
    options = plan.options.model_copy(
        update={
            "pauses": (
                PlanPause(start=dt.date(2026, 12, 9), end=dt.date(2026, 12, 10), note="ill"),
                PlanPause(start=dt.date(2026, 12, 21), note="travel"),
            ),
            "skipped": (SkippedSession(slot="W1S3", on=dt.date(2026, 12, 11), note="away"),),
        }
    )
    sessions = tuple(
        s.model_copy(update={"waiting": s.week == 3, "skipped": s.slot == "W1S3"})
        for s in plan.sessions
    )
    moved = (
        Moved(
            slot="W2S1",
            planned=dt.date(2026, 12, 14),
            date=dt.date(2026, 12, 15),
            why="you moved it",
        ),
    )
    plan = plan.model_copy(update={"options": options, "sessions": sessions, "moved": moved})
    _save(plan)
    ok("log", NAME, "--session", "W1S1", stdin="\n1\n\n\n\n" * 6)
    return plan


PAUSE_CLOSED = "Paused on Wed 9 Dec (ill): the sessions after it moved 1 day later"
PAUSE_OPEN = (
    "Paused since Mon 21 Dec (travel): the sessions from then wait; run 'planner resume k' "
    "when you are back"
)


class TestHistoryAndProgress:
    @pytest.mark.parametrize("command", ["history", "progress"])
    def test_missed_and_skipped_in_plan_order(self, life: Plan, command: str) -> None:
        out = ok(command, NAME)
        assert "W1S2 Wed 9 Dec — missed" in out
        assert "W1S3 Fri 11 Dec — skipped: away" in out
        assert out.index("W1S2 Wed 9 Dec") < out.index("W1S3 Fri 11 Dec")
        assert "W1S1 Mon 7 Dec —" not in out  # logged: not missed
        assert "W3S1" not in out.split("missed and skipped sessions:")[1].split("\n\n")[0]

    @pytest.mark.parametrize("command", ["history", "progress"])
    def test_pauses_are_listed(self, life: Plan, command: str) -> None:
        out = " ".join(ok(command, NAME).split())  # the view wraps long lines at 80 columns
        assert PAUSE_CLOSED in out and PAUSE_OPEN in out

    def test_waiting_sessions_are_not_missed(
        self, life: Plan, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-30")  # week 3 is past, but waits
        out = ok("history", NAME)
        assert "W3S1" not in out and "W2S2 Wed 16 Dec — missed" in out


class TestShow:
    def test_show_lists_pauses_moves_waiting_and_skipped(self, life: Plan) -> None:
        out = ok("show", NAME)
        assert PAUSE_CLOSED in out and PAUSE_OPEN in out
        assert "W2S1 moved from Mon 14 Dec to Tue 15 Dec: you moved it" in out
        assert " W1S3 (Fri 11 Dec): skipped: away" in out
        assert " W3S1 (Mon 21 Dec): waiting" in out

    def test_plans_show_lists_the_new_options(self, life: Plan) -> None:
        out = ok("plans", "show", NAME)
        assert f"pause: {PAUSE_OPEN}" in out
        assert "skipped: W1S3 (recorded 2026-12-11): away" in out
        assert "moved: W2S1 moved from Mon 14 Dec to Tue 15 Dec" in out

    def test_a_plan_file_shows_them_too(self, life: Plan, tmp_path: Path) -> None:
        path = tmp_path / "plan.json"
        path.write_text(life.model_dump_json())
        out = ok("show", path)
        assert "Paused since Mon 21 Dec (travel)" in out and "'planner resume PLAN'" in out


class TestPrintouts:
    @pytest.mark.parametrize("suffix", ["html", "md"])
    def test_printouts_show_pauses_and_marks(self, life: Plan, tmp_path: Path, suffix: str) -> None:
        out = tmp_path / f"k.{suffix}"
        ok("export", NAME, "--out", out)
        text = out.read_text()
        assert "Paused since Mon 21 Dec (travel)" in text
        assert "W2S1 moved from Mon 14 Dec to Tue 15 Dec" in text
        assert "Waiting: this session falls in your pause" in text
        assert "Skipped: away." in text

    def test_calendar_marks_waiting_and_skipped(self, life: Plan, tmp_path: Path) -> None:
        out = tmp_path / "k2.ics"
        ok("export", NAME, "--out", out)
        text = out.read_bytes().decode().replace("\r\n ", "")
        assert f"SUMMARY:{NAME} · W3S1 strength (waiting)" in text
        assert f"SUMMARY:{NAME} · W1S3 activation (skipped)" in text
        assert "Waiting: this session falls in your pause" in text
        assert "Skipped: away." in text
