"""Messages on the terminal stay one safe line, and no control character is stored or
written: error and warning lines escape control characters and shorten long values, every
command refuses a control character in its text values, and a bad --pain or --rpe stops
an interactive log before it asks anything."""

import datetime as dt
import operator
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from planner.cli.console import report_safety, warn
from planner.errors import (
    LINE_CHARS,
    OptionError,
    check_text,
    control_char,
    escape_controls,
    one_line,
    shown,
)
from planner.models.log import LogEntry
from planner.models.safety import Pause, RedFlagReport, SafetyReport
from planner.service.training import log_entries
from planner.store.database import open_store
from tests.fuzzing import fuzz
from tests.helpers import GEN, assert_one_line_error, run

# The fixture 'knee' (used by name): the plan 'knee' saved in the test's own store
# (_isolated_store), with today in its third week.
from tests.test_cli_log import START, knee  # noqa: F401

# Any raw control character but the newline that ends a line (tab included: our lines
# escape it too).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def entries(db: Path) -> list[LogEntry]:
    store = open_store(db)
    assert store is not None
    with store:
        return [item.entry for item in store.entries("knee", include_replaced=True)]


class TestHelpers:
    def test_control_characters_are_escaped_the_way_python_writes_them(self) -> None:
        text = "a\nb\rc\td\x1b[31me\x00f\x7fg\x85h\u2028i"
        assert escape_controls(text) == "a\\nb\\rc\\td\\x1b[31me\\x00f\\x7fg\\x85h\\u2028i"

    def test_plain_text_and_other_scripts_are_left_alone(self) -> None:
        assert escape_controls("Knie-Plan für Ana ✓ 膝") == "Knie-Plan für Ana ✓ 膝"

    def test_a_long_value_is_shortened_with_an_ellipsis(self) -> None:
        assert shown("x" * 1000) == "x" * 79 + "…"
        assert shown("short\n") == "short\\n"

    def test_a_long_line_keeps_its_advice_and_shortens_the_quoted_value(self) -> None:
        line = one_line(f"--start: '{'7' * 100_000}' is not a date; use YYYY-MM-DD")
        assert line == f"--start: '{'7' * 79}…' is not a date; use YYYY-MM-DD"

    def test_a_long_line_without_quotes_is_cut_at_the_cap(self) -> None:
        line = one_line("word " * 1000)
        assert len(line) == LINE_CHARS and line.endswith("…")

    def test_a_short_line_is_kept_whole(self) -> None:
        message = f"--x: '{'y' * 100}' is wrong"
        assert one_line(message) == message

    def test_tab_is_not_refused_but_every_other_control_character_is(self) -> None:
        assert control_char("a\tb") is None
        assert control_char("ok\x9bx") == "\\x9b"
        assert control_char("two\nlines") == "\\n"
        assert control_char("two\nlines\x1b", allow="\t\n") == "\\x1b"
        assert check_text("fine text", "--note") == "fine text"
        with pytest.raises(OptionError, match=r"^--note: .*\(\\x1b\)"):
            check_text("a\x1bb", "--note")


class TestErrorLines:
    def test_a_newline_in_a_value_stays_on_the_one_error_line(self) -> None:
        code, _, err = run(*GEN[:3], "2026\n12-07", *GEN[4:])
        assert_one_line_error(code, err, "--start: '2026\\n12-07' is not a date")

    def test_a_100_kb_value_is_shortened_and_the_advice_kept(self) -> None:
        code, _, err = run(*GEN[:3], "9" * 100_000, *GEN[4:])
        assert_one_line_error(code, err, "is not a date; use YYYY-MM-DD")
        assert len(err) < 200 and "'999" in err  # the value shown shortened, never in full

    def test_an_os_error_naming_a_path_with_a_newline_is_one_line(self, tmp_path: Path) -> None:
        # A template path that does not exist: its name holds a newline and an escape.
        code, _, err = run("validate", tmp_path / "no\nsuch\x1b.toml")
        assert code == 1 and err.count("\n") == 1 and "\x1b" not in err

    def test_warning_lines_are_escaped(self, capsys: pytest.CaptureFixture[str]) -> None:
        warn(["first\nsecond\x1b[2J"])
        assert capsys.readouterr().err == "warning: first\\nsecond\\x1b[2J\n"

    def test_safety_report_lines_are_escaped(self, capsys: pytest.CaptureFixture[str]) -> None:
        day = dt.date(2026, 12, 1)
        flag = RedFlagReport(date=day, kind="pain", text="pain 8\x1b[2J", needs_clearance=False)
        pause = Pause(since=day, flags=(flag,))
        state = SafetyReport(
            today=day, paused=True, flags=(flag,), pauses=(pause,), to_lift=("log\x1b[2J",)
        )
        report_safety(state, "knee", new=["swelling\r\nthen more"])
        err = capsys.readouterr().err
        assert "warning: red flag: swelling\\r\\nthen more\n" in err
        assert "log\\x1b[2J" in err and "pain 8\\x1b[2J" in err
        assert not RAW_CONTROL.search(err)


class TestControlCharactersRefused:
    def test_calendar_name_with_a_newline_saves_and_writes_nothing(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        out = tmp_path / "k.ics"
        code, _, err = run(*GEN, "--name", "k", "--calendar-name", "Knee\nplan", "--out", out)
        assert_one_line_error(code, err, "--calendar-name: the value holds a control character")
        assert not out.exists() and not _isolated_store.exists()

    @pytest.mark.usefixtures("knee")
    def test_calendar_name_with_an_escape_on_export(
        self, _isolated_store: Path, tmp_path: Path
    ) -> None:
        before = _isolated_store.read_bytes()
        out = tmp_path / "e.ics"
        code, _, err = run("export", "knee", "--calendar-name", "K\x1b[31m", "--out", out)
        assert_one_line_error(code, err, "--calendar-name: the value holds a control character")
        assert not out.exists() and _isolated_store.read_bytes() == before

    @pytest.mark.usefixtures("knee")
    def test_a_log_note_with_an_escape_is_refused_and_nothing_logged(
        self, _isolated_store: Path
    ) -> None:
        code, _, err = run(
            "log", "knee", "--session", "W1S1", "--exercise", "clamshell", "--pain", "2",
            "--note", "felt\x1b[31m red",
        )  # fmt: skip
        assert_one_line_error(code, err, "--note: the value holds a control character (\\x1b)")
        assert entries(_isolated_store) == []

    @pytest.mark.usefixtures("knee")
    def test_a_log_note_with_a_tab_is_kept(self, _isolated_store: Path) -> None:
        code, _, err = run(
            "log", "knee", "--session", "W1S1", "--exercise", "clamshell", "--pain", "2",
            "--note", "left\tright",
        )  # fmt: skip
        assert code == 0, err
        assert [e.note for e in entries(_isolated_store)] == ["left\tright"]

    @pytest.mark.usefixtures("knee")
    def test_a_log_note_over_500_characters_is_refused(self, _isolated_store: Path) -> None:
        code, _, err = run(
            "log", "knee", "--session", "W1S1", "--exercise", "clamshell", "--pain", "2",
            "--note", "n" * 501,
        )  # fmt: skip
        assert_one_line_error(code, err, "--note: 501 characters is too long; give 500 or fewer")
        assert entries(_isolated_store) == []

    @pytest.mark.usefixtures("knee")
    def test_a_clearance_note_with_a_carriage_return_is_refused(
        self, _isolated_store: Path
    ) -> None:
        before = _isolated_store.read_bytes()
        code, _, err = run("clear", "knee", "--note", "seen by\rJ. Ng")
        assert_one_line_error(code, err, "--note: the value holds a control character (\\r)")
        assert _isolated_store.read_bytes() == before

    @pytest.mark.usefixtures("knee")
    def test_a_plan_name_argument_with_nul_is_refused(self, _isolated_store: Path) -> None:
        code, _, err = run("history", "kn\x00ee")
        assert_one_line_error(code, err, "NAME: the value holds a control character (\\x00)")

    @pytest.mark.usefixtures("knee")
    def test_a_session_with_a_c1_control_is_refused(self, _isolated_store: Path) -> None:
        code, _, err = run("log", "knee", "--session", "W1S1\x9b", "--pain", "2")
        assert_one_line_error(code, err, "--session: the value holds a control character (\\x9b)")


class TestStoredNotes:
    @pytest.mark.usefixtures("knee")
    def test_history_escapes_a_note_stored_before_notes_were_checked(
        self, _isolated_store: Path
    ) -> None:
        store = open_store(_isolated_store)
        assert store is not None
        entry = LogEntry(
            slot="W1S1", exercise="clamshell", done=(15, 15), pain=1, note="old\x1b[2Jnote\n"
        )
        with store:
            log_entries(store, "knee", [entry], dt.date(2026, 11, 18))
        code, out, _ = run("history", "knee")
        assert code == 0 and "old\\x1b[2Jnote\\n" in out and "\x1b" not in out


class TestInteractiveLogChecksOptionsFirst:
    @pytest.mark.usefixtures("knee")
    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--rpe", "11", "--rpe: 11 is outside 0-10; give e.g. 7 or 7.5"),
            ("--pain", "11", "--pain: 11 is outside 0-10; give e.g. 3"),
            ("--rpe", "hard", "--rpe: 'hard' is not a number from 0 to 10"),
        ],
    )
    def test_a_bad_rating_is_an_error_before_any_prompt(
        self, _isolated_store: Path, option: str, value: str, message: str
    ) -> None:
        # Enough answers for every exercise several times over: before the fix each answer
        # was refused ("try again") until the input ran out.
        code, out, err = run("log", "knee", "--session", "W1S1", option, value, stdin="\n" * 40)
        assert_one_line_error(code, err, message)
        assert out == "" and entries(_isolated_store) == []

    @pytest.mark.usefixtures("knee")
    def test_a_good_rating_still_asks_and_logs(self, _isolated_store: Path) -> None:
        code, out, err = run(
            "log", "knee", "--session", "W1S1", "--rpe", "7", stdin="\n2\n\n\n" * 8
        )
        assert code == 0, err
        assert "done" in out and {e.rpe for e in entries(_isolated_store)} == {7.0}

    @pytest.mark.usefixtures("knee")
    def test_an_answer_with_an_escape_is_shown_escaped(self, _isolated_store: Path) -> None:
        code, _, err = run(
            "log", "knee", "--session", "W1S1", stdin="1\x1b[2J\n" + "\n2\n\n\n\n" * 8
        )
        assert code == 0, err
        assert "\\x1b[2J" in err and "\x1b" not in err


# Text of every kind: any character, the controls and quotes most likely to break a line,
# and huge values (up to 100 kB).
_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.text(st.sampled_from("\x00\x1b\r\n\t\x7f\x85\x9b\u2028 '\"=-aW1S9"), max_size=30),
    st.builds(
        operator.mul, st.sampled_from(["x", "é", "\x1b[2J", "a b ", "'"]), st.integers(1, 25_000)
    ),
)


def _command(option: str, value: str, out: Path) -> list[str | Path]:
    """A command that takes ``value`` for ``option`` (given as ``--option=value``, so a value
    that starts with a dash is still a value)."""
    log = ["log", "knee", "--pain", "2"]
    return {
        "--note": [*log, "--session", "W1S1", "--exercise", "clamshell", f"--note={value}"],
        "--session": [*log, f"--session={value}", "--exercise", "clamshell"],
        "--exercise": [*log, "--session", "W1S1", f"--exercise={value}"],
        "--calendar-name": ["export", "knee", f"--calendar-name={value}", "--out", out],
        "--name": [*START, f"--name={value}", "--out", out],
    }[option]


@pytest.mark.slow
class TestRandomText:
    @pytest.mark.usefixtures("knee")
    @fuzz(150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(
        option=st.sampled_from(["--note", "--session", "--exercise", "--calendar-name", "--name"]),
        value=_TEXT,
    )
    def test_any_text_gives_one_safe_line_or_success(
        self, _isolated_store: Path, tmp_path: Path, option: str, value: str
    ) -> None:
        out = tmp_path / "fuzz.ics"
        before = (_isolated_store.read_bytes(), out.read_bytes() if out.exists() else None)
        code, _, err = run(*_command(option, value, out))
        assert code in (0, 1, 2), err
        assert "Traceback" not in err and not RAW_CONTROL.search(err), err[:300]
        assert sum(line.startswith("error:") for line in err.splitlines()) <= 1
        if code == 1:
            # A user error (an uncaught exception would also give 1, with nothing printed).
            assert err.startswith("error: ") and err.count("\n") == 1, err[:300]
            assert len(err) <= LINE_CHARS + len("error: \n")
        if code != 0:
            assert (
                _isolated_store.read_bytes(),
                out.read_bytes() if out.exists() else None,
            ) == before
