"""Session times across clock changes, read back by parsers that know only the file.

The truth is zoneinfo on the bundled database (planner.zones), computed here by other means
than the exporter: a skipped wall time is walked forward minute by minute, durations are
added to UTC instants. Every reader in tests/ics_readers.py builds the zone from the file's
own VTIMEZONE, so a wrong rule, a DAYLIGHT/STANDARD mix-up (Dublin) or an ambiguous local
time shows up as a wrong instant.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from planner.exporters.ics import plan_events, plan_to_ics
from planner.exporters.vtimezone import build_vtimezone, transitions
from planner.exporters.wall_time import is_repeated, is_skipped, session_time
from planner.models import Plan
from planner.models.calendar import CalendarOptions
from planner.zones import zone
from tests.conftest import STAMP, PlanFactory
from tests.fuzzing import fuzz
from tests.ics_readers import READERS, Instants, read_dateutil, read_icalendar

# Per zone: a wall time in the gap the day clocks go forward, one in the repeated hour the
# day they go back, and the first wall time after the gap.
ZONES = {
    "Europe/Berlin": ("02:30", "02:30"),
    "Europe/Dublin": ("01:30", "01:30"),
    "America/New_York": ("02:30", "01:30"),
    "Australia/Lord_Howe": ("02:15", "01:45"),  # 30-minute DST: 02:00 -> 02:30, 02:00 -> 01:30
    "America/Santiago": ("00:30", "23:30"),  # changes at midnight Saturday to Sunday
}
DURATION = 45
YEAR_START = dt.date(2027, 1, 2)  # a Saturday: sessions on sat, sun, mon for a year
DAYS = ("sat", "sun", "mon")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def year_plan(make_plan: PlanFactory, tz: str, at: str, **extra: object) -> Plan:
    fields: dict[str, object] = {"start": YEAR_START, "weeks": 52, "days": DAYS}
    fields.update(time=dt.time.fromisoformat(at), tz=tz, duration=DURATION)
    return make_plan("hip-knee", **{**fields, **extra})


def truth_start(day: dt.date, at: dt.time, tz: str) -> dt.datetime:
    """The instant a session asked for ``at`` on ``day`` starts: a skipped wall time moves
    to the first minute that exists; a repeated one is its first run (fold 0)."""
    zone_ = zone(tz)
    wall = dt.datetime.combine(day, at.replace(fold=0))  # a fold=1 time asked is no exception
    while True:
        local = wall.replace(tzinfo=zone_)
        if local.astimezone(dt.UTC).astimezone(zone_).replace(tzinfo=None) == wall:
            return local.astimezone(dt.UTC)
        wall += dt.timedelta(minutes=1)


def truth(plan: Plan) -> Instants:
    assert plan.options.time is not None and plan.options.tz is not None
    starts = [truth_start(s.date, plan.options.time, plan.options.tz) for s in plan.sessions]
    return [
        (start, start + dt.timedelta(minutes=s.minutes))
        for start, s in zip(starts, plan.sessions, strict=True)
    ]


def changes(tz: str, year: int) -> list[dt.datetime]:
    """The UTC instants the zone's clocks change in ``year``."""
    return [(t.local - t.offset_from).replace(tzinfo=dt.UTC) for t in transitions(zone(tz), year)]


@pytest.fixture(scope="module")
def year_files(make_plan: PlanFactory) -> dict[tuple[str, str], tuple[Plan, bytes]]:
    """A year of sessions per zone, at a plain evening time and at the gap and fold times."""
    files = {}
    for tz, times in ZONES.items():
        for at in {"18:00", *times}:
            plan = year_plan(make_plan, tz, at)
            files[tz, at] = plan, plan_to_ics(plan, STAMP).data
    return files


CASES = [(tz, at) for tz, times in ZONES.items() for at in sorted({"18:00", *times})]


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(("tz", "at"), CASES)
def test_every_instant_matches_zoneinfo(
    year_files: dict[tuple[str, str], tuple[Plan, bytes]], tz: str, at: str, reader: str
) -> None:
    plan, data = year_files[tz, at]
    assert b"BEGIN:VTIMEZONE" in data  # the zone's own rules are what the readers use
    assert READERS[reader](data) == truth(plan)


@pytest.mark.parametrize("tz", list(ZONES))
def test_sessions_fall_on_each_side_of_each_change(
    year_files: dict[tuple[str, str], tuple[Plan, bytes]], tz: str
) -> None:
    plan, _ = year_files[tz, "18:00"]
    starts = [start for start, _ in truth(plan)]
    moments = changes(tz, 2027)
    assert len(moments) == 2
    for moment in moments:
        before = [s for s in starts if moment - dt.timedelta(days=3) < s < moment]
        after = [s for s in starts if moment < s < moment + dt.timedelta(days=3)]
        assert before and after, moment
        assert (
            before[-1].astimezone(zone(tz)).utcoffset() != after[0].astimezone(zone(tz)).utcoffset()
        )


class TestSkippedStart:
    """A start time the clocks jump over moves to the first wall time after the gap."""

    @pytest.mark.parametrize(
        ("tz", "at", "day", "moved"),
        [
            ("Europe/Berlin", "02:30", dt.date(2027, 3, 28), "030000"),
            ("America/New_York", "02:30", dt.date(2027, 3, 14), "030000"),
            ("Australia/Lord_Howe", "02:15", dt.date(2027, 10, 3), "023000"),
            ("America/Santiago", "00:30", dt.date(2027, 9, 5), "010000"),
            ("Europe/Dublin", "01:30", dt.date(2027, 3, 28), "020000"),
        ],
    )
    def test_moves_past_the_gap_with_a_warning(
        self,
        year_files: dict[tuple[str, str], tuple[Plan, bytes]],
        tz: str,
        at: str,
        day: dt.date,
        moved: str,
    ) -> None:
        plan, data = year_files[tz, at]
        assert f"DTSTART;TZID={tz}:{day:%Y%m%d}T{moved}\r\n" in data.decode()
        # No other session moved: the wall time exists on every other day.
        local = [e.start.astimezone(zone(tz)) for e in plan_events(plan).events]
        assert [t.date() for t in local if t.time() != dt.time.fromisoformat(at)] == [day]
        warnings = plan_events(plan).warnings
        [line] = [w for w in warnings if "does not exist" in w]
        assert f"{at} does not exist in {tz}" in line
        assert line.endswith(
            f"that session starts just after the change: {day} at {moved[:2]}:{moved[2:4]}"
        )

    def test_one_warning_names_every_year(self, make_plan: PlanFactory) -> None:
        plan = year_plan(make_plan, "Europe/Berlin", "02:30", weeks=104)
        [skipped, repeated] = plan_events(plan).warnings
        assert skipped.endswith(
            "those sessions start just after the change: 2027-03-28 at 03:00, 2028-03-26 at 03:00"
        )
        assert repeated.startswith("02:30 happens twice in Europe/Berlin when the clocks go back;")
        assert repeated.endswith(": 2027-10-31, 2028-10-29")

    def test_the_moved_event_lasts_its_duration(
        self, year_files: dict[tuple[str, str], tuple[Plan, bytes]]
    ) -> None:
        _, data = year_files["Europe/Berlin", "02:30"]
        text = data.decode()
        assert (
            "DTSTART;TZID=Europe/Berlin:20270328T030000\r\nDTEND;TZID=Europe/Berlin:20270328T034500"
            in text
        )

    def test_digest_matches_asking_for_the_moved_time(self, make_plan: PlanFactory) -> None:
        # Asked 02:30 or 03:00, the 28 March session is the same event: same digest, so a
        # re-export with the other time does not raise its SEQUENCE.
        gap = plan_events(year_plan(make_plan, "Europe/Berlin", "02:30", weeks=13))
        at_three = plan_events(year_plan(make_plan, "Europe/Berlin", "03:00", weeks=13))
        same = [a.digest == b.digest for a, b in zip(gap.events, at_three.events, strict=True)]
        [index] = [i for i, s in enumerate(gap.events) if s.start.date() == dt.date(2027, 3, 28)]
        assert same[index] and same.count(True) == 1


class TestRepeatedStart:
    """A start time that happens twice is its first run, written in UTC so readers agree."""

    @pytest.mark.parametrize(
        ("tz", "at", "day", "start", "end"),
        [
            ("Europe/Berlin", "02:30", dt.date(2027, 10, 31), "20271031T003000Z", "T011500Z"),
            ("Europe/Dublin", "01:30", dt.date(2027, 10, 31), "20271031T003000Z", "T011500Z"),
            ("America/New_York", "01:30", dt.date(2027, 11, 7), "20271107T053000Z", "T061500Z"),
            ("Australia/Lord_Howe", "01:45", dt.date(2027, 4, 4), "20270403T144500Z", "T153000Z"),
            # Santiago goes back at midnight: the Saturday's 23:00-24:00 happens twice.
            ("America/Santiago", "23:30", dt.date(2027, 4, 3), "20270404T023000Z", "T031500Z"),
        ],
    )
    def test_first_run_in_utc_with_a_warning(
        self,
        year_files: dict[tuple[str, str], tuple[Plan, bytes]],
        tz: str,
        at: str,
        day: dt.date,
        start: str,
        end: str,
    ) -> None:
        plan, data = year_files[tz, at]
        text = data.decode()
        assert f"DTSTART:{start}\r\nDTEND:{start[:8]}{end}\r\n" in text
        # Every other session keeps its TZID.
        assert text.split("END:VTIMEZONE")[1].count("\r\nDTSTART:") == 1
        [line] = [w for w in plan_events(plan).warnings if "twice" in w]
        assert f"{at} happens twice in {tz}" in line and f"{day:%Y-%m-%d}" in line

    def test_an_end_in_the_second_run_is_written_in_utc(self, make_plan: PlanFactory) -> None:
        # 00:45 EDT + 90 minutes ends at 01:15 EST, in the second run of the repeated hour; a
        # local DTEND 01:15 would read as the first run, 30 minutes after the start.
        early = plan_events(year_plan(make_plan, "America/New_York", "00:45", duration=90))
        [moved] = [e for e in early.events if e.start.date() == dt.date(2027, 11, 7)]
        assert moved.start.tzinfo is dt.UTC and moved.end.tzinfo is dt.UTC
        assert moved.end - moved.start == dt.timedelta(minutes=90)
        assert not [w for w in early.warnings if "twice" in w]  # the start itself is not


def test_dublin_summer_time_is_daylight() -> None:
    """GMT is STANDARD and IST DAYLIGHT, not tzdata's negative-DST labels the other way."""
    text = build_vtimezone("Europe/Dublin", dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    [standard] = text.walk("STANDARD")
    [daylight] = text.walk("DAYLIGHT")
    assert (str(standard["TZNAME"]), standard["TZOFFSETTO"].td) == ("GMT", dt.timedelta(0))
    assert (str(daylight["TZNAME"]), daylight["TZOFFSETTO"].td) == ("IST", dt.timedelta(hours=1))
    assert zone("Europe/Dublin").dst(dt.datetime(2027, 1, 15)) == -dt.timedelta(hours=1)


@pytest.mark.parametrize("reader", list(READERS))
def test_namibia_1990s_negative_dst_by_the_same_rule(make_plan: PlanFactory, reader: str) -> None:
    # Windhoek 1994-2017: standard CAT +02, winter WAT +01 as a negative DST in tzdata.
    plan = make_plan(
        "hip-knee",
        start=dt.date(2000, 3, 4),
        weeks=30,
        days=DAYS,
        time=dt.time(9),
        tz="Africa/Windhoek",
    )
    data = plan_to_ics(plan, STAMP).data
    assert "TZNAME:CAT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT" in data.decode()
    assert READERS[reader](data) == truth(plan)


@pytest.mark.parametrize("tz", ["Africa/Casablanca", "Africa/El_Aaiun"])
def test_moroccan_ramadan_time_falls_back_to_utc(make_plan: PlanFactory, tz: str) -> None:
    plan = year_plan(make_plan, tz, "18:00")
    events = plan_events(plan)
    assert events.timezone is None and "UTC" in events.warnings[0]
    data = plan_to_ics(plan, STAMP).data
    assert read_icalendar(data) == read_dateutil(data) == truth(plan)


CHANGE_DAYS = [
    (tz, moment.astimezone(zone(tz)).date()) for tz in ZONES for moment in changes(tz, 2027)
]
MORE_ZONES = ["Europe/London", "America/Sao_Paulo", "Asia/Tehran", "Pacific/Chatham", "UTC"]


@fuzz(40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.sampled_from(CHANGE_DAYS)
    | st.tuples(st.sampled_from(MORE_ZONES), st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31))),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    minutes=st.integers(5, 480),
    utc=st.booleans(),
)
def test_every_event_ends_after_it_starts(
    make_plan: PlanFactory, where: tuple[str, dt.date], at: dt.time, minutes: int, utc: bool
) -> None:
    tz, day = where
    # The first session falls on the first chosen weekday from the start: the change day.
    days = tuple(WEEKDAYS[(day.weekday() + i) % 7] for i in (0, 2, 4))
    plan = make_plan("hip-knee", start=day, weeks=3, days=days, time=at, tz=tz, duration=minutes)
    assert plan.sessions[0].date == day
    data = plan_to_ics(plan, STAMP, CalendarOptions(utc=utc)).data
    got = read_icalendar(data)
    assert got == read_dateutil(data) == truth(plan)
    for start, end in got:
        assert end - start == dt.timedelta(minutes=minutes)


@fuzz(60)
@given(
    tz=st.sampled_from([*ZONES, *MORE_ZONES]),
    day=st.dates(dt.date(1971, 1, 1), dt.date(2199, 12, 31)),
    at=st.times(),
    minutes=st.integers(1, 600),
)
def test_session_time_properties(tz: str, day: dt.date, at: dt.time, minutes: int) -> None:
    when = session_time(day, at, zone(tz), minutes)
    start, end = when.start.astimezone(dt.UTC), when.end.astimezone(dt.UTC)
    assert end - start == dt.timedelta(minutes=minutes)
    assert not is_skipped(when.start) and not is_skipped(when.end)
    assert when.start.fold == 0
    asked = dt.datetime.combine(day, at)
    wall = when.start.replace(tzinfo=None)
    if when.kind == "skipped":
        assert asked < wall <= asked + dt.timedelta(hours=24)
        just_before = (when.start.astimezone(dt.UTC) - dt.timedelta(seconds=1)).astimezone(zone(tz))
        assert just_before.replace(tzinfo=None) < asked  # no valid wall time in between
    else:
        assert wall == asked
        assert (when.kind == "repeated") == is_repeated(when.start)
