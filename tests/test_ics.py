"""The .ics contract (ics-requirements.md 1-3, 5-12), golden files, independent parsers."""

import datetime as dt
import os
import re

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from planner.exporters.event_versions import SlotState
from planner.exporters.ics import (
    first_versions,
    plan_events,
    plan_to_ics,
    render_calendar,
    render_objects,
)
from planner.models import Plan
from planner.models.adapt import AdaptSettings
from planner.models.calendar import CalendarOptions
from planner.wording.safety import pain_rule, red_flag_rule
from planner.zones import zone
from tests.conftest import GOLDEN, SLUGS, STAMP, PlanFactory
from tests.fuzzing import fuzz

PAIN_RULE = pain_rule(AdaptSettings())
RED_FLAG_WORDS = red_flag_rule(AdaptSettings())

TIMED = {
    "time": dt.time(18, 0),
    "tz": "Europe/Berlin",
    "duration": 45,
    "start": dt.date(2027, 3, 1),
}


# A plan fitted to a person: substitutions, promoted cues, pounds, own bands and level.
TAILORED = {
    "avoid": ("knee",),
    "equipment": ("band", "step", "dumbbell"),
    "units": "lb",
    "level": "intermediate",
    "bands": ("yellow", "red", "green", "blue"),
}


def golden_cases(make_plan: PlanFactory) -> dict[str, Plan]:
    cases = {slug: make_plan(slug) for slug in SLUGS}
    cases["hip-knee-timed-berlin"] = make_plan("hip-knee", **TIMED)
    cases["hip-knee-tailored"] = make_plan("hip-knee", **TAILORED)
    return cases


def unfold(data: bytes) -> str:
    return data.decode().replace("\r\n ", "")


@pytest.mark.parametrize("name", [*SLUGS, "hip-knee-timed-berlin", "hip-knee-tailored"])
def test_golden_bytes(make_plan: PlanFactory, name: str) -> None:
    plan = golden_cases(make_plan)[name]
    data = plan_to_ics(plan, STAMP).data
    path = GOLDEN / f"{name}.ics"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{path} differs; regenerate with UPDATE_GOLDEN=1 on purpose"


def test_golden_titled(make_plan: PlanFactory) -> None:
    """--title changes each SUMMARY and nothing else: the UIDs (and so re-imports updating
    events in place) stay those of the untitled golden file."""
    plan = make_plan("hip-knee")
    data = plan_to_ics(plan, STAMP, CalendarOptions(title="Knee plan")).data
    path = GOLDEN / "hip-knee-titled.ics"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{path} differs; regenerate with UPDATE_GOLDEN=1 on purpose"
    titled = unfold(data).splitlines()
    plain = unfold((GOLDEN / "hip-knee.ics").read_bytes()).splitlines()
    changed = [(a, b) for a, b in zip(plain, titled, strict=True) if a != b]
    assert len(changed) == len(plan.sessions)
    for before, after in changed:
        found = re.fullmatch(r"SUMMARY:(W\d+S\d+) (\w+) session( \(.+\))?", before)
        assert found is not None, before
        slot, phase, marks = found.groups()
        assert after == f"SUMMARY:Knee plan · {slot} {phase.lower()}{marks or ''}"


class TestEventTitles:
    def test_saved_name_is_the_default_and_the_title_wins(self, make_plan: PlanFactory) -> None:
        plan = make_plan("hip-knee")
        named = plan_events(plan, CalendarOptions(), "knee")
        titled = plan_events(plan, CalendarOptions(title="Sam's knee"), "knee")
        assert named.events[0].summary == "knee · W1S1 activation"
        assert titled.events[0].summary == "Sam's knee · W1S1 activation"
        deload = next(e for e, s in zip(titled.events, plan.sessions, strict=True) if s.deload)
        assert deload.summary.startswith("Sam's knee · W") and deload.summary.endswith("(deload)")
        assert (
            [e.uid for e in named.events]
            == [e.uid for e in titled.events]
            == [e.uid for e in plan_events(plan).events]
        )

    def test_a_long_saved_name_is_cut_for_phones(self, make_plan: PlanFactory) -> None:
        events = plan_events(make_plan("hip-knee"), CalendarOptions(), "a" * 90)
        summary = events.events[0].summary
        assert summary.startswith("a" * 39 + "… · W1S1")
        assert len(summary) <= 40 + len(" · W1S1 activation")


@pytest.fixture(scope="module", params=["all-day", "timed", "tailored"])
def exported(request: pytest.FixtureRequest, make_plan: PlanFactory) -> tuple[Plan, bytes]:
    options = {"all-day": {}, "timed": TIMED, "tailored": TAILORED}[request.param]
    plan = make_plan("hip-knee", **options)
    return plan, plan_to_ics(plan, STAMP).data


class TestContract:
    def test_encoding_and_line_endings(self, exported: tuple[Plan, bytes]) -> None:
        _, data = exported
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\n" not in data.replace(b"\r\n", b"")
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))

    def test_calendar_properties(self, exported: tuple[Plan, bytes]) -> None:
        plan, data = exported
        text = unfold(data)
        for needle in ("VERSION:2.0", "PRODID:-//planner//planner ", f"NAME:{plan.title}",
                       f"X-WR-CALNAME:{plan.title}", "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
                       "X-PUBLISHED-TTL:PT12H"):  # fmt: skip
            assert needle in text
        assert "METHOD:" not in text

    def test_events_one_per_session_with_stable_unique_uids(
        self, exported: tuple[Plan, bytes]
    ) -> None:
        plan, data = exported
        cal = icalendar.Calendar.from_ical(data)
        events = cal.walk("VEVENT")
        assert len(events) == len(plan.sessions)
        uids = [str(e["UID"]) for e in events]
        assert len(set(uids)) == len(uids)
        assert uids[0] == f"{plan.id}-w1s1@planner"
        for e in events:
            assert "RRULE" not in e
            assert e["DTSTAMP"].dt == STAMP
            assert e["DTEND"].dt > e["DTSTART"].dt
            assert re.match(r"W\d+S\d \w+ session", str(e["SUMMARY"]))

    def test_description_has_prescription_and_safety(self, exported: tuple[Plan, bytes]) -> None:
        plan, data = exported
        for event, session in zip(
            icalendar.Calendar.from_ical(data).walk("VEVENT"), plan.sessions, strict=True
        ):
            desc = str(event["DESCRIPTION"])
            assert PAIN_RULE in desc and RED_FLAG_WORDS in desc
            assert len(desc.encode()) < 8000
            for rx in session.exercises:
                assert rx.name in desc and rx.cue in desc
            assert "cure" in desc  # the no-promise line

    def test_all_day_uses_dates_with_exclusive_end(self, make_plan: PlanFactory) -> None:
        data = plan_to_ics(make_plan(), STAMP).data
        text = data.decode()
        assert "DTSTART;VALUE=DATE:20261207\r\nDTEND;VALUE=DATE:20261208" in text
        assert "VTIMEZONE" not in text and "TZID" not in text

    def test_timed_has_rule_based_vtimezone_before_events(self, make_plan: PlanFactory) -> None:
        text = plan_to_ics(make_plan("hip-knee", **TIMED), STAMP).data.decode()
        assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
        assert text.count("BEGIN:STANDARD") == 1 and text.count("BEGIN:DAYLIGHT") == 1
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
        assert "RDATE" not in text
        assert "DTSTART;TZID=Europe/Berlin:20270301T180000" in text
        assert "X-WR-TIMEZONE:Europe/Berlin" in text


def _utc_starts_vobject(data: bytes) -> list[dt.datetime]:
    cal = next(vobject.readComponents(data.decode(), validate=True))
    return [
        v.astimezone(dt.UTC) if isinstance(v := ev.dtstart.value, dt.datetime) else v
        for ev in cal.vevent_list
    ]


@pytest.mark.parametrize(
    ("tz", "start", "before", "after"),
    [
        ("Europe/Berlin", dt.date(2027, 3, 1), 17, 16),  # CET -> CEST on 28 March
        ("America/New_York", dt.date(2027, 2, 22), 23, 22),  # EST -> EDT on 14 March
        ("Australia/Sydney", dt.date(2027, 3, 8), 7, 8),  # AEDT -> AEST on 4 April
    ],
)
def test_dst_change_keeps_local_time_in_an_independent_parser(
    make_plan: PlanFactory, tz: str, start: dt.date, before: int, after: int
) -> None:
    """vobject builds its tzinfo from our VTIMEZONE, so this checks the rules we wrote."""
    plan = make_plan("hip-knee", time=dt.time(18, 0), tz=tz, start=start)
    starts = _utc_starts_vobject(plan_to_ics(plan, STAMP).data)
    assert starts[0].hour == before and starts[-1].hour == after
    expected = [dt.datetime.combine(s.date, dt.time(18), tzinfo=zone(tz)) for s in plan.sessions]
    assert starts == [e.astimezone(dt.UTC) for e in expected]


def test_irregular_zone_falls_back_to_utc(make_plan: PlanFactory) -> None:
    plan = make_plan("runner-knee", time=dt.time(18, 0), tz="Africa/Casablanca")
    result = plan_to_ics(plan, STAMP)
    assert result.warnings and "UTC" in result.warnings[0]
    assert "VTIMEZONE" not in result.data.decode()
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", result.data.decode())
    starts = [e["DTSTART"].dt for e in icalendar.Calendar.from_ical(result.data).walk("VEVENT")]
    local = [s.astimezone(zone("Africa/Casablanca")) for s in starts]
    assert all(t.utcoffset() == dt.timedelta(0) for t in starts)
    assert all((t.hour, t.minute) == (18, 0) for t in local)


@pytest.mark.parametrize("slug", SLUGS)
def test_strict_parsers_accept_every_template(make_plan: PlanFactory, slug: str) -> None:
    tailored = make_plan(slug, avoid=("knee", "back", "hamstring"), equipment=(), level="advanced")
    for plan in (make_plan(slug), make_plan(slug, **TIMED), tailored):
        data = plan_to_ics(plan, STAMP).data
        strict = IcsCalendarStream.calendar_from_ics(data.decode())
        assert len(strict.events) == len(plan.sessions)
        assert [e.uid for e in strict.events] == [
            f"{plan.id}-{s.slot.lower()}@planner" for s in plan.sessions
        ]
        assert len(_utc_starts_vobject(data)) == len(plan.sessions)


@fuzz(25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    slug=st.sampled_from(SLUGS),
    start=st.dates(dt.date(2025, 1, 1), dt.date(2032, 12, 31)),
    timed=st.booleans(),
    tz=st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Tokyo"]),
)
def test_round_trip_every_event(
    make_plan: PlanFactory, slug: str, start: dt.date, timed: bool, tz: str
) -> None:
    extra = {"time": dt.time(6, 45), "tz": tz} if timed else {}
    plan = make_plan(slug, start=start, **extra)
    data = plan_to_ics(plan, STAMP).data
    assert plan_to_ics(plan, STAMP).data == data  # deterministic
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    for event, session in zip(events, plan.sessions, strict=True):
        start_value = event["DTSTART"].dt
        if timed:
            assert start_value.date() == session.date
            assert (
                start_value.utcoffset()
                == dt.datetime.combine(session.date, dt.time(6, 45), tzinfo=zone(tz)).utcoffset()
            )
        else:
            assert start_value == session.date
    assert IcsCalendarStream.calendar_from_ics(data.decode()).events


def test_description_text_round_trips(make_plan: PlanFactory) -> None:
    plan = make_plan()
    from planner.wording.plan import session_description

    events = icalendar.Calendar.from_ical(plan_to_ics(plan, STAMP).data).walk("VEVENT")
    assert [str(e["DESCRIPTION"]) for e in events] == [
        session_description(plan, s) for s in plan.sessions
    ]


@pytest.mark.parametrize("name", [*SLUGS, "hip-knee-timed-berlin"])
def test_fast_folding_matches_icalendar_byte_for_byte(make_plan: PlanFactory, name: str) -> None:
    plan = golden_cases(make_plan)[name]
    data = plan_to_ics(plan, STAMP).data
    assert data == icalendar.Calendar.from_ical(data).to_ical()


@given(st.text(min_size=0, max_size=400))
def test_fold_matches_icalendar_for_any_text(text: str) -> None:
    from icalendar import Event

    from planner.exporters.folding import serialize

    event = Event()
    event.add("DESCRIPTION", text)
    event.add("SUMMARY", text[:90])
    assert serialize(event) == event.to_ical()


class TestCalendarOptions:
    def test_reminder_colour_name_refresh(self, make_plan: PlanFactory) -> None:
        plan = make_plan()
        options = CalendarOptions(name="Knee, rehab", color="teal", remind=30, refresh=60)
        data = plan_to_ics(plan, STAMP, options).data
        cal = icalendar.Calendar.from_ical(data)
        # icalendar reads NAME back without a type: its TEXT escapes are left as written.
        assert str(cal["NAME"]) == "Knee\\, rehab"
        assert "\r\nNAME:Knee\\, rehab\r\n" in data.decode()  # escaped as TEXT
        assert "X-WR-CALNAME:Knee\\, rehab\r\n" in data.decode()
        assert str(cal["COLOR"]) == "teal"
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data.decode()
        assert "X-PUBLISHED-TTL:PT1H\r\n" in data.decode()
        for event in cal.walk("VEVENT"):
            [alarm] = event.walk("VALARM")
            assert alarm["ACTION"] == "DISPLAY"
            assert alarm["TRIGGER"].dt == -dt.timedelta(minutes=30)
            assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
        strict = IcsCalendarStream.calendar_from_ics(data.decode())
        assert all(len(e.alarm) == 1 for e in strict.events)
        vobject.readOne(data.decode(), validate=True)

    def test_no_reminder_unless_asked(self, make_plan: PlanFactory) -> None:
        assert b"VALARM" not in plan_to_ics(make_plan(), STAMP).data

    def test_utc_instead_of_vtimezone(self, make_plan: PlanFactory) -> None:
        plan = make_plan(**TIMED)
        data = plan_to_ics(plan, STAMP, CalendarOptions(utc=True)).data
        assert b"VTIMEZONE" not in data and b"TZID" not in data
        zoned = icalendar.Calendar.from_ical(plan_to_ics(plan, STAMP).data).walk("VEVENT")
        utc = icalendar.Calendar.from_ical(data).walk("VEVENT")
        for a, b in zip(zoned, utc, strict=True):
            assert b["DTSTART"].dt.tzinfo is not None and b[
                "DTSTART"
            ].dt.utcoffset() == dt.timedelta(0)
            assert a["DTSTART"].dt == b["DTSTART"].dt  # the same instant
        assert b["DTSTART"].to_ical().endswith(b"Z")


def test_versions_set_sequence_stamp_and_last_modified(make_plan: PlanFactory) -> None:
    events = plan_events(make_plan())
    later = STAMP + dt.timedelta(days=2)
    first = first_versions(events, STAMP).states
    uid = events.events[4].uid
    states = {**first, uid: SlotState(first[uid].digest, 3, later)}
    cal = icalendar.Calendar.from_ical(render_calendar(events, states).data)
    for event in cal.walk("VEVENT"):
        bumped = str(event["UID"]) == uid
        assert event["SEQUENCE"] == (3 if bumped else 0)
        assert event["LAST-MODIFIED"].dt == event["DTSTAMP"].dt == (later if bumped else STAMP)


def test_digest_changes_with_content_only(make_plan: PlanFactory) -> None:
    base = plan_events(make_plan()).digests
    assert plan_events(make_plan()).digests == base
    moved = plan_events(make_plan(days=("tue", "thu", "sat"))).digests
    assert moved.keys() == base.keys()  # same UIDs after moving days
    assert all(moved[uid] != base[uid] for uid in base)
    renamed = plan_events(make_plan(), CalendarOptions(name="Other", color="red")).digests
    assert renamed == base  # calendar-level settings are not event content
    assert plan_events(make_plan(), CalendarOptions(remind=15)).digests != base


def test_objects_are_one_event_each_with_the_timezone(make_plan: PlanFactory) -> None:
    plan = make_plan(**TIMED)
    events = plan_events(plan)
    objects = render_objects(events, first_versions(events, STAMP).states)
    assert list(objects) == [e.uid for e in events.events]
    for uid, data in objects.items():
        cal = icalendar.Calendar.from_ical(data)
        [event] = cal.walk("VEVENT")
        assert str(event["UID"]) == uid
        assert len(cal.walk("VTIMEZONE")) == 1 and b"X-WR-CALNAME" not in data
        assert len(IcsCalendarStream.calendar_from_ics(data.decode()).events) == 1


def test_a_changed_time_zone_definition_changes_the_event_digest() -> None:
    # Re-imported files only update events whose SEQUENCE rose: a VTIMEZONE written
    # differently (newer zone data, other labels) must count as a change of the event.
    import dataclasses

    from planner.exporters.ics import EventSpec

    start = dt.datetime(2027, 1, 4, 18, 0, tzinfo=dt.UTC)
    spec = EventSpec("u@planner", "W1S1", "text", start, start + dt.timedelta(hours=1),
                     ("Exercise",), True, None, rules="a")  # fmt: skip
    assert dataclasses.replace(spec, rules="b").digest != spec.digest
