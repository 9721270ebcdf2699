"""generate says the choices it makes on its own: which of the given days each phase
trains on, and which exercises were swapped for what (once per swap, not per phase);
--explain gives all of them in full, without the short list repeating them."""

from pathlib import Path

from planner.plan.day_choices import day_choices
from tests.helpers import run

FIVE = "mon,tue,wed,thu,sat"


def _generate(tmp_path: Path, *args: str) -> str:
    code, out, err = run("generate", *args, "--start", "2026-12-07", "--out", tmp_path / "plan.ics")
    assert code == 0, err
    return out


def test_more_days_than_sessions_say_which_per_phase(tmp_path: Path) -> None:
    # glute-knee-friendly trains 3 days a week, then 2: the phases use different days.
    out = _generate(tmp_path, "glute-knee-friendly", "--days", FIVE)
    assert (
        f"- [activation] 3 sessions a week, on mon, wed, sat of your {FIVE.replace(',', ', ')}"
        in out
    )
    assert "- [strength, functional] 2 sessions a week, on mon, thu of your" in out


def test_same_days_in_every_phase_are_said_once(tmp_path: Path) -> None:
    out = _generate(tmp_path, "hip-knee", "--days", FIVE)
    lines = [line for line in out.splitlines() if "sessions a week" in line]
    assert lines == [
        "- [plan] 3 sessions a week, on mon, wed, sat of your mon, tue, wed, thu, sat "
        "(the most evenly spread)."
    ]


def test_every_day_used_says_nothing_of_days(tmp_path: Path) -> None:
    out = _generate(tmp_path, "hip-knee", "--days", "mon,wed,fri")
    assert "sessions a week" not in out
    assert "choices made for you" not in out  # nothing was chosen for the person


def test_avoid_says_each_swap_once(tmp_path: Path) -> None:
    out = _generate(tmp_path, "hip-knee", "--days", "mon,wed,fri", "--avoid", "knee")
    swap = "Glute bridge replaces Hip thrust, which can aggravate the knee (--avoid knee)."
    assert f"- [strength, functional] {swap}" in out
    assert out.count("replaces Hip thrust") == 1
    assert "Wall squat to 45 degrees replaces Step-up" in out
    # Why that stand-in was chosen is left to --explain.
    assert "chosen as" not in out


def test_explain_gives_them_in_full_without_the_short_list(tmp_path: Path) -> None:
    out = _generate(tmp_path, "hip-knee", "--days", FIVE, "--avoid", "knee", "--explain")
    assert "choices made for you:" in out
    assert "(all of them, with reasons: --explain)" not in out
    assert out.count("replaces Hip thrust") == 2  # one per phase, with the reason
    assert "chosen as the library's alternative for the knee" in out
    assert "[plan] 3 sessions a week, on mon, wed, sat" in out


def test_days_said_in_the_calendar_too(tmp_path: Path) -> None:
    _generate(tmp_path, "hip-knee", "--days", FIVE)
    text = (tmp_path / "plan.ics").read_text().replace("\r\n ", "")
    assert "3 sessions a week\\, on mon\\, wed\\, sat of your" in text


def test_day_choices_pure() -> None:
    given = ("mon", "tue", "wed", "thu", "fri")
    same = day_choices(given, [("a", 3, ("mon", "wed", "fri")), ("b", 3, ("mon", "wed", "fri"))])
    assert [(d.where, d.kind) for d in same] == [("plan", "days")]
    mixed = day_choices(given, [("a", 5, given), ("b", 2, ("mon", "thu"))])
    assert [d.where for d in mixed] == ["b"]
    assert day_choices(("mon", "thu"), [("a", 2, ("mon", "thu"))]) == ()
