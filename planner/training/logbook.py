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
from planner.suggest import did_you_mean
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
            first = plan.sessions[0]
            # No example slot here: every session is after today, so any slot named would be
            # refused as well.
            raise OptionError(
                f"--session: no session is on or before today ({today}); the plan starts "
                f"with {first.slot} on {first.date}: log it once you have done it"
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
    ids = [rx.exercise for rx in session.exercises]
    raise OptionError(
        f"--exercise: '{exercise}' is not in session {session.slot}"
        f"{did_you_mean(wanted, ids)}; its exercises: {', '.join(ids)}"
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
        raise OptionError(
            f"--band: '{text}' is not one of your bands{did_you_mean(band, known)}: "
            f"{', '.join(known)}"
        )
    return band


def parse_red_flags(text: str | None) -> tuple[RedFlag, ...]:
    """``swelling,night-pain`` into red-flag signs."""
    if text is None or text.strip().lower() == "none":
        return ()
    flags = []
    for item in (i.strip().lower() for i in text.split(",")):
        if item not in RED_FLAGS:
            raise OptionError(
                f"--red-flag: '{item}' is not a sign planner knows{did_you_mean(item, RED_FLAGS)};"
                f" use {', '.join(RED_FLAGS)}"
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


@dataclass(frozen=True, slots=True)
class Excepted:
    """One ``--except`` of ``log --all-done``: an exercise done otherwise than prescribed
    (``done``), or left out (``skipped``), with its own pain or effort if given."""

    exercise: str
    done: Done
    skipped: bool = False
    pain: str | None = None
    rpe: str | None = None
    form_broke: bool = False


EXCEPT_EXAMPLE = '--except "clamshell=12,12"'
_OPTION_PREFIX = re.compile(r"^(--[a-z-]+|answer): ")


def parse_except(text: str, plan: Plan, session: Session) -> Excepted:
    """``clamshell=12,12``, ``hip-thrust=10,10@40kg pain=3``, ``wall-sit=skip``: one
    exception to a session logged as prescribed. The sets and a load or band read as an
    interactive answer does (``12,12 20kg`` and ``12,12@20kg`` are the same); a bare load
    (``@40``) is in the plan's units. ``pain=N``, ``rpe=N`` and ``form-broke`` may follow.

    Raises:
        OptionError: the text does not read, or names no exercise of ``session``.
    """
    head, sep, rest = text.partition("=")
    wanted = head.strip().lower()
    if not sep or not wanted:
        raise OptionError(f"--except: '{text}' needs ID=what was done; give e.g. {EXCEPT_EXAMPLE}")
    ids = [rx.exercise for rx in session.exercises]
    if wanted not in ids:
        raise OptionError(
            f"--except: no exercise '{head.strip()}' in session {session.slot}"
            f"{did_you_mean(wanted, ids)}; its exercises: {', '.join(ids)}"
        )
    rx = next(rx for rx in session.exercises if rx.exercise == wanted)
    words = rest.replace("@", " @").split()
    pain = rpe = None
    form_broke = False
    kept: list[str] = []
    for word in words:
        key, eq, value = word.lower().partition("=")
        if eq and key in ("pain", "rpe"):
            parse_scale(value, f"--except {wanted} {key}", whole=key == "pain")
            pain, rpe = (value, rpe) if key == "pain" else (pain, value)
        elif word.lower() in ("form-broke", "form-broken"):
            form_broke = True
        else:
            kept.append(word)
    if kept == ["skip"]:
        if pain is not None or rpe is not None or form_broke:
            # A skipped exercise stores nothing, so a pain given with it would be lost, and
            # a pain at the red-flag level would go unseen.
            raise OptionError(
                f"--except {wanted}: 'skip' stores nothing, so the pain, effort or form given "
                f"with it would be lost; log what you did with it, e.g. --except "
                f'"{wanted}={",".join(map(str, prescribed(rx)))} pain=N"'
            )
        return Excepted(wanted, Done(), skipped=True)
    if not kept and pain is None and rpe is None and not form_broke:
        raise OptionError(
            f"--except {wanted}: say what was done instead, e.g. --except "
            f'"{wanted}={",".join(map(str, prescribed(rx)))}", or "{wanted}=skip"'
        )
    if len(kept) == 1 and kept[0].startswith("@"):
        kept = [",".join(map(str, prescribed(rx))), kept[0]]  # only the load or band differs
    if len(kept) > 1 and kept[1].startswith("@"):
        load = kept[1][1:]
        # A bare number is a load in the plan's units: 'hip-thrust=10,10@40'.
        kept[1] = load + plan.units if _NUMBER.fullmatch(load) else load
    try:
        done = answer(" ".join(kept), rx)
        if done.reps is not None or done.hold is not None:
            parse_sets(done.reps or done.hold or "", "--hold" if is_hold(rx) else "--reps")
    except OptionError as exc:
        raise excepted_error(exc, wanted) from None
    return Excepted(wanted, done, pain=pain, rpe=rpe, form_broke=form_broke)


def excepted_error(exc: OptionError, exercise: str) -> OptionError:
    """``exc`` said about one ``--except``: its option name gives way to the exercise's."""
    text = _OPTION_PREFIX.sub("", str(exc), count=1)
    # The hints name the options of a one-exercise log; here the same goes after the '='.
    text = text.replace("e.g. --load ", "e.g. @").replace("leave --load out", "give no load")
    text = text.replace("leave --band out", "give no band")
    text = text.replace("e.g. --reps ", "e.g. ").replace("e.g. --hold ", "e.g. ")
    return OptionError(f"--except {exercise}: {text}")


def session_entries(
    plan: Plan,
    session: Session,
    pain: str,
    rpe: str | None = None,
    note: str = "",
    exceptions: tuple[str, ...] = (),
    extra: bool = False,
) -> tuple[list[LogEntry], list[Prescription]]:
    """A whole session logged as prescribed (``log --all-done``), every exercise at ``pain``
    and ``rpe``, but for the ``exceptions`` (see :func:`parse_except`); returns the entries
    and the prescriptions left out (``ID=skip``), in the session's order.

    Raises:
        OptionError: an exception does not read or fit, or every exercise is left out.
    """
    parse_scale(pain, "--pain", whole=True)
    by_id: dict[str, Excepted] = {}
    for text in exceptions:
        parsed = parse_except(text, plan, session)
        if parsed.exercise in by_id:
            raise OptionError(
                f"--except: {parsed.exercise} is given twice; give each exercise once"
            )
        by_id[parsed.exercise] = parsed
    entries: list[LogEntry] = []
    skipped: list[Prescription] = []
    for rx in session.exercises:
        item = by_id.get(rx.exercise)
        if item is None:
            entries.append(build_entry(plan, session, rx, Done(), pain, rpe, note))
        elif item.skipped:
            skipped.append(rx)
        else:
            try:
                entries.append(
                    build_entry(
                        plan,
                        session,
                        rx,
                        item.done,
                        item.pain or pain,
                        item.rpe or rpe,
                        note,
                        extra,
                        item.form_broke,
                    )
                )
            except OptionError as exc:
                raise excepted_error(exc, rx.exercise) from None
    if not entries:
        raise OptionError(f"--except: every exercise of {session.slot} is left out; nothing to log")
    return entries, skipped
