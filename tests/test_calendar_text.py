"""Calendar-level texts (issue 16, defect 6): every text property is escaped so that
independent parsers read back what the person typed, a name that is not one line of plain
text or is too long is refused on every command that takes it, before anything is saved,
and a bad name saved before the check existed is repaired on read instead of crashing."""

import json
import re
import sqlite3
from pathlib import Path

import icalendar
import pydantic
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from planner.models.calendar import STORED, CalendarOptions, repaired_name
from planner.store.database import open_store
from planner.wording.plan import session_description
from tests.helpers import GEN, assert_one_line_error, run

TRICKY = "Knee, hips; and\\more - Übungen für Anna ✓"


def unescaped(value: str) -> str:
    """RFC 5545 TEXT decoded: what a parser that knows the property's type reads."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def _saved_calendar(db: Path, name: str = "k") -> CalendarOptions:
    store = open_store(db)
    assert store is not None
    with store:
        return store.latest(name).calendar


class TestEscaping:
    def test_name_round_trips_through_three_parsers(self, tmp_path: Path) -> None:
        out = tmp_path / "k.ics"
        code, _, err = run(*GEN, "--calendar-name", TRICKY, "--color", "Teal", "--out", out,
                           "--time", "18:00", "--tz", "Europe/Berlin")  # fmt: skip
        assert code == 0, err
        data = out.read_bytes().decode()
        assert "\r\nNAME:Knee\\, hips\\; and\\\\more" in data  # escaped as TEXT, not raw
        strict = IcsCalendarStream.calendar_from_ics(data)
        assert strict.name == [TRICKY]
        assert strict.color == "teal"
        assert strict.x_wr_timezone == "Europe/Berlin"
        loose = vobject.readOne(data, validate=True)
        assert loose.contents["name"][0].value == TRICKY
        assert loose.x_wr_calname.value == TRICKY
        cal = icalendar.Calendar.from_ical(data)
        # icalendar 7.3 reads both as untyped values, TEXT escapes as written: a properly
        # escaped value decodes to the name, a raw one (as before) would not.
        assert unescaped(str(cal["NAME"])) == TRICKY
        assert unescaped(str(cal["X-WR-CALNAME"])) == TRICKY

    def test_calendar_and_event_texts_read_back_whole(self, tmp_path: Path) -> None:
        # The descriptions hold commas, semicolons and line breaks: a raw one would cut
        # them short in vobject.
        out, json_out = tmp_path / "k.ics", tmp_path / "k.json"
        code, _, err = run(*GEN, "--out", out, "--json", json_out)
        assert code == 0, err
        from planner.models.plan import Plan

        plan = Plan.model_validate_json(json_out.read_text())
        loose = vobject.readOne(out.read_bytes().decode(), validate=True)
        assert "," in loose.contents["description"][0].value
        assert "\n" in loose.x_wr_caldesc.value
        assert loose.contents["description"][0].value == loose.x_wr_caldesc.value
        by_uid = {e.uid.value: e for e in loose.vevent_list}
        session = plan.sessions[0]
        event = by_uid[f"{plan.id}-{session.slot.lower()}@planner"]
        assert event.description.value == session_description(plan, session)
        assert event.categories.value == ["Exercise", session.phase.capitalize()]


BAD_NAMES = [
    ("Knee\tplan", "(\\t)"),
    ("Knee\nplan", "(\\n)"),
    ("Knee\rplan", "(\\r)"),
    ("Knee\u2028plan", "(\\u2028)"),
    ("K" * 201, "201 characters is too long"),
    ("   ", "give a name"),
    ("Kn\udcffee", "not valid UTF-8 text"),  # a byte the shell could not decode
    ("Kn\u202eee", "text-direction control (U+202E)"),
]


class TestNamesRefused:
    @pytest.mark.parametrize(("value", "needle"), BAD_NAMES)
    def test_generate_saves_and_writes_nothing(
        self, value: str, needle: str, tmp_path: Path, _isolated_store: Path
    ) -> None:
        out = tmp_path / "k.ics"
        code, _, err = run(*GEN, "--name", "k", "--calendar-name", value, "--out", out)
        assert_one_line_error(code, err, "--calendar-name: ")
        assert needle in err
        assert not out.exists() and not _isolated_store.exists()

    @pytest.mark.parametrize(("value", "needle"), BAD_NAMES)
    def test_export_and_publish_change_nothing(
        self, value: str, needle: str, tmp_path: Path, _isolated_store: Path
    ) -> None:
        assert run(*GEN, "--name", "k", "--out", tmp_path / "k.ics")[0] == 0
        before = _isolated_store.read_bytes()
        out = tmp_path / "e.ics"
        code, _, err = run("export", "k", "--calendar-name", value, "--out", out)
        assert_one_line_error(code, err, "--calendar-name: ")
        assert needle in err and not out.exists()
        # Refused while the line is read: no server is ever asked (none listens there).
        code, _, err = run("publish", "k", "--caldav-url", "http://127.0.0.1:9/cal/",
                           "--calendar-name", value)  # fmt: skip
        assert_one_line_error(code, err, "--calendar-name: ")
        assert needle in err
        assert _isolated_store.read_bytes() == before

    def test_two_hundred_characters_are_fine(self, tmp_path: Path) -> None:
        out = tmp_path / "k.ics"
        name = "ü" * 200  # 400 octets: folded, never cut
        assert run(*GEN, "--calendar-name", f"  {name}  ", "--out", out)[0] == 0
        assert IcsCalendarStream.calendar_from_ics(out.read_text()).name == [name]


class TestColour:
    @pytest.mark.parametrize(
        ("value", "needle"),
        [
            ("#ff0000", "is a colour value, not a name"),
            ("rgb(1,2,3)", "is a colour value, not a name"),
            ("blurple", "is not a CSS colour name"),
            ("tea", "did you mean 'teal'"),
        ],
    )
    def test_junk_is_refused_before_saving(
        self, value: str, needle: str, tmp_path: Path, _isolated_store: Path
    ) -> None:
        out = tmp_path / "k.ics"
        code, _, err = run(*GEN, "--name", "k", "--color", value, "--out", out)
        assert_one_line_error(code, err, "--color: ")
        assert needle in err
        assert not out.exists() and not _isolated_store.exists()

    def test_a_name_in_any_case_is_written_in_lower_case(self, tmp_path: Path) -> None:
        out = tmp_path / "k.ics"
        assert run(*GEN, "--color", " NAVY ", "--out", out)[0] == 0
        assert b"\r\nCOLOR:navy\r\n" in out.read_bytes()


class TestStoredBadName:
    """A revision saved before names were checked may hold a line break: it is read with
    the name repaired (control characters become spaces, cut to 200), so exports go on and
    the next revision saves the repaired name."""

    def _spoil(self, db: Path, name: str) -> None:
        with sqlite3.connect(db) as conn:
            (raw,) = conn.execute("SELECT calendar FROM revisions").fetchone()
            calendar = json.loads(raw)
            calendar["name"] = name
            conn.execute("UPDATE revisions SET calendar = ?", (json.dumps(calendar),))
        conn.close()

    def test_export_writes_a_valid_file(self, tmp_path: Path, _isolated_store: Path) -> None:
        assert run(*GEN, "--name", "k", "--out", tmp_path / "k.ics")[0] == 0
        self._spoil(_isolated_store, "Knee\r\nhips;\x1b[31m red")
        out = tmp_path / "e.ics"
        code, _, err = run("export", "k", "--out", out)
        assert code == 0, err
        data = out.read_bytes().decode()
        assert IcsCalendarStream.calendar_from_ics(data).name == ["Knee hips; [31m red"]
        vobject.readOne(data, validate=True)
        assert "\x1b" not in data

    def test_the_next_revision_saves_the_repaired_name(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        assert run(*GEN, "--name", "k", "--out", tmp_path / "k.ics")[0] == 0
        self._spoil(_isolated_store, "x" * 300 + "\n")
        code, _, err = run(*GEN, "--name", "k", "--out", tmp_path / "k.ics", "--remind", "1h")
        assert code == 0, err
        assert _saved_calendar(_isolated_store).name == "x" * 200
        code, out, err = run("plans", "show", "k")
        assert code == 0, err
        assert f"calendar: name {'x' * 200}, " in out


class TestModel:
    def test_a_new_name_with_a_control_character_is_refused(self) -> None:
        with pytest.raises(pydantic.ValidationError, match="control character"):
            CalendarOptions(name="a\nb")
        with pytest.raises(pydantic.ValidationError, match="at most 200"):
            CalendarOptions(name="a" * 201)

    def test_a_stored_name_is_repaired(self) -> None:
        raw = json.dumps({"name": "a\n\nb\t"})
        assert CalendarOptions.model_validate_json(raw, context=STORED).name == "a b"
        only = json.dumps({"name": "\n\x00"})
        assert CalendarOptions.model_validate_json(only, context=STORED).name is None
        good = json.dumps({"name": "Knee, plan"})
        assert CalendarOptions.model_validate_json(good, context=STORED).name == "Knee, plan"

    def test_repair_cuts_to_the_limit(self) -> None:
        assert repaired_name(" " + "y" * 250) == "y" * 200
