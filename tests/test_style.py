"""planner/cli/style.py: colour only for a terminal, NO_COLOR and TERM=dumb honoured, and
lines fitted to 80 columns."""

import io

import pytest

from planner.cli import style
from planner.wording.log import Line


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(variable, raising=False)


@pytest.mark.parametrize("err", [False, True])
def test_a_terminal_gets_colour_a_pipe_does_not(monkeypatch: pytest.MonkeyPatch, err: bool) -> None:
    stream = "stderr" if err else "stdout"
    monkeypatch.setattr(f"sys.{stream}", _Tty())
    assert style.colour_on(err)
    monkeypatch.setattr(f"sys.{stream}", io.StringIO())
    assert not style.colour_on(err)


@pytest.mark.parametrize(
    ("variable", "value", "on"),
    [
        ("NO_COLOR", "1", False),
        ("NO_COLOR", "no", False),  # any value, even one that reads as 'no'
        ("NO_COLOR", "", True),  # empty: as if not set
        ("TERM", "dumb", False),
        ("TERM", "xterm-256color", True),
    ],
)
def test_no_color_and_dumb_terminals(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, on: bool
) -> None:
    monkeypatch.setattr("sys.stdout", _Tty())
    monkeypatch.setenv(variable, value)
    assert style.colour_on() is on


def test_no_color_wins_over_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert style.colour_on()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not style.colour_on()


def test_paint_marks_only_the_span() -> None:
    assert style.paint("pain 4 today", "notice", (5, 6)) == "pain \x1b[33m4\x1b[0m today"
    assert style.paint("RED FLAGS", "flag") == "\x1b[31mRED FLAGS\x1b[0m"
    assert style.paint("pain 7", "high", on=False) == "pain 7"
    assert style.paint("pain 1", "") == "pain 1"


def test_fit_wraps_with_a_hanging_indent() -> None:
    text = "  " + " ".join(["word"] * 40)
    lines = style.fit(text)
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines)
    assert all(line.startswith("    word") for line in lines[1:])
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())


def test_show_escapes_controls_before_colouring(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    style.show([Line("pain 6 \x1b[2J", "high", (5, 6)), "plain \x07 text"])
    out = capsys.readouterr().out
    assert "pain \x1b[1;31m6\x1b[0m \\x1b[2J" in out and "plain \\x07 text" in out
    assert out.count("\x1b") == 2  # the colour and its reset, nothing from the text
