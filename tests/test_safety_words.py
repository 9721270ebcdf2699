"""Words that never mix the two: a plan under a safety stop (red flags) that the person also
paused (``planner pause``), rendered in every view and export. The safety text never says
"pause"; the pause text never says "safety" or "red flag"."""

import datetime as dt
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from planner.models.plan import PlanPause
from planner.service.stores import store_at
from tests.helpers import GEN, run

NAME = "k"
SAFETY = re.compile(r"safety|red flag|red-flag", re.IGNORECASE)
PAUSE = re.compile(r"paus", re.IGNORECASE)
# A tempo's "1 s pause" (held at the bottom of a rep) is another word altogether.
TEMPO = re.compile(r"\d+ s pause|pause at the top", re.IGNORECASE)


def ok(*args: str | Path, stdin: str | None = None) -> str:
    code, out, err = run(*args, stdin=stdin)
    assert code == 0, err
    return out + "\n" + err


@pytest.fixture
def both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A saved plan with a red flag logged (safety stop) and a pause the person asked for."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-08")
    ok(*GEN, "--name", NAME, "--out", tmp_path / "k.ics")
    ok("log", NAME, "--session", "W1S1", stdin="\n8\n\n\n\n" * 6)  # pain 8: a red flag
    store = store_at(None)
    assert store is not None
    with store:
        latest = store.latest(NAME)
        plan = latest.plan
        assert any(s.paused for s in plan.sessions)
        options = plan.options.model_copy(
            update={"pauses": (PlanPause(start=dt.date(2026, 12, 14), note="ill"),)}
        )
        sessions = tuple(s.model_copy(update={"waiting": s.week >= 2}) for s in plan.sessions)
        plan = plan.model_copy(update={"options": options, "sessions": sessions})
        store.save(NAME, latest.template, plan, latest.calendar, "test: paused too")
    return tmp_path


def _pieces(text: str) -> Iterator[str]:
    """The text in pieces no longer than one sentence-ish unit: lines, cells, tag
    contents, escaped calendar lines."""
    text = unescape(text.replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ","))
    for chunk in re.split(r"<[^>]+>|\n|\"\s*,\s*\"", text):
        yield from (part for part in re.split(r"(?<=[.:;])\s+(?=[A-Z])", chunk) if part)


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _check(texts: Iterator[str] | list[str], where: str) -> tuple[int, int]:
    safety = pauses = 0
    for piece in texts:
        clean = TEMPO.sub("", piece)
        if SAFETY.search(clean):
            safety += 1
            assert not PAUSE.search(clean), f"{where}: safety text says pause: {piece!r}"
        if re.search(r"\bPaused (since|from|on)\b|planner resume|falls in your pause", clean):
            pauses += 1
            assert not SAFETY.search(clean), f"{where}: pause text says safety: {piece!r}"
    return safety, pauses


@pytest.mark.parametrize(
    "command", [("show", NAME), ("history", NAME), ("progress", NAME), ("plans", "show", NAME)]
)
def test_views_never_mix_the_words(both: Path, command: tuple[str, ...]) -> None:
    safety, pauses = _check(list(_pieces(ok(*command))), " ".join(command))
    assert safety and pauses  # both are there to be told apart


@pytest.mark.parametrize("suffix", ["html", "md", "csv", "ics"])
def test_exports_never_mix_the_words(both: Path, suffix: str) -> None:
    out = both / f"export.{suffix}"
    ok("export", NAME, "--out", out)
    safety, pauses = _check(list(_pieces(out.read_text(encoding="utf-8-sig"))), suffix)
    assert safety
    if suffix != "csv":  # the CSV carries the sessions, not the pause's words
        assert pauses


def test_json_never_mixes_the_words(both: Path) -> None:
    out = both / "export.json"
    ok("export", NAME, "--out", out)
    data = json.loads(out.read_text())
    # The field keeps its name: saved files carry it.
    assert data["plan"]["safety"]["paused"] is True
    strings = [p for s in _json_strings(data) for p in _pieces(s)]
    safety, _ = _check(strings, "json")
    assert safety


def test_the_csv_column_is_safety_stop(both: Path) -> None:
    out = both / "export.csv"
    ok("export", NAME, "--out", out)
    head = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "safety_stop" in head and "paused" not in head


def test_the_schema_descriptions_never_mix_the_words() -> None:
    """The red-flag fields speak of a safety stop; where a description sets the two apart
    (a pause "is not a safety stop") it names each by its own word."""
    text = ok("schema", "--kind", "plan")
    old = re.compile(
        r"progression (is )?paus|pause for red flags|paused by red|the pause (lifts|has lifted)"
        r"|progression pauses",
        re.IGNORECASE,
    )
    assert not old.search(text), old.search(text)
    assert "safety stop" in text
