"""The document exports (pure): figures, SVG charts, HTML, Markdown, CSV and JSON."""

import csv
import datetime as dt
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import OptionError
from planner.exporters.figures import progressions, weekly_volume
from planner.exporters.formats import choose_format, render_document, suffix_mismatch
from planner.exporters.html import render_html
from planner.exporters.markdown import render_markdown
from planner.exporters.spreadsheet import COLUMNS, render_csv
from planner.exporters.svg import WIDTH, nice_ticks, progression_chart, volume_chart
from planner.logbook import prescribed
from planner.models import Plan
from planner.models.log import Checkin, LogEntry
from planner.safety import PAIN_RULE, RED_FLAGS
from tests.conftest import PlanFactory


@pytest.fixture(scope="module")
def plan(make_plan: PlanFactory) -> Plan:
    """Twelve weeks, three timed sessions a week: two deloads and three phases."""
    return make_plan(weeks=12, time=dt.time(18), tz="Europe/Berlin")


def log_weeks(plan: Plan, weeks: int, pain: int = 2) -> list[LogEntry]:
    """Every main exercise of the first ``weeks`` weeks done one rep short on the last set."""
    entries = []
    for s in plan.sessions:
        if s.week > weeks:
            continue
        for rx in s.exercises:
            done = list(prescribed(rx))
            done[-1] = max(0, done[-1] - 1)
            entries.append(LogEntry(slot=s.slot, exercise=rx.exercise, done=tuple(done), pain=pain))
    return entries


class TestFigures:
    def test_weekly_volume_counts_every_set_and_both_sides(self, plan: Plan) -> None:
        first = [s for s in plan.sessions if s.week == 1]
        reps = seconds = 0
        for s in first:
            for rx in s.exercises:
                sides = 2 if rx.per_side else 1
                if rx.seconds is not None:
                    seconds += rx.sets * rx.seconds * sides
                else:
                    reps += rx.sets * (rx.reps or rx.steps or 0) * sides
        week1 = weekly_volume(plan)[0]
        assert (week1.week, week1.reps, week1.seconds) == (1, reps, seconds)
        assert week1.done_reps is None

    def test_deload_weeks_have_less_volume_than_the_week_before(self, plan: Plan) -> None:
        volumes = {v.week: v for v in weekly_volume(plan)}
        assert plan.deload_weeks
        for week in plan.deload_weeks:
            assert volumes[week].deload
            assert volumes[week].sets < volumes[week - 1].sets

    def test_done_volume_sums_the_log(self, plan: Plan) -> None:
        entries = log_weeks(plan, 1)
        week1 = weekly_volume(plan, entries)[0]
        assert week1.done_reps is not None and week1.done_reps < week1.reps
        assert weekly_volume(plan, entries)[1].done_reps is None

    def test_metric_is_what_climbs(self, plan: Plan) -> None:
        metric = {p.exercise: p.metric for p in progressions(plan)}
        assert metric["hip-thrust"] == "load"
        assert metric["lateral-band-walk"] == "band"
        assert metric["side-plank"] == "seconds"
        assert metric["clamshell"] == "reps"

    def test_points_follow_the_plan_and_the_log(self, plan: Plan) -> None:
        entries = log_weeks(plan, 4)
        walk = next(p for p in progressions(plan, entries) if p.exercise == "lateral-band-walk")
        ladder = plan.band_ladder()
        levels = [walk.planned_value(p, ladder) for p in walk.points]
        bands = [p.planned.band for p in walk.points]
        assert levels == [ladder.index(b) + 1 for b in bands if b]
        assert [p.week for p in walk.points if p.done] == [4]
        assert all(walk.done_value(p, ladder) is None for p in walk.points if p.week > 4)


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)


def _coordinates(root: ET.Element) -> list[float]:
    values = []
    for el in root.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy"):
            if name in el.attrib:
                values.append(float(el.attrib[name]))
        if "points" in el.attrib:
            values += [float(v) for pair in el.attrib["points"].split() for v in pair.split(",")]
    return values


class TestSvg:
    @given(st.floats(0, 5000), st.floats(0.01, 5000))
    def test_ticks_cover_the_range_in_round_steps(self, low: float, spread: float) -> None:
        ticks = nice_ticks(low, low + spread)
        assert ticks[0] <= low + 1e-9 and ticks[-1] >= low + spread - 1e-9
        steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
        assert len(steps) == 1 and 2 <= len(ticks) <= 8

    @settings(max_examples=25, deadline=None)
    @given(st.integers(3, 60), st.integers(0, 12))
    def test_charts_are_well_formed_and_stay_inside(
        self, make_plan: PlanFactory, weeks: int, logged: int
    ) -> None:
        plan = make_plan(weeks=weeks)
        entries = log_weeks(plan, logged)
        volumes = weekly_volume(plan, entries)
        charts = [volume_chart(volumes, "reps", plan.phases, "volume")]
        ladder = plan.band_ladder()
        for prog in progressions(plan, entries):
            charts.append(
                progression_chart(prog, plan.weeks, plan.deload_weeks, plan.phases, ladder, "kg")
            )
        for chart in charts:
            root = _svg(chart)
            height = float(root.attrib["viewBox"].split()[3])
            assert all(-1 <= v <= max(WIDTH, height) + 1 for v in _coordinates(root))
            assert "id=" not in chart  # many charts share one page
        done_marks = charts[0].count('class="done"')
        assert done_marks == len([v for v in volumes if v.done_reps is not None])

    def test_deloads_are_shaded_once_each(self, plan: Plan) -> None:
        prog = progressions(plan)[0]
        chart = progression_chart(
            prog, plan.weeks, plan.deload_weeks, plan.phases, plan.band_ladder(), "kg"
        )
        assert chart.count('class="deload"') == len(plan.deload_weeks)
        assert chart.count('class="phase-line"') == len(plan.phases) - 1

    def test_names_are_escaped(self, plan: Plan) -> None:
        prog = progressions(plan)[0]
        odd = type(prog)(prog.exercise, 'Bridge <&> "x"', prog.metric, prog.points)
        chart = progression_chart(odd, plan.weeks, (), plan.phases, plan.band_ladder(), "kg")
        _svg(chart)  # still parses
        assert "<&>" not in chart


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _text(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


class TestHtml:
    def test_self_contained(self, plan: Plan) -> None:
        page = render_html(plan, log_weeks(plan, 3))
        parser = _Tags()
        parser.feed(page)
        names = {tag for tag, _ in parser.tags}
        assert not names & {"script", "link", "img", "iframe", "object", "embed"}
        for _, attrs in parser.tags:
            for key, value in attrs.items():
                assert key not in ("src", "href") and not key.startswith("on")
                assert value is None or "url(" not in value
        assert "@import" not in page and "url(" not in page and "@font-face" not in page
        assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * (
            page.count("<svg")
        )

    def test_every_session_and_exercise_and_the_safety_text(self, plan: Plan) -> None:
        text = _text(render_html(plan))
        for session in plan.sessions:
            assert session.slot in text
            for rx in session.exercises:
                assert rx.name in text
        assert _text(PAIN_RULE) in text and _text(RED_FLAGS) in text
        assert text.count("Week 5 · strength phase · deload week") == 1
        assert "New phase: strength" in text and "New phase: functional" in text

    def test_a_week_per_page_and_a_chart_per_exercise(self, plan: Plan) -> None:
        page = render_html(plan)
        assert page.count('<section class="week page"') == plan.weeks
        assert page.count("<svg") == len(progressions(plan)) + 2  # + reps and seconds volume

    def test_tick_boxes_per_set_and_logged_values(self, plan: Plan) -> None:
        blank = render_html(plan)
        sets = sum(rx.sets for s in plan.sessions for rx in s.exercises)
        extra = len(plan.sessions) * 3  # done, warm-up and cool-down per session
        assert blank.count('class="box"') == sets + extra
        entries = log_weeks(plan, 1)
        filled = render_html(plan, entries, [Checkin(date=dt.date(2026, 12, 8), morning_pain=3)])
        week1 = sum(len(e.done) for e in entries)
        sessions = len([s for s in plan.sessions if s.week == 1])  # each fully logged
        assert filled.count('class="box ticked"') == week1 + sessions
        assert "done 15,14 · pain 2" in _text(filled)
        assert "3/10" in _text(filled)
        assert 'class="done"' in filled  # planned-vs-done marks in the charts

    def test_text_from_templates_is_escaped(self, plan: Plan) -> None:
        odd = plan.model_copy(update={"title": "<script>alert(1)</script> & co"})
        page = render_html(odd)
        assert "<script>" not in page and "&lt;script&gt;" in page

    def test_same_input_same_bytes(self, plan: Plan) -> None:
        assert render_html(plan) == render_html(plan)


class TestMarkdown:
    def test_same_content_as_the_printout(self, plan: Plan) -> None:
        md = render_markdown(plan)
        for session in plan.sessions:
            assert f"**{session.slot} " in md
            for rx in session.exercises:
                assert rx.name in md
        assert "**Pain rule.**" in md and "Stop and get checked" in md
        assert md.count("\n## Week ") == plan.weeks
        assert "## Week 10 · functional phase · deload week" in md
        tasks = sum(len(s.exercises) + 3 for s in plan.sessions)
        assert md.count("- [ ] ") == tasks

    def test_logged_items_are_ticked(self, plan: Plan) -> None:
        md = render_markdown(plan, log_weeks(plan, 1))
        first = [s for s in plan.sessions if s.week == 1]
        assert md.count("  - [x] ") == sum(len(s.exercises) for s in first)
        assert "| Reps done | Seconds done |" in md

    def test_table_cells_escape_pipes(self, plan: Plan) -> None:
        session = plan.sessions[0]
        rx = session.exercises[0].model_copy(update={"name": "Clam | shell *x*"})
        odd_session = session.model_copy(update={"exercises": (rx, *session.exercises[1:])})
        odd = plan.model_copy(update={"sessions": (odd_session, *plan.sessions[1:])})
        md = render_markdown(odd)
        assert r"Clam \| shell \*x\*" in md
        for line in md.splitlines():
            if line.startswith("| 1 | Clam"):
                assert len(re.split(r"(?<!\\)\|", line)) == 7


class TestCsv:
    def _rows(self, data: str) -> list[dict[str, str]]:
        assert data.startswith("\ufeff") and "\r\n" in data
        return list(csv.DictReader(io.StringIO(data[1:], newline="")))

    def test_one_row_per_prescribed_exercise(self, plan: Plan) -> None:
        rows = self._rows(render_csv(plan))
        extra = len(plan.warmup.exercises) + len(plan.cooldown.exercises)
        assert len(rows) == sum(len(s.exercises) + extra for s in plan.sessions)
        assert tuple(rows[0]) == COLUMNS
        main = [r for r in rows if r["part"] == "main"]
        flat = [(s, rx) for s in plan.sessions for rx in s.exercises]
        for row, (session, rx) in zip(main, flat, strict=True):
            assert dt.date.fromisoformat(row["date"]) == session.date
            assert (row["slot"], row["exercise"], int(row["sets"])) == (
                session.slot,
                rx.exercise,
                rx.sets,
            )
            assert (float(row["load"]) if row["load"] else None) == rx.load
            assert (row["band"] or None) == rx.band and int(row["rest_s"]) == rx.rest
            assert row["time"] == "18:00" and row["pain"] == ""

    def test_logged_values_and_formula_guard(self, plan: Plan) -> None:
        entries = log_weeks(plan, 1)
        first = entries[0].model_copy(update={"note": "=HYPERLINK(1)", "rpe": 6.5})
        rows = self._rows(render_csv(plan, [first, *entries[1:]]))
        row = next(r for r in rows if r["part"] == "main")
        assert row["done"] == " ".join(map(str, first.done))
        assert (row["pain"], row["rpe"], row["note"]) == ("2", "6.5", "'=HYPERLINK(1)")
        logged = [r for r in rows if r["pain"]]
        assert len(logged) == len(entries)


class TestJson:
    def test_round_trips_and_matches_its_schema(self, plan: Plan) -> None:
        data = render_document("json", plan)
        assert Plan.model_validate_json(data) == plan
        jsonschema.validate(json.loads(data), Plan.model_json_schema())

    def test_schema_documents_every_plan_session_and_exercise_field(self) -> None:
        schema = Plan.model_json_schema()
        for name, model in (
            ("Plan", schema),
            *((k, schema["$defs"][k]) for k in ("Session", "Prescription")),
        ):
            undocumented = [
                f for f, spec in model["properties"].items() if not spec.get("description")
            ]
            assert not undocumented, f"{name}: {undocumented}"


class TestFormats:
    @pytest.mark.parametrize(
        ("given", "out", "expected"),
        [
            (None, "a.html", "html"),
            (None, "a.HTM", "html"),
            (None, "a.md", "md"),
            (None, "a.csv", "csv"),
            (None, "a.json", "json"),
            (None, "a.txt", "ics"),
            ("HTML", "a.ics", "html"),
        ],
    )
    def test_choice(self, given: str | None, out: str, expected: str) -> None:
        from pathlib import Path

        assert choose_format(given, Path(out)) == expected

    def test_unknown_format(self) -> None:
        from pathlib import Path

        with pytest.raises(OptionError, match="--format: 'pdf' is not one of ics, html"):
            choose_format("pdf", Path("a.pdf"))

    def test_mismatch_warning(self) -> None:
        from pathlib import Path

        assert suffix_mismatch("html", Path("a.csv")) == (
            "writing html to a.csv, whose name says csv"
        )
        assert suffix_mismatch("html", Path("a.txt")) is None
