"""Check what a person logs against the plan (pure): the session, the exercise, the sets,
the load or band, pain and effort. Every message names the option and a value that works;
nothing reaches the store unless all of it is right.
"""

import datetime as dt
import re
from dataclasses import dataclass

from planner.errors import OptionError
from planner.models.log import MAX_LOGGED_SETS, RED_FLAGS, Checkin, LogEntry, RedFlag
from planner.models.plan import Plan, Prescription, Session
from planner.wording.plan import dose_text, fmt_number

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LOAD = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)")


def amount_of(rx: Prescription) -> int:
    """Reps, steps or seconds per set."""
    return rx.seconds if rx.seconds is not None else (rx.reps or rx.steps or 0)


def prescribed(rx: Prescription) -> tuple[int, ...]:
    """What the prescription asks for, set by set (reps, steps or seconds)."""
    return (amount_of(rx),) * rx.sets


def is_hold(rx: Prescription) -> bool:
    """Whether the exercise is dosed in seconds."""
    return rx.seconds is not None


def parse_scale(text: str, option: str, whole: bool) -> float:
    """A 0-10 rating (pain as a whole number, effort in halves allowed)."""
    value = text.strip()
    example = "3" if whole else "7 or 7.5"
    if not _NUMBER.fullmatch(value) or (whole and "." in value):
        kind = "a whole number" if whole else "a number"
        raise OptionError(f"{option}: '{text}' is not {kind} from 0 to 10; give e.g. {example}")
    number = float(value)
    if not 0 <= number <= 10:
        raise OptionError(f"{option}: {value} is outside 0-10; give e.g. {example}")
    return number


def parse_sets(text: str, option: str) -> tuple[int, ...]:
    """``15,15,12`` into one whole number per set."""
    example = "15,15,12" if option == "--reps" else "30,30"
    items = [item.strip() for item in text.split(",")]
    if len(items) > MAX_LOGGED_SETS:
        raise OptionError(
            f"{option}: {len(items)} sets given; log at most {MAX_LOGGED_SETS} sets of one exercise"
        )
    for item in items:
        # isdigit() alone also accepts digits such as '²' that int() refuses.
        if not (item.isascii() and item.isdigit()):
            what = "negative" if item.startswith("-") and item[1:].isdigit() else "not a count"
            raise OptionError(
                f"{option}: '{item[:20]}' is {what}; give a whole number per set, e.g. {example}"
            )
    # Counted by length first: int() refuses strings of more than 4,300 digits.
    if any(len(item.lstrip("0")) > 4 or int(item) > 1000 for item in items):
        raise OptionError(f"{option}: a set is more than 1000; give e.g. {example}")
    return tuple(int(item) for item in items)


def parse_load(text: str) -> tuple[float, str]:
    """``20kg`` / ``45 lb`` into a value and unit."""
    match = _LOAD.fullmatch(text.strip().lower())
    unit = {"kgs": "kg", "lbs": "lb"}.get(match[2], match[2]) if match else ""
    if not match or unit not in ("kg", "lb"):
        raise OptionError(f"--load: '{text}' is not a load with a unit; give e.g. 20kg or 45lb")
    value = float(match[1])
    if not 0 < value <= 1000:
        raise OptionError(f"--load: '{text}' is out of range; give a load above 0, up to 1000")
    return value, unit


def slot_list(plan: Plan) -> str:
    """``W1S1-S3, W2S1-S3, ...``: the plan's sessions, compactly."""
    weeks: dict[int, list[int]] = {}
    for s in plan.sessions:
        weeks.setdefault(s.week, []).append(s.index)
    return ", ".join(
        f"W{w}S1" + (f"-S{max(idx)}" if len(idx) > 1 else "") for w, idx in weeks.items()
    )


def find_session(plan: Plan, slot: str | None, today: dt.date) -> Session:
    """The session named ``slot``, or the latest one on or before ``today``."""
    if slot is None:
        done = [s for s in plan.sessions if s.date <= today]
        if not done:
            raise OptionError(
                f"--session: no session is on or before today ({today}); the plan starts "
                f"{plan.sessions[0].date}. Give the session, e.g. --session W1S1"
            )
        return done[-1]
    wanted = slot.strip().upper()
    for session in plan.sessions:
        if session.slot == wanted:
            if session.date > today:
                raise OptionError(
                    f"--session: {session.slot} is on {session.date}, after today ({today}); "
                    "log a session once you have done it"
                )
            return session
    raise OptionError(f"--session: no session '{slot}' in this plan; valid: {slot_list(plan)}")


def find_exercise(session: Session, exercise: str) -> Prescription:
    """The prescription for ``exercise`` in ``session``."""
    wanted = exercise.strip().lower()
    for rx in session.exercises:
        if rx.exercise == wanted:
            return rx
    valid = ", ".join(rx.exercise for rx in session.exercises)
    raise OptionError(
        f"--exercise: '{exercise}' is not in session {session.slot}; its exercises: {valid}"
    )


@dataclass(frozen=True, slots=True)
class Done:
    """What the person says they did, before it is checked against the prescription."""

    reps: str | None = None
    hold: str | None = None
    load: str | None = None
    band: str | None = None


def build_entry(
    plan: Plan,
    session: Session,
    rx: Prescription,
    done: Done,
    pain: str,
    rpe: str | None = None,
    note: str = "",
    extra: bool = False,
    form_broke: bool = False,
) -> LogEntry:
    """Check one logged exercise against its prescription and return the entry to store.

    Left-out parts default to the prescription: no ``--reps``/``--hold`` means every set as
    prescribed, no ``--load``/``--band`` means the prescribed load or band.
    """
    sets = _sets(rx, done)
    if len(sets) > rx.sets and not extra:
        raise OptionError(
            f"{'--hold' if is_hold(rx) else '--reps'}: {len(sets)} sets given but "
            f"{session.slot} prescribes {rx.sets} for {rx.exercise}; add --extra if you "
            "really did more"
        )
    load, unit = _load(plan, session, rx, done.load)
    band = _band(plan, session, rx, done.band)
    return LogEntry(
        slot=session.slot,
        exercise=rx.exercise,
        done=sets,
        load=load,
        unit=unit,
        band=band,
        pain=int(parse_scale(pain, "--pain", whole=True)),
        rpe=None if rpe is None else parse_scale(rpe, "--rpe", whole=False),
        form_broke=form_broke,
        note=note.strip(),
        date=session.date,
    )


def _sets(rx: Prescription, done: Done) -> tuple[int, ...]:
    if done.reps is not None and done.hold is not None:
        raise OptionError("--reps and --hold: give one; --hold is for exercises held in seconds")
    if is_hold(rx) and done.reps is not None:
        raise OptionError(
            f"--reps: {rx.name} is held in seconds; give --hold with seconds per set, "
            f"e.g. --hold {','.join(map(str, prescribed(rx)))}"
        )
    if not is_hold(rx) and done.hold is not None:
        raise OptionError(
            f"--hold: {rx.name} is counted in reps; give --reps per set, "
            f"e.g. --reps {','.join(map(str, prescribed(rx)))}"
        )
    if done.reps is not None:
        return parse_sets(done.reps, "--reps")
    if done.hold is not None:
        return parse_sets(done.hold, "--hold")
    return prescribed(rx)


def _load(
    plan: Plan, session: Session, rx: Prescription, text: str | None
) -> tuple[float | None, str | None]:
    if text is None:
        return rx.load, rx.unit
    if rx.load is None:
        raise OptionError(
            f"--load: {rx.name} in {session.slot} takes no load ({dose_text(rx)}); leave --load out"
        )
    value, unit = parse_load(text)
    if unit != plan.units:
        raise OptionError(
            f"--load: this plan is in {plan.units}; give the load in {plan.units}, "
            f"e.g. --load {fmt_number(rx.load)}{plan.units}"
        )
    return value, unit


def _band(plan: Plan, session: Session, rx: Prescription, text: str | None) -> str | None:
    if text is None:
        return rx.band
    if rx.band is None:
        raise OptionError(
            f"--band: {rx.name} in {session.slot} uses no band ({dose_text(rx)}); leave --band out"
        )
    band = text.strip().lower()
    known = plan.band_ladder()
    if band not in known:
        raise OptionError(f"--band: '{text}' is not one of your bands: {', '.join(known)}")
    return band


def parse_red_flags(text: str | None) -> tuple[RedFlag, ...]:
    """``swelling,night-pain`` into red-flag signs."""
    if text is None or text.strip().lower() == "none":
        return ()
    flags = []
    for item in (i.strip().lower() for i in text.split(",")):
        if item not in RED_FLAGS:
            raise OptionError(
                f"--red-flag: '{item}' is not a sign planner knows; use {', '.join(RED_FLAGS)}"
            )
        flags.append(item)
    return tuple(dict.fromkeys(flags))


def build_checkin(pain: str, day: dt.date, today: dt.date, flags: str | None) -> Checkin:
    """Check a morning check-in: a 0-10 pain, a day that is not in the future."""
    if day > today:
        raise OptionError(f"--date: {day} is after today ({today}); check in for today or before")
    return Checkin(
        date=day,
        morning_pain=int(parse_scale(pain, "--morning-pain", whole=True)),
        red_flags=parse_red_flags(flags),
    )


def answer(text: str, rx: Prescription) -> Done:
    """Read one interactive answer: empty = as prescribed, else ``15,15,12`` with an optional
    load (``20kg``) or band (``green``) after a space."""
    words = text.split()
    if not words:
        return Done()
    amounts, rest = words[0], words[1:]
    if len(rest) > 1:
        raise OptionError("answer: give the sets, then at most a load or a band, e.g. 12,12 20kg")
    done = Done(hold=amounts) if is_hold(rx) else Done(reps=amounts)
    if rest:
        extra = rest[0]
        if extra[0].isdigit():
            return Done(reps=done.reps, hold=done.hold, load=extra)
        return Done(reps=done.reps, hold=done.hold, band=extra)
    return done
