"""``planner export --format html|md|csv|json`` through the CLI, success and failure."""

import csv
import io
import json
import os
import re
from html import unescape
from pathlib import Path

import jsonschema
import pytest

from planner.models.export import PlanExport
from planner.models.safety import SafetyReport
from planner.store.database import open_store
from tests.helpers import GEN, assert_one_line_error, run

DOCUMENTS = ("html", "md", "csv", "json")


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A saved plan 'knee' with W1S1's clamshell logged and one morning check-in."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-08")
    code, _, err = run(*GEN, "--name", "knee", "--out", tmp_path / "k.ics")
    assert code == 0, err
    code, _, err = run(
        "log", "knee", "--session", "W1S1", "--exercise", "clamshell", "--reps", "15,13",
        "--pain", "3", "--note", "left side tired",
    )  # fmt: skip
    assert code == 0, err
    assert run("checkin", "knee", "--morning-pain", "2")[0] == 0
    return tmp_path


def store_state(db: Path) -> tuple[int, int]:
    """Revisions and recorded export versions of 'knee': a document export changes neither."""
    store = open_store(db)
    assert store is not None
    with store:
        return len(store.revisions("knee")), len(store.exported("knee"))


class TestDocuments:
    @pytest.mark.parametrize("fmt", DOCUMENTS)
    def test_format_from_the_suffix(self, knee: Path, fmt: str, _isolated_store: Path) -> None:
        before = store_state(_isolated_store)
        out = knee / f"plan.{fmt}"
        code, stdout, err = run("export", "knee", "--out", out)
        assert code == 0 and err == "", err
        assert (
            stdout == f"wrote {out} ({fmt}): 'knee' revision 1, 24 sessions, "
            "1 logged exercise, 1 check-in\n"
        )
        assert store_state(_isolated_store) == before
        assert not [p for p in knee.iterdir() if p.name.startswith(".")]  # no temp files left

    def test_html_shows_the_log(self, knee: Path) -> None:
        run("export", "knee", "--out", knee / "p.html")
        page = (knee / "p.html").read_text()
        assert "done 15,13 · pain 3 · left side tired" in page
        assert page.count('class="box ticked"') == 2 and "2/10" in page

    def test_csv_has_the_logged_row(self, knee: Path) -> None:
        run("export", "knee", "--out", knee / "p.csv")
        rows = list(csv.DictReader(io.StringIO((knee / "p.csv").read_text("utf-8-sig"))))
        logged = [r for r in rows if r["pain"] and r["part"] == "main"]
        assert [(r["slot"], r["exercise"], r["done"], r["note"]) for r in logged] == [
            ("W1S1", "clamshell", "15 13", "left side tired")
        ]

    def test_json_holds_the_log_it_counts_and_reads_back(self, knee: Path) -> None:
        code, said, _ = run("export", "knee", "--out", knee / "p.json")
        export = PlanExport.model_validate_json((knee / "p.json").read_text())
        assert (export.format, export.version, export.name, export.revision) == (
            "planner-export", 1, "knee", 1,
        )  # fmt: skip
        assert len(export.plan.sessions) == 24
        # What the message counts is what the file holds.
        assert [(e.slot, e.exercise, e.done, e.pain) for e in export.log] == [
            ("W1S1", "clamshell", (15, 13), 3)
        ]
        assert [c.morning_pain for c in export.checkins] == [2]
        assert code == 0 and said.endswith(", 1 logged exercise, 1 check-in\n")
        code, out, _ = run("show", knee / "p.json")
        assert code == 0 and "24 sessions" in out

    def test_format_option_wins_and_warns_on_a_mismatch(self, knee: Path) -> None:
        code, _, err = run("export", "knee", "--format", "html", "--out", knee / "p.csv")
        assert (
            code == 0 and err == f"warning: writing html to {knee / 'p.csv'}, whose name says csv\n"
        )
        assert (knee / "p.csv").read_text().startswith("<!DOCTYPE html>")

    @pytest.mark.parametrize("name", ["plan.pdf", "plan.txt", "plan"])
    def test_unknown_suffix_is_refused(self, knee: Path, name: str) -> None:
        code, _, err = run("export", "knee", "--out", knee / name)
        assert_one_line_error(code, err, f"--out: {knee / name} has ")
        assert ".ics, .html" in err and "--format ics|html|md|csv|json" in err
        assert not (knee / name).exists()

    def test_unknown_suffix_with_a_format(self, knee: Path) -> None:
        code, out, _ = run("export", "knee", "--format", "ics", "--out", knee / "plan.txt")
        assert code == 0 and "(0 changed, 0 new, 24 unchanged)" in out
        assert (knee / "plan.txt").read_bytes().startswith(b"BEGIN:VCALENDAR")

    def test_from_a_plan_json_file(self, knee: Path) -> None:
        assert run(*GEN, "--out", knee / "a.ics", "--json", knee / "a.json")[0] == 0
        code, out, _ = run("export", knee / "a.json", "--out", knee / "a.md")
        assert code == 0 and out == f"wrote {knee / 'a.md'} (md): {knee / 'a.json'}, 24 sessions\n"
        assert (knee / "a.md").read_text().startswith("# Hip strength")

    def test_overwrite_keeps_permissions(self, knee: Path) -> None:
        out = knee / "p.html"
        out.write_text("old")
        os.chmod(out, 0o640)
        assert run("export", "knee", "--out", out)[0] == 0
        assert out.stat().st_mode & 0o777 == 0o640 and out.read_text() != "old"


class TestErrors:
    def test_unknown_format_writes_nothing(self, knee: Path) -> None:
        out = knee / "p.pdf"
        code, _, err = run("export", "knee", "--format", "pdf", "--out", out)
        assert_one_line_error(code, err, "--format: 'pdf' is not one of ics, html, md, csv, json")
        assert not out.exists()

    @pytest.mark.parametrize(
        ("args", "flag"),
        [
            (["--remind", "1h"], "--remind"),
            (["--color", "teal"], "--color"),
            (["--calendar-name", "x"], "--calendar-name"),
            (["--refresh", "1h"], "--refresh"),
            (["--utc"], "--utc/--no-utc"),
        ],
    )
    def test_calendar_options_only_for_ics(self, knee: Path, args: list[str], flag: str) -> None:
        code, _, err = run("export", "knee", *args, "--out", knee / "p.html")
        assert_one_line_error(code, err, f"{flag} only applies to --format ics")
        assert not (knee / "p.html").exists()

    @pytest.mark.parametrize("fmt", DOCUMENTS)
    def test_bad_paths(self, knee: Path, fmt: str) -> None:
        code, _, err = run("export", "knee", "--out", knee / "missing" / f"p.{fmt}")
        assert_one_line_error(code, err, "--out: folder")
        code, _, err = run("export", "knee", "--format", fmt, "--out", knee)
        assert_one_line_error(code, err, "is a directory")

    def test_unknown_plan(self, knee: Path) -> None:
        code, _, err = run("export", "kne", "--format", "html", "--out", knee / "x.html")
        assert_one_line_error(code, err, "no saved plan named 'kne'")
        assert not (knee / "x.html").exists()

    def test_broken_plan_json(self, knee: Path) -> None:
        bad = knee / "bad.json"
        bad.write_text(json.dumps({"id": "x"}))
        code, _, err = run("export", bad, "--out", knee / "x.md")
        assert_one_line_error(code, err, "not a plan file")
        assert not (knee / "x.md").exists()

    def test_failed_write_keeps_the_old_file(
        self, knee: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        out = knee / "p.html"
        out.write_text("old")

        def full(*_: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        code, _, err = run("export", "knee", "--out", out)
        assert_one_line_error(code, err, "No space left on device")
        assert out.read_text() == "old"
        assert not [p for p in knee.iterdir() if p.name.startswith(".p.html")]


@pytest.fixture
def flagged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A saved plan 'k' with red-flag pain in W1S1 and a check-in reporting swelling and
    night pain: progression is paused."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-08")
    code, _, err = run(*GEN, "--name", "k", "--out", tmp_path / "k.ics")
    assert code == 0, err
    code, _, err = run(
        "log", "k", "--session", "W1S1", "--exercise", "clamshell", "--reps", "15,15",
        "--pain", "8",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = run(
        "checkin", "k", "--morning-pain", "2", "--red-flag", "swelling", "--red-flag", "night-pain"
    )
    assert code == 0, err
    return tmp_path


def _export(folder: Path, fmt: str) -> str:
    out = folder / f"k.{fmt}"
    code, _, err = run("export", "k", "--out", out)
    assert code == 0 and err == "", err
    return out.read_text("utf-8-sig")


def _safety(folder: Path) -> SafetyReport:
    plan = PlanExport.model_validate_json(_export(folder, "json")).plan
    assert plan.safety is not None
    return plan.safety


def _words(text: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).replace("\\", "").split())


ADVICE = (
    "Stop pushing on and see a doctor or physiotherapist. Until the safety stop is lifted, "
    "nothing in the plan gets harder and no new phase starts."
)


class TestRedFlags:
    def test_json_carries_the_pause_and_matches_the_printed_schema(self, flagged: Path) -> None:
        data = _export(flagged, "json")
        export = PlanExport.model_validate_json(data)
        plan = export.plan
        assert plan.safety is not None and plan.safety.paused
        kinds = {f.kind for f in plan.safety.flags}
        assert {"pain", "swelling", "night-pain"} <= kinds
        assert [c.red_flags for c in export.checkins] == [("swelling", "night-pain")]
        code, schema, _ = run("schema", "--kind", "export")
        assert code == 0
        jsonschema.validate(json.loads(data), json.loads(schema))
        code, schema, _ = run("schema", "--kind", "plan")
        assert code == 0
        jsonschema.validate(json.loads(data)["plan"], json.loads(schema))

    @pytest.mark.parametrize("fmt", ["html", "md"])
    def test_cover_shows_the_pause(self, flagged: Path, fmt: str) -> None:
        state = _safety(flagged)
        text = _words(_export(flagged, fmt))
        cover = text[: text.index("The plan")]
        assert "Safety stop since Mon 7 Dec 2026 because of red flags" in cover
        for flag in state.flags:
            assert flag.text in cover
        assert ADVICE in cover
        assert "To lift the safety stop" in cover and "planner clear" in cover and "--note" in cover

    @pytest.mark.parametrize("fmt", ["html", "md"])
    def test_week_one_lists_the_checkin_and_its_signs(self, flagged: Path, fmt: str) -> None:
        text = _words(_export(flagged, fmt))
        week1 = text[text.index("Week 1 · ") : text.index("Week 2 · ")]
        assert "Tue 8 Dec 2026: morning pain 2/10; red-flag signs: swelling, night pain" in week1
        assert "2/10 (swelling, night pain)" in week1  # the morning after W1S1
        assert "Red flags reported this week" in week1
        assert "pain 8/10 during Clamshell" in week1
        assert "Check-ins this week" not in text[text.index("Week 2 · ") :]

    def test_held_sessions_show_their_notes(self, flagged: Path) -> None:
        plan = PlanExport.model_validate_json(_export(flagged, "json")).plan
        text = _words(_export(flagged, "html"))
        held = [s for s in plan.sessions if s.notes]
        assert held
        for note in {n for s in held for n in s.notes}:
            assert note in text

    def test_csv_rows_for_the_red_flags(self, flagged: Path) -> None:
        rows = list(csv.DictReader(io.StringIO(_export(flagged, "csv"))))
        logged = [r for r in rows if r["part"] == "main" and r["pain"]]
        assert [(r["slot"], r["exercise"], r["pain"], r["red_flag"]) for r in logged] == [
            ("W1S1", "clamshell", "8", "yes")
        ]
        checkins = [r for r in rows if r["part"] == "check-in"]
        assert [(r["date"], r["pain"], r["note"], r["red_flag"]) for r in checkins] == [
            ("2026-12-08", "2", "swelling night-pain", "yes")
        ]
        others = [r for r in rows if r["part"] not in ("check-in", "red-flag") and not r["pain"]]
        assert {r["red_flag"] for r in others} == {""}
        # Every red flag of the safety state has a row of its own, in words.
        flags = [(r["date"], r["note"]) for r in rows if r["part"] == "red-flag"]
        assert [d for d, _ in flags] == ["2026-12-07", "2026-12-08", "2026-12-08"]
        assert "pain 8/10 during Clamshell (W1S1" in flags[0][1]
        assert {
            r["safety_stop"] for r in rows if r["part"] == "main" and r["date"] > "2026-12-08"
        } == {"yes"}

    def test_a_clearance_gets_its_row_and_its_line(
        self, flagged: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-10")
        code, _, err = run("clear", "k", "--note", "+seen by physio J. Ng")
        assert code == 0, err
        rows = list(csv.DictReader(io.StringIO(_export(flagged, "csv"))))
        cleared = [r for r in rows if r["part"] == "clearance"]
        assert [(r["date"], r["note"]) for r in cleared] == [
            ("2026-12-10", "'+seen by physio J. Ng")
        ]
        text = _words(_export(flagged, "html"))
        assert "Clinician clearances recorded: Thu 10 Dec 2026: +seen by physio J. Ng" in text


class TestNoRedFlags:
    @pytest.mark.parametrize("fmt", ["html", "md"])
    def test_one_calm_line(self, knee: Path, fmt: str) -> None:
        run("export", "knee", "--out", knee / f"p.{fmt}")
        doc = (knee / f"p.{fmt}").read_text()
        assert doc.count("No red flags reported.") == 1 and "RED FLAGS" not in doc
        assert ADVICE not in _words(doc)

    def test_a_plan_file_says_nothing_about_status(self, knee: Path) -> None:
        assert run(*GEN, "--out", knee / "a.ics", "--json", knee / "a.json")[0] == 0
        for fmt in ("html", "md"):
            assert run("export", knee / "a.json", "--out", knee / f"a.{fmt}")[0] == 0
            doc = (knee / f"a.{fmt}").read_text()
            assert "No red flags reported" not in doc and "RED FLAGS" not in doc
            assert "Stop and get checked" in doc
