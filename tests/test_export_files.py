"""Which file a command writes and which plan it reads: ``--out -``, suffixes that name no
format, a saved plan's name against a file or folder of that name, plan files given to
commands that need a saved plan, and the JSON export envelope read back."""

import json
from pathlib import Path

import pytest

from planner.models.export import PlanExport
from tests.helpers import GEN, assert_one_line_error, run


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A saved plan 'mine' with one logged exercise, run from ``tmp_path`` (the working
    folder), which also holds a folder ``mine/`` and a plan file ``file.json``."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-08")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(*GEN, "--name", "mine", "--out", "k.ics", "--json", "file.json")
    assert code == 0, err
    code, _, err = run(
        "log", "mine", "--session", "W1S1", "--exercise", "clamshell", "--reps", "15,13",
        "--pain", "2",
    )  # fmt: skip
    assert code == 0, err
    (tmp_path / "mine").mkdir()
    return tmp_path


class TestStandardOutput:
    @pytest.mark.parametrize(
        ("fmt", "start"),
        [(None, "BEGIN:VCALENDAR"), ("ics", "BEGIN:VCALENDAR"), ("md", "# "), ("json", "{")],
    )
    def test_the_file_alone_on_stdout(self, mine: Path, fmt: str | None, start: str) -> None:
        chosen = ["--format", fmt] if fmt else []
        code, out, err = run("export", "mine", "--out", "-", *chosen)
        assert code == 0, err
        assert out.startswith(start)
        if start == "BEGIN:VCALENDAR":  # the calendar and nothing after it
            assert out.replace("\r\n", "\n").endswith("END:VCALENDAR\n")
        assert err.startswith("wrote standard output") and "wrote" not in out
        if fmt == "json":
            assert PlanExport.model_validate_json(out).name == "mine"
        assert not [p for p in mine.iterdir() if p.name.startswith(".")]

    def test_generate_to_stdout_says_everything_on_stderr(self, mine: Path) -> None:
        code, out, err = run(*GEN, "--out", "-")
        assert (
            code == 0
            and out.startswith("BEGIN:VCALENDAR")
            and out.rstrip().endswith("END:VCALENDAR")
        )
        assert "wrote standard output" in err


class TestSuffixes:
    @pytest.mark.parametrize("name", ["plan.pdf", "plan.TXT", "plan"])
    def test_export_refuses_a_name_that_says_no_format(self, mine: Path, name: str) -> None:
        code, _, err = run("export", "mine", "--out", name)
        assert_one_line_error(code, err, f"--out: {name} has ")
        assert "--format" in err and not (mine / name).exists()

    @pytest.mark.parametrize("fmt", ["html", "md", "csv", "json", "ics"])
    def test_format_makes_any_name_fine(self, mine: Path, fmt: str) -> None:
        code, _, err = run("export", "mine", "--format", fmt, "--out", "plan.txt")
        assert code == 0 and "whose name says" not in err, err
        assert (mine / "plan.txt").stat().st_size > 0

    @pytest.mark.parametrize(
        ("args", "flag"),
        [
            (["--out", "plan.pdf"], "--out"),
            (["--out", "plan.html"], "--out"),
            (["--out", "p.ics", "--json", "p.txt"], "--json"),
            (["--out", "p.ics", "--json", "p.ics2"], "--json"),
        ],
    )
    def test_generate_refuses_a_misleading_name(
        self, mine: Path, args: list[str], flag: str, _isolated_store: Path
    ) -> None:
        before = _isolated_store.read_bytes()
        code, _, err = run(*GEN, "--name", "mine", "--weeks", "6", *args)
        assert_one_line_error(code, err, f"{flag}: generate writes ")
        assert "planner export NAME --format" in err
        assert not any((mine / p).exists() for p in ("plan.pdf", "plan.html", "p.ics"))
        assert _isolated_store.read_bytes() == before  # nothing saved


class TestSavedNameFirst:
    @pytest.mark.parametrize("suffix", ["json", "md", "ics"])
    def test_export_a_saved_plan_beside_a_folder_of_its_name(self, mine: Path, suffix: str) -> None:
        code, out, err = run("export", "mine", "--out", f"x.{suffix}")
        assert code == 0, err
        assert out.startswith(f"wrote x.{suffix}") and "'mine' revision" in out

    def test_show_a_saved_plan_beside_a_folder_of_its_name(self, mine: Path) -> None:
        code, out, err = run("show", "mine")
        assert code == 0, err
        assert "24 sessions" in out

    def test_a_saved_name_wins_over_a_file_of_that_name(self, mine: Path) -> None:
        (mine / "mine").rmdir()
        (mine / "mine").write_text("not a plan")
        code, out, err = run("export", "mine", "--out", "x.md")
        assert code == 0 and "'mine' revision 1" in out, err

    def test_a_saved_plan_named_like_a_file(self, mine: Path) -> None:
        code, _, err = run(*GEN, "--name", "file.json", "--out", "f.ics")
        assert code == 0, err
        code, out, err = run("export", "file.json", "--out", "f.md")
        assert code == 0 and "'file.json' revision 1" in out, err

    def test_a_folder_is_not_a_plan_file(self, mine: Path) -> None:
        (mine / "other").mkdir()
        code, _, err = run("export", "other", "--out", "x.md")
        assert_one_line_error(code, err, "no saved plan named 'other'")
        assert "directory" not in err


class TestPlanFiles:
    def test_export_a_plan_file_to_ics_says_what_works(self, mine: Path) -> None:
        code, _, err = run("export", "file.json", "--out", "x.ics")
        assert_one_line_error(code, err, "file.json is a plan file")
        assert "'planner generate hip-knee ... --name NAME --out x.ics'" in err
        assert "--format html, md, csv or json" in err
        assert "no saved plan" not in err and "--name file.json" not in err
        assert not (mine / "x.ics").exists()

    def test_a_broken_plan_file_still_gets_the_hint(self, mine: Path) -> None:
        (mine / "bad.json").write_text("{")
        code, _, err = run("export", "bad.json", "--out", "x.ics")
        assert_one_line_error(code, err, "'planner generate TEMPLATE ... --name NAME")

    def test_publish_a_plan_file_says_what_works(self, mine: Path) -> None:
        code, _, err = run("publish", "file.json", "--caldav-url", "https://example.org/dav/")
        assert_one_line_error(code, err, "file.json is a plan file")
        assert "--name NAME" in err and "no saved plan" not in err

    def test_a_mistyped_name_gets_a_suggestion(self, mine: Path) -> None:
        code, _, err = run("export", "mien", "--out", "x.ics")
        assert_one_line_error(code, err, "no saved plan named 'mien' (did you mean 'mine'?)")
        code, _, err = run("show", "minee")
        assert_one_line_error(code, err, "(did you mean 'mine'?)")


class TestEnvelope:
    def test_show_reads_the_export_and_the_plan_file(self, mine: Path) -> None:
        assert run("export", "mine", "--out", "export.json")[0] == 0
        code, from_export, err = run("show", "export.json")
        assert code == 0, err
        code, from_plan, err = run("show", "file.json")
        assert code == 0, err
        # The export also carries the safety state of the day (a plan file says it has
        # none): everything above the safety line, the weeks, is the same.
        weeks, _, plan_safety = from_plan.strip().rpartition("\n\nSafety:")
        assert "holds no log" in plan_safety
        assert weeks in from_export
        assert "Safety: No red flags reported." in from_export

    def test_a_plan_file_exported_as_json_stays_a_plan(self, mine: Path) -> None:
        code, out, err = run("export", "file.json", "--out", "again.json")
        assert code == 0, err
        assert json.loads((mine / "again.json").read_text()) == json.loads(
            (mine / "file.json").read_text()
        )
        assert "logged" not in out

    def test_export_of_an_export_reads_its_plan(self, mine: Path) -> None:
        assert run("export", "mine", "--out", "export.json")[0] == 0
        code, out, err = run("export", "export.json", "--out", "x.md")
        assert code == 0 and out.startswith("wrote x.md (md): export.json, 24 sessions"), err

    def test_a_broken_envelope_names_its_field(self, mine: Path) -> None:
        assert run("export", "mine", "--out", "export.json")[0] == 0
        data = json.loads((mine / "export.json").read_text())
        data["log"][0]["pain"] = 11
        (mine / "broken.json").write_text(json.dumps(data))
        code, _, err = run("show", "broken.json")
        assert_one_line_error(code, err, "broken.json: not a plan file")
        assert "log.0.pain" in err

    def test_the_schema_is_printed(self) -> None:
        code, out, err = run("schema", "--kind", "export")
        assert code == 0, err
        schema = json.loads(out)
        assert {"format", "version", "plan", "log", "checkins"} <= set(schema["properties"])
