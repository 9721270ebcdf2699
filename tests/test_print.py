"""The HTML export printed for real: headless Chromium renders it to PDF on A4 and on
Letter, and poppler's tools read the PDF back.

Needs the Debian packages chromium and poppler-utils (``scripts/system-deps.sh``, which the
README's test command runs). The first page of each printout is kept as a PNG in
``test-artifacts/`` for people to look at.
"""

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.exporters.html import render_html
from planner.exporters.record import Record
from planner.models import Plan
from planner.models.log import Checkin, LogEntry, Logged
from planner.models.safety import SafetyReport
from planner.training.logbook import prescribed
from planner.training.pause import hold
from planner.training.safety_state import safety_state
from planner.wording.plan import day_text
from planner.wording.safety_state import SEE_CLINICIAN, WHILE_PAUSED, status_line
from tests.conftest import PlanFactory

# Each printout starts Chromium (2-3 s), so these are slow as well.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Flags that work offline: no network at start-up, no first-run or sync, fresh profile.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-pdf-header-footer",
)
PAPER = {"A4": (595.0, 842.0), "Letter": (612.0, 792.0)}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; run scripts/system-deps.sh (see README)")
    return path


@dataclass(frozen=True)
class Word:
    page: int
    x_min: float
    x_max: float
    height: float
    text: str


@dataclass(frozen=True)
class Printout:
    paper: str
    pdf: Path
    width: float
    height: float
    pages: list[str]  # text of each page
    words: list[Word]


def _print(html: str, paper: str, folder: Path) -> Printout:
    """Print ``html`` on ``paper`` the way a person's print dialog would choose it."""
    page = folder / f"plan-{paper}.html"
    # The file leaves the paper size to the printer; the test plays the printer.
    page.write_text(html.replace("</style>", f"@page {{ size: {paper}; }}</style>", 1))
    pdf = folder / f"plan-{paper}.pdf"
    profile = folder / f"profile-{paper}"
    subprocess.run(
        [
            _tool("chromium"),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    info = subprocess.run(
        [_tool("pdfinfo"), pdf], check=True, capture_output=True, text=True
    ).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size, info
    text = subprocess.run(
        [_tool("pdftotext"), pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    bbox = subprocess.run(
        [_tool("pdftotext"), "-bbox", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    words = []
    for number, chunk in enumerate(bbox.split("<page ")[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            chunk,
        ):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            words.append(Word(number, x0, x1, y1 - y0, m.group(5)))
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return Printout(paper, pdf, float(size[1]), float(size[2]), pages, words)


def _state(
    plan: Plan, entries: list[LogEntry], checkins: list[Checkin], today: dt.date
) -> SafetyReport:
    """The safety state the real code computes from this log."""
    dates = {s.slot: s.date for s in plan.sessions}
    log = [
        Logged(entry=e, logged_at=dt.datetime.combine(dates[e.slot], dt.time(19))) for e in entries
    ]
    return safety_state(plan, log, checkins, (), plan.rules, today)


def _logged(plan: Plan) -> tuple[list[LogEntry], list[Checkin]]:
    entries = [
        LogEntry(slot=s.slot, exercise=rx.exercise, done=prescribed(rx), pain=1)
        for s in plan.sessions
        if s.week <= 2
        for rx in s.exercises
    ]
    mornings = [
        Checkin(date=plan.options.start + dt.timedelta(days=d), morning_pain=1) for d in range(14)
    ]
    return entries, mornings


@pytest.fixture(scope="module")
def plan(make_plan: PlanFactory) -> Plan:
    return make_plan(weeks=12, time=dt.time(18), tz="Europe/Berlin")


@pytest.fixture(scope="module", params=sorted(PAPER))
def printout(
    request: pytest.FixtureRequest, plan: Plan, tmp_path_factory: pytest.TempPathFactory
) -> Printout:
    entries, mornings = _logged(plan)
    state = _state(plan, entries, mornings, mornings[-1].date)
    folder = tmp_path_factory.mktemp("print")
    html = render_html(plan, Record(entries, mornings, state=state, name="knee"))
    return _print(html, request.param, folder)


@dataclass(frozen=True)
class Paused:
    plan: Plan  # held by the pause
    state: SafetyReport
    printout: Printout


@pytest.fixture(scope="module", params=sorted(PAPER))
def paused(
    request: pytest.FixtureRequest, plan: Plan, tmp_path_factory: pytest.TempPathFactory
) -> Paused:
    """Red-flag pain in the first session, then swelling the morning after: paused, and
    every session still to come held."""
    first = plan.sessions[0]
    rx = first.exercises[0]
    entries = [
        LogEntry(
            slot=first.slot,
            exercise=rx.exercise,
            done=prescribed(rx),
            pain=plan.rules.red_flag_pain,
        )
    ]
    after = first.date + dt.timedelta(days=1)
    mornings = [
        Checkin(date=after, morning_pain=2),
        Checkin(date=after, morning_pain=4, red_flags=("swelling",)),
    ]
    today = after + dt.timedelta(days=1)
    state = _state(plan, entries, mornings, today)
    held = hold(plan, state, entries, plan.rules, today)
    folder = tmp_path_factory.mktemp("print-paused")
    html = render_html(held, Record(entries, mornings, state=state, name="knee"))
    return Paused(held, state, _print(html, request.param, folder))


def _flat(text: str) -> str:
    return " ".join(text.split())


# What a week page ends with: on a page of its own, these mean the page is all but blank.
WEEK_FOOT = re.compile(r"Notes for the week:|Pain: 0-2 fine;.*?safety\s+stop\.", re.S)
# Headings a page must not end with: they belong with the text under them.
HEADINGS = (
    "Pain rule", "Stop and get checked", "The plan", "Your options", "Phases",
    "Changes made for you", "Please note", "Pauses and moved sessions",
    "How to use this printout", "Every session", "Your log so far", "Progression at a glance",
)  # fmt: skip


def assert_no_blank_page(printout: Printout) -> None:
    """Every page has something to read besides a week's foot (a chart counts: its labels)."""
    for number, page in enumerate(printout.pages, start=1):
        rest = WEEK_FOOT.sub(" ", page).split()
        assert len(rest) >= 10, f"page {number} of {printout.paper} is all but blank: {page!r}"


def assert_no_heading_ends_a_page(printout: Printout) -> None:
    """No page ends with a heading whose text went on to the next page."""
    for number, page in enumerate(printout.pages[:-1], start=1):
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert last not in HEADINGS and not last.startswith("Safety status"), (number, last)
        assert not re.fullmatch(r"Week \d+ · .*", last), (number, last)


class TestPrintout:
    def test_paper_size(self, printout: Printout) -> None:
        assert (printout.width, printout.height) == pytest.approx(PAPER[printout.paper], abs=1)

    def test_cover_has_the_plan_options_and_safety_text(
        self, printout: Printout, plan: Plan
    ) -> None:
        cover = _flat(printout.pages[0])
        for needle in (
            plan.title,
            "Your options",
            "Training days",
            "Pain rule",
            "Stop and get checked",
        ):
            assert needle in cover
        assert "pain at night or at rest" in cover
        assert "No red flags reported." in cover

    def test_every_session_and_exercise_is_printed(self, printout: Printout, plan: Plan) -> None:
        text = _flat(" ".join(printout.pages))
        for session in plan.sessions:
            assert session.slot in text
            for rx in session.exercises:
                assert _flat(rx.name) in text, rx.name

    def test_page_breaks_fall_between_weeks(self, printout: Printout, plan: Plan) -> None:
        starts = {}
        for number, page in enumerate(printout.pages, start=1):
            headings = re.findall(r"^Week (\d+) · ", page, flags=re.MULTILINE)
            assert len(headings) <= 1, f"page {number} holds weeks {headings}"
            if headings:
                first_line = next(line for line in page.splitlines() if line.strip())
                assert first_line.startswith(f"Week {headings[0]} · "), first_line
                starts[int(headings[0])] = number
        assert sorted(starts) == list(range(1, plan.weeks + 1))
        for session in plan.sessions:
            page = printout.pages[starts[session.week] - 1]
            assert session.slot in page, f"{session.slot} is not on its week's page"

    def test_deloads_and_phase_changes_are_marked(self, printout: Printout, plan: Plan) -> None:
        text = _flat(" ".join(printout.pages))
        for week in plan.deload_weeks:
            assert re.search(rf"Week {week} · \w+ phase · deload week", text)
        for phase in plan.phases:
            assert f"New phase: {phase.name} (weeks {phase.first_week}-{phase.last_week})" in text

    def test_charts_are_printed(self, printout: Printout) -> None:
        text = _flat(" ".join(printout.pages))
        assert "Progression at a glance" in text and "Weekly volume" in text
        assert text.count("deload") > 10  # shaded weeks are labelled in every chart

    def test_nothing_overflows_the_page(self, printout: Printout) -> None:
        assert printout.words
        left = min(w.x_min for w in printout.words)
        right = max(w.x_max for w in printout.words)
        assert left >= 20 and right <= printout.width - 20, (left, right)
        # A page that overflowed would be shrunk to fit: text would get tiny.
        small = [w for w in printout.words if w.height < 5.5]
        assert not small, small[:5]

    def test_no_blank_page_and_no_orphan_heading(self, printout: Printout) -> None:
        assert_no_blank_page(printout)
        assert_no_heading_ends_a_page(printout)

    def test_first_page_picture(self, printout: Printout) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = ARTIFACTS / f"printout-first-page-{printout.paper}"
        subprocess.run(
            [_tool("pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
             printout.pdf, stem],
            check=True,
        )  # fmt: skip
        gray = subprocess.run(
            [_tool("pdftoppm"), "-gray", "-r", "30", "-f", "1", "-l", "1", "-singlefile",
             printout.pdf],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
        header, _, pixels = _pgm(gray)
        ink = sum(1 for p in pixels if p < 200) / len(pixels)  # anything not paper-white
        assert 0.02 < ink < 0.5, f"first page is {ink:.1%} inked ({header})"
        assert (stem.with_suffix(".png")).stat().st_size > 10_000


def _pgm(data: bytes) -> tuple[bytes, int, bytes]:
    """Split a binary PGM (P5) into header, max value and pixel bytes."""
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5", parts[0]
    width, height, maxval = int(parts[1]), int(parts[2]), int(parts[3])
    pixels = parts[4][: width * height]
    return b" ".join(parts[:4]), maxval, pixels


class TestPausedPrintout:
    def test_the_safety_box_is_on_the_first_page(self, paused: Paused) -> None:
        assert paused.state.paused
        cover = _flat(paused.printout.pages[0])
        assert status_line(paused.state) in cover
        assert paused.state.standing is not None
        for flag in paused.state.standing.flags:
            assert flag.text in cover
        assert f"{SEE_CLINICIAN} {WHILE_PAUSED}" in cover
        assert "To lift the safety stop" in cover and "planner clear knee --note" in cover
        assert cover.index(status_line(paused.state)) < cover.index("The plan")

    def test_held_sessions_print_their_notes(self, paused: Paused) -> None:
        text = _flat(" ".join(paused.printout.pages))
        held = [s for s in paused.plan.sessions if s.notes]
        assert held
        for session in held:
            for note in session.notes:
                assert note in text, note
            for rx in session.exercises:
                for note in rx.notes:
                    assert note in text, note
        assert "Held one set below what hurt" in text  # the exercise at pain 8

    def test_the_week_lists_its_checkins_and_red_flags(self, paused: Paused) -> None:
        pages = paused.printout.pages
        starts = [i for i, p in enumerate(pages) if re.search(r"^Week 1 · ", p, re.MULTILINE)]
        nxt = next(i for i, p in enumerate(pages) if re.search(r"^Week 2 · ", p, re.MULTILINE))
        week1 = _flat(" ".join(pages[starts[0] : nxt]))
        assert "Red flags reported this week" in week1 and "Check-ins this week" in week1
        assert "2/10, 4/10 (swelling)" in week1
        assert "red-flag signs: swelling" in week1

    def test_first_page_picture(self, paused: Paused) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = ARTIFACTS / f"printout-paused-first-page-{paused.printout.paper}"
        subprocess.run(
            [_tool("pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
             paused.printout.pdf, stem],
            check=True,
        )  # fmt: skip
        assert stem.with_suffix(".png").stat().st_size > 10_000

    def test_no_blank_page_and_no_orphan_heading(self, paused: Paused) -> None:
        assert_no_blank_page(paused.printout)
        assert_no_heading_ends_a_page(paused.printout)

    def test_the_cover_says_paused_and_the_log_so_far(self, paused: Paused) -> None:
        cover = _flat(paused.printout.pages[0])
        assert "Safety status: safety stop for red flags in place" in cover
        assert "Your log so far" in cover and "Sessions logged: 1 of" in cover
        # Both check-ins of the last morning, the red flag of the second one included.
        after = day_text(paused.plan.sessions[0].date + dt.timedelta(days=1))
        assert f"Last morning check-in: {after}, 2/10, 4/10 (swelling)." in cover
        # Beside every line to write pain on, one to write effort on (same small label).
        rpe = [w for w in paused.printout.words if w.text == "RPE"]
        label = {round(w.height, 1) for w in rpe}
        pain = [
            w for w in paused.printout.words if w.text == "pain" and round(w.height, 1) in label
        ]
        assert rpe and len(label) == 1 and len(rpe) == len(pain)

    def test_nothing_overflows_the_page(self, paused: Paused) -> None:
        words = paused.printout.words
        assert min(w.x_min for w in words) >= 20
        assert max(w.x_max for w in words) <= paused.printout.width - 20
        assert not [w for w in words if w.height < 5.5]
