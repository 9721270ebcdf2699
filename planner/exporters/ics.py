"""Plan -> iCalendar bytes (RFC 5545), built to ics-requirements.md items 1-3 and 5-12.

The only module that imports icalendar. Output depends on nothing but its arguments, so
the same plan and stamp always give the same bytes.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from icalendar.prop import vDuration, vText

from planner import __version__
from planner.exporters.folding import serialize
from planner.exporters.vtimezone import IrregularZone, build_vtimezone
from planner.models.plan import Plan, Session
from planner.text import calendar_description, session_description

PRODID = f"-//planner//planner {__version__}//EN"
REFRESH = dt.timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class IcsResult:
    """The calendar bytes and anything the person should know about them."""

    data: bytes
    warnings: tuple[str, ...] = ()


def event_uid(plan: Plan, session: Session) -> str:
    """UID from plan id and slot: stable when a session moves to another day."""
    return f"{plan.id}-{session.slot.lower()}@planner"


def _summary(session: Session) -> str:
    text = f"{session.slot} {session.phase.capitalize()} session"
    return text + " (deload)" if session.deload else text


def _times(
    plan: Plan, session: Session, tz: dt.tzinfo | None
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    options = plan.options
    if options.time is None or tz is None:
        return session.date, session.date + dt.timedelta(days=1)
    start = dt.datetime.combine(session.date, options.time, tzinfo=ZoneInfo(options.tz or "UTC"))
    end = start + dt.timedelta(minutes=session.minutes)
    if tz is dt.UTC:
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return start, end


def plan_to_ics(plan: Plan, stamp: dt.datetime) -> IcsResult:
    """Render the whole plan as one VCALENDAR with one VEVENT per session.

    Args:
        plan: the generated plan.
        stamp: DTSTAMP for every event (aware, any zone; written in UTC). Passing it in
            keeps output byte-for-byte reproducible.
    """
    stamp = stamp.astimezone(dt.UTC)
    # Calendar.new() is avoided on purpose: in icalendar 7.3 it adds a random UID (not
    # reproducible) and copies a multi-line description into X-WR-CALDESC unescaped.
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("NAME", plan.title)
    cal.add("X-WR-CALNAME", vText(plan.title))
    description = calendar_description(plan)
    cal.add("DESCRIPTION", description)
    cal.add("X-WR-CALDESC", vText(description))
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    warnings: list[str] = []
    tz: dt.tzinfo | None = None
    if plan.options.time is not None and plan.options.tz:
        cal.add("X-WR-TIMEZONE", plan.options.tz)
        try:
            cal.add_component(
                build_vtimezone(plan.options.tz, plan.sessions[0].date, plan.sessions[-1].date)
            )
            tz = ZoneInfo(plan.options.tz)
        except IrregularZone as exc:
            warnings.append(f"{exc}; event times are written in UTC instead")
            tz = dt.UTC
    for session in plan.sessions:
        start, end = _times(plan, session, tz)
        event = Event.new(
            uid=event_uid(plan, session),
            stamp=stamp,
            start=start,
            end=end,
            summary=_summary(session),
            description=session_description(plan, session),
            categories=["Exercise", session.phase.capitalize()],
            sequence=0,
        )
        event.add("TRANSP", "TRANSPARENT" if tz is None else "OPAQUE")
        cal.add_component(event)
    return IcsResult(serialize(cal), tuple(warnings))
