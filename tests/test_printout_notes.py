"""The printed plan's week banner, appendix of reasons, cover log and small charts, on
plans built in memory (pure: no browser)."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from planner.exporters.figures import progressions
from planner.exporters.html import render_html
from planner.exporters.markdown import render_markdown
from planner.exporters.printout import (
    LONG_NOTE,
    Reasons,
    log_summary,
    plan_weeks,
    short_note,
    week_banner,
)
from planner.exporters.svg import SMALL_WIDTH, WIDTH, progression_chart
from planner.models import Plan
from planner.models.log import Checkin, LogEntry
from planner.wording.plan import day_text
from tests.conftest import PlanFactory


def _noted(plan: Plan, week: int, note: str, paused: bool = False) -> Plan:
    """``plan`` with ``note`` on every session of ``week``."""
    sessions = tuple(
        s.model_copy(update={"notes": (*s.notes, note), "paused": paused or s.paused})
        if s.week == week
        else s
        for s in plan.sessions
    )
    return plan.model_copy(update={"sessions": sessions})


class TestBanner:
    def test_a_long_note_is_cut_to_its_first_clause_with_a_number(
        self, make_plan: PlanFactory
    ) -> None:
        note = "Extra week of this phase: " + "a dose to reach, " * 12 + "and more."
        assert len(note) > LONG_NOTE
        plan = _noted(make_plan(), 2, note)
        reasons = Reasons()
        lines = week_banner(plan_weeks(plan)[1], plan, reasons)
        assert [line.text for line in lines] == ["Extra week of this phase (see note 1)"]
        assert [(r.about, r.text) for r in reasons.entries] == [("Week 2", note)]

    def test_a_note_about_the_safety_stop_is_never_cut(self, make_plan: PlanFactory) -> None:
        note = "Safety stop lifted: " + "week 4 was logged in full at low pain, " * 6 + "so on."
        assert len(note) > LONG_NOTE
        plan = _noted(make_plan(), 2, note)
        reasons = Reasons()
        lines = week_banner(plan_weeks(plan)[1], plan, reasons)
        assert [line.text for line in lines] == [note] and not reasons.entries
        week = render_html(plan).split('id="week-2"')[1].split("</section>")[0]
        assert week.count('class="callout banner') == 1 and note in week
        assert note in " ".join(render_markdown(plan).replace("\\", "").split())

    def test_a_note_of_some_sessions_names_them(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        first = plan.sessions[0].model_copy(update={"notes": ("Moved to Tuesday.",)})
        plan = plan.model_copy(update={"sessions": (first, *plan.sessions[1:])})
        lines = week_banner(plan_weeks(plan)[0], plan, Reasons())
        assert lines[-1].text == f"{first.slot}: Moved to Tuesday."


class TestShortNote:
    def test_an_adaptation_gets_a_short_line_and_one_number(self) -> None:
        reasons = Reasons()
        note = "Adapted from your log: Clamshell one step back: morning pain rose from 3 to 4."
        short = short_note(note, "Clamshell", 4, reasons)
        assert short == "Adapted from your log: one step back (see note 1)"
        assert short_note(note, "Clamshell", 4, reasons) == short  # the same, the same number
        assert short_note(note, "Clamshell", 5, reasons).endswith("(see note 2)")
        assert reasons.entries[0].text == "Clamshell one step back: morning pain rose from 3 to 4."

    def test_other_notes_stay_as_they_are(self) -> None:
        reasons = Reasons()
        assert short_note("Held at 2 x 10.", "Clamshell", 1, reasons) == "Held at 2 x 10."
        assert not reasons.entries


class TestLogSummary:
    def test_every_checkin_of_the_last_morning(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        s = plan.sessions[0]
        rx = s.exercises[0]
        entries = [
            LogEntry(slot=s.slot, exercise=rx.exercise, done=(10,), pain=3, rpe=7),
            LogEntry(slot=s.slot, exercise=s.exercises[1].exercise, done=(10,), pain=1),
        ]
        day = s.date + dt.timedelta(days=1)
        checkins = [
            Checkin(date=s.date, morning_pain=1),
            Checkin(date=day, morning_pain=2),
            Checkin(date=day, morning_pain=5, red_flags=("swelling", "night-pain")),
        ]
        lines = log_summary(plan, entries, checkins)
        assert lines == [
            f"Sessions logged: 1 of {len(plan.sessions)}.",
            f"Last session logged: {s.slot} ({day_text(s.date)}), pain up to 3/10, "
            "effort (RPE) up to 7/10.",
            f"Highest pain logged: 3/10 ({s.slot}, {rx.name}).",
            f"Last morning check-in: {day_text(day)}, 2/10, 5/10 (swelling, night pain).",
        ]

    def test_nothing_logged(self, make_plan: PlanFactory) -> None:
        assert log_summary(make_plan(), [], []) == ["Nothing logged yet."]


class TestSmallChart:
    def test_shows_its_own_weeks_a_third_as_wide(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=12)
        prog = next(p for p in progressions(plan) if len(p.points) > 2)
        short = type(prog)(prog.exercise, prog.name, prog.metric, prog.points[:2])
        args = (plan.weeks, plan.deload_weeks, plan.phases, plan.band_ladder(), plan.units)
        big = ET.fromstring(progression_chart(prog, *args))
        small = ET.fromstring(progression_chart(short, *args, small=True))
        assert big.get("viewBox", "").split()[2] == str(WIDTH)
        assert small.get("viewBox", "").split()[2] == str(SMALL_WIDTH)
        # Week labels: its weeks and one either side, within the plan.
        first = max(1, short.points[0].week - 1)
        last = min(plan.weeks, short.points[-1].week + 1)
        weeks = [t.text for t in small.iter() if t.get("class") == "tick" and t.get("y") == "116.0"]
        assert weeks == [f"W{first}", *map(str, range(first + 1, last + 1))]
        for element in small.iter():
            for name in ("x", "x1", "x2", "cx"):
                if element.get(name) is not None:
                    assert 0 <= float(element.get(name, 0)) <= SMALL_WIDTH, element.attrib

    def test_grouped_in_rows_of_three(self, make_plan: PlanFactory) -> None:
        plan = make_plan(weeks=12)
        few = [p.name for p in progressions(plan) if len(p.points) <= 2]
        page = render_html(plan)
        rows = re.findall(r'<div class="chart-row">(.*?)</div>', page)
        names = [n for r in rows for n in re.findall(r"<figure><figcaption><b>(.*?)</b>", r)]
        assert names == few
        assert all(r.count("<figure>") <= 3 for r in rows)
