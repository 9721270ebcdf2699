"""Plan -> iCalendar bytes (RFC 5545), built to ics-requirements.md.

The only module that imports icalendar. Exporting happens in two steps:

1. :func:`plan_events` lays the plan out as :class:`EventSpec` values (UID, times, texts,
   alarm) and gives each a content digest, so the caller can tell which sessions changed
   since the last export (:mod:`planner.exporters.event_versions`).
2. :func:`render_calendar` (one ``.ics`` file) or :func:`render_objects` (one calendar
   object per session, for CalDAV) turn the specs plus their versions into bytes.

Output depends on nothing but the arguments, so the same input always gives the same bytes.
"""

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Event, Timezone
from icalendar.prop import vDuration, vText

from planner.exporters.event_versions import SlotState, Versions, next_versions
from planner.exporters.folding import serialize
from planner.exporters.vtimezone import IrregularZone, build_vtimezone
from planner.exporters.wall_time import Kind, is_repeated, session_time
from planner.models.calendar import MAX_TITLE, CalendarOptions
from planner.models.plan import Plan, Session
from planner.version import __version__
from planner.wording.life import session_marks
from planner.wording.plan import calendar_description, session_descriptions
from planner.zones import zone

PRODID = f"-//planner//planner {__version__}//EN"


@dataclass(frozen=True, slots=True)
class EventSpec:
    """Everything that makes up one session's VEVENT except its version."""

    uid: str
    summary: str
    description: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    categories: tuple[str, ...]
    busy: bool
    alarm: int | None
    # Hash of the VTIMEZONE the event is written with: rules written differently (newer
    # zone data, the Dublin labels) must reach calendars that re-import the file.
    rules: str = ""

    @property
    def digest(self) -> str:
        """Hash of the content: equal digests export the same event."""
        zone = str(getattr(self.start, "tzinfo", None) or "")
        parts = (
            self.uid,
            self.summary,
            self.description,
            self.start.isoformat(),
            self.end.isoformat(),
            zone,
            *self.categories,
            str(self.busy),
            str(self.alarm),
            *((self.rules,) if self.rules else ()),  # all-day events: digests as before
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PlanEvents:
    """A plan laid out as calendar events, with the time zone component they need."""

    plan: Plan
    calendar: CalendarOptions
    events: tuple[EventSpec, ...]
    timezone: Timezone | None
    warnings: tuple[str, ...] = ()

    @property
    def digests(self) -> dict[str, str]:
        """UID -> content digest, in session order."""
        return {event.uid: event.digest for event in self.events}


@dataclass(frozen=True, slots=True)
class IcsResult:
    """The calendar bytes and anything the person should know about them."""

    data: bytes
    warnings: tuple[str, ...] = ()


def event_uid(plan: Plan, session: Session) -> str:
    """UID from plan id and slot: stable when a session moves to another day."""
    return f"{plan.id}-{session.slot.lower()}@planner"


def event_title(title: str | None) -> str | None:
    """``title`` as the start of an event title: one line, cut to :data:`MAX_TITLE`
    characters (with an ellipsis) so the session still shows on a phone."""
    if not title:
        return None
    text = " ".join(title.split())
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def _summary(plan: Plan, session: Session, title: str | None = None) -> str:
    """``Knee plan · W1S2 strength (Day B, deload)`` with a title, else (as before titles)
    ``W1S2 Strength session (Day B, deload)``. The UID never depends on it."""
    if title:
        text = f"{title} · {session.slot} {session.phase}"
    else:
        text = f"{session.slot} {session.phase.capitalize()} session"
    marks = [m for m, on in (("deload", session.deload), ("safety stop", session.paused)) if on]
    marks += session_marks(plan, session)  # "waiting" in a pause, "skipped"
    if session.day:
        marks.insert(0, session.title)  # "W1S2 Strength session (Day B, deload)"
    return f"{text} ({', '.join(marks)})" if marks else text


def _times(
    plan: Plan, session: Session, tz: dt.tzinfo | None
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime, Kind]:
    """Start, end and what the asked wall time did that day (see :func:`session_time`).

    An event that starts or ends in a repeated hour is written in UTC: a local time with a
    TZID cannot say which of the two runs it means, so an end in the second run would read
    as the first (before the start), and readers differ on which run a bare time means.
    """
    options = plan.options
    if options.time is None or tz is None:
        return session.date, session.date + dt.timedelta(days=1), "ok"
    when = session_time(session.date, options.time, zone(options.tz or "UTC"), session.minutes)
    if tz is dt.UTC or when.kind == "repeated" or is_repeated(when.end):
        return when.start.astimezone(dt.UTC), when.end.astimezone(dt.UTC), when.kind
    return when.start, when.end, when.kind


def _clock_warnings(plan: Plan, moved: dict[Kind, list[dt.datetime]]) -> list[str]:
    """One line per kind of clock change that moved or split a session's start time."""
    asked, tz = plan.options.time, plan.options.tz
    if asked is None:
        return []
    wall = asked.strftime("%H:%M")
    lines = []
    if skipped := moved.get("skipped"):
        days = ", ".join(f"{s:%Y-%m-%d} at {s:%H:%M}" for s in skipped)
        lines.append(
            f"{wall} does not exist in {tz} when the clocks go forward; {_those(skipped)} "
            f"just after the change: {days}"
        )
    if repeated := moved.get("repeated"):
        days = ", ".join(f"{s:%Y-%m-%d}" for s in repeated)
        lines.append(
            f"{wall} happens twice in {tz} when the clocks go back; {_those(repeated)} at the "
            f"first {wall}, written in UTC so that every calendar shows the same time: {days}"
        )
    return lines


def _those(sessions: list[dt.datetime]) -> str:
    return "that session starts" if len(sessions) == 1 else "those sessions start"


def plan_events(
    plan: Plan, calendar: CalendarOptions | None = None, saved_name: str | None = None
) -> PlanEvents:
    """Lay ``plan`` out as one event per session (no RRULE: sessions differ week to week).

    Event titles start with ``calendar.title``, else with ``saved_name`` (the saved plan's
    name), else with nothing.

    Timed sessions get a rule-based VTIMEZONE, or UTC times when ``calendar.utc`` is set or
    the zone has no single yearly rule (then a warning says so).
    """
    calendar = calendar or CalendarOptions()
    warnings: list[str] = []
    timezone: Timezone | None = None
    tz: dt.tzinfo | None = None
    if plan.options.time is not None and plan.options.tz:
        tz = dt.UTC
        if not calendar.utc:
            try:
                first, last = plan.sessions[0].date, plan.sessions[-1].date
                timezone = build_vtimezone(plan.options.tz, first, last)
                tz = zone(plan.options.tz)
            except IrregularZone as exc:
                warnings.append(f"{exc}; event times are written in UTC instead")
    rules = "" if timezone is None else hashlib.sha256(timezone.to_ical()).hexdigest()
    title = event_title(calendar.title or saved_name)
    events = []
    moved: dict[Kind, list[dt.datetime]] = {}
    for session, description in zip(plan.sessions, session_descriptions(plan), strict=True):
        start, end, kind = _times(plan, session, tz)
        if kind != "ok" and isinstance(start, dt.datetime):
            moved.setdefault(kind, []).append(start.astimezone(zone(plan.options.tz or "UTC")))
        events.append(
            EventSpec(
                uid=event_uid(plan, session),
                summary=_summary(plan, session, title),
                description=description,
                start=start,
                end=end,
                categories=("Exercise", session.phase.capitalize()),
                busy=tz is not None,
                alarm=calendar.remind,
                rules=rules,
            )
        )
    warnings.extend(_clock_warnings(plan, moved))
    return PlanEvents(plan, calendar, tuple(events), timezone, tuple(warnings))


def first_versions(events: PlanEvents, stamp: dt.datetime) -> Versions:
    """Versions for a plan with no export history: every event at SEQUENCE 0, ``stamp``."""
    return next_versions({}, events.digests, stamp)


def _event(spec: EventSpec, state: SlotState) -> Event:
    event = Event.new(
        uid=spec.uid,
        # Without METHOD, DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2);
        # tying it to the version keeps unchanged events byte-identical across exports.
        stamp=state.modified,
        last_modified=state.modified,
        start=spec.start,
        end=spec.end,
        summary=spec.summary,
        description=spec.description,
        categories=list(spec.categories),
        sequence=state.sequence,
    )
    event.add("TRANSP", "OPAQUE" if spec.busy else "TRANSPARENT")
    if spec.alarm is not None:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", -dt.timedelta(minutes=spec.alarm))
        alarm.add("DESCRIPTION", spec.summary)
        event.add_component(alarm)
    return event


def _shell() -> Calendar:
    # Calendar.new() is avoided on purpose: in icalendar 7.3 it adds a random UID (not
    # reproducible) and copies a multi-line description into X-WR-CALDESC unescaped.
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    return cal


def render_calendar(events: PlanEvents, states: Mapping[str, SlotState]) -> IcsResult:
    """The whole plan as one VCALENDAR file, each event at the version in ``states``."""
    plan, options = events.plan, events.calendar
    cal = _shell()
    title = options.name or plan.title
    # Every calendar-level text is wrapped in vText: icalendar 7 knows NAME, COLOR and the
    # X- properties by no type, and writes an unknown one's value unescaped (a comma in a
    # name then splits it for vobject).
    cal.add("NAME", vText(title))
    cal.add("X-WR-CALNAME", vText(title))
    description = calendar_description(plan)
    cal.add("DESCRIPTION", vText(description))
    cal.add("X-WR-CALDESC", vText(description))
    refresh = dt.timedelta(minutes=options.refresh)
    # Two vDuration objects: add() stores the VALUE parameter on the value it is given.
    cal.add("REFRESH-INTERVAL", vDuration(refresh), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(refresh))
    if options.color:
        cal.add("COLOR", vText(options.color))
    if events.timezone is not None:
        cal.add("X-WR-TIMEZONE", vText(plan.options.tz or "UTC"))
        cal.add_component(events.timezone)
    for spec in events.events:
        cal.add_component(_event(spec, states[spec.uid]))
    return IcsResult(serialize(cal), events.warnings)


def render_objects(events: PlanEvents, states: Mapping[str, SlotState]) -> dict[str, bytes]:
    """One calendar object per session (VCALENDAR with its VTIMEZONE and one VEVENT), keyed
    by UID: the unit a CalDAV server stores."""
    objects = {}
    for spec in events.events:
        cal = _shell()
        if events.timezone is not None:
            cal.add_component(events.timezone)
        cal.add_component(_event(spec, states[spec.uid]))
        objects[spec.uid] = serialize(cal)
    return objects


def plan_to_ics(
    plan: Plan, stamp: dt.datetime, calendar: CalendarOptions | None = None
) -> IcsResult:
    """The plan as a first export: every event at SEQUENCE 0 with DTSTAMP ``stamp``."""
    events = plan_events(plan, calendar)
    return render_calendar(events, first_versions(events, stamp).states)
