"""Every command through Typer's CliRunner: success output and each failure's one-line error."""

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner import __version__
from planner.cli.app import app
from planner.templates import templates_root
from planner.zones import database
from tests.helpers import GEN, assert_one_line_error, ics_text, run, runner

ROOT = Path(__file__).parent.parent


class TestGenerate:
    def test_writes_ics_and_json_and_prints_summary(self, tmp_path: Path) -> None:
        code, out, _ = run(*GEN, "--out", tmp_path / "plan.ics", "--json", tmp_path / "plan.json")
        assert code == 0
        assert "8 weeks, 24 sessions" in out and "activation (weeks 1-2)" in out
        assert "deload week(s) 5" in out and "wrote" in out
        assert (tmp_path / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
        assert json.loads((tmp_path / "plan.json").read_text())["weeks"] == 8

    def test_default_output_name(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        assert run(*GEN)[0] == 0
        assert (tmp_path / "hip-knee.ics").is_file()

    def test_same_inputs_same_bytes(self, tmp_path: Path) -> None:
        run(*GEN, "--out", tmp_path / "a.ics")
        run(*GEN, "--out", tmp_path / "b.ics")
        assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()

    def test_timed_with_weeks_and_user_template_file(self, tmp_path: Path) -> None:
        source = templates_root() / "programs" / "runner-knee.toml"
        custom = tmp_path / "mine.toml"
        custom.write_text(source.read_text())
        code, out, _ = run("generate", custom, "--start", "2027-03-01", "--days", "tue,thu,sat",
                           "--weeks", "9", "--time", "07:15", "--tz", "Europe/Berlin",
                           "--duration", "30", "--out", tmp_path / "p.ics")  # fmt: skip
        assert code == 0 and "9 weeks, 27 sessions" in out
        text = ics_text(tmp_path / "p.ics")
        assert "DTSTART;TZID=Europe/Berlin:20270302T071500" in text

    def test_warns_about_48_hours(self, tmp_path: Path) -> None:
        code, _, err = run("generate", "hip-knee", "--start", "2026-12-07", "--days",
                           "mon,tue,wed", "--out", tmp_path / "p.ics")  # fmt: skip
        assert code == 0 and "warning: strength phase" in err


BAD_GENERATE = [
    (["--start", "2026-13-01"], "--start: '2026-13-01' is not a date"),
    (["--days", "mon,funday,fri"], "--days: 'funday' is not a weekday"),
    (["--days", "mon,wed"], "needs 3 sessions a week"),
    (["--weeks", "0"], "--weeks: 0 is out of range"),
    (["--weeks", "5000"], "--weeks: 5000 is out of range"),
    (["--weeks", "2"], "--weeks: 2 is out of range; give 3"),
    (["--time", "18:00"], "--time needs --tz"),
    (["--time", "25:00", "--tz", "Europe/Berlin"], "--time: '25:00' is not a time"),
    (["--time", "18:00", "--tz", "Mars/Olympus"], "--tz: unknown time zone 'Mars/Olympus'"),
    (["--time", "18:00", "--tz", "../etc/passwd"], "--tz: '../etc/passwd' is not a time zone"),
    (["--tz", "Europe/Berlin"], "--tz only applies to timed sessions"),
    (["--duration", "30"], "--duration only applies to timed sessions"),
    (["--time", "18:00", "--tz", "Europe/Berlin", "--duration", "2"], "--duration: 2 minutes"),
    # Personal options: each names the bad value and what is allowed.
    (["--avoid", "knee,elbow"], "--avoid: 'elbow' is not a pain flag; use one of knee, back"),
    (["--equipment", "band,kettlebell"], "'kettlebell' is not known equipment; use one of band,"),
    (["--level", "pro"], "--level: 'pro' is not a level; use one of beginner, intermediate"),
    (["--units", "st"], "--units: 'st' is not a unit; use one of kg, lb"),
    (
        ["--load", "hip-thrst=40kg"],
        "--load: unknown exercise 'hip-thrst' (did you mean hip-thrust?)",
    ),
    (
        ["--load", "glute-bridge=10kg"],
        "glute-bridge is done with body weight in your plan; exercises",
    ),
    (["--load", "hip-thrust=40"], "--load: 'hip-thrust=40' has no unit; write hip-thrust=40kg or"),
    (
        ["--load", "hip-thrust=-40kg"],
        "--load: 'hip-thrust=-40kg' is out of range; give a load above 0",
    ),
    (
        ["--equipment", "band", "--load", "hip-thrust=40kg"],
        "hip-thrust is not in your plan: Glute bridge replaces Hip thrust",
    ),
    (["--bands", "yellow,red,yellow"], "--bands: 'yellow' is listed twice"),
    (["--phase-weeks", "warmup=2"], "'warmup' is not a phase of this template; its phases are act"),
    (["--phase-weeks", "activation=2,strength=4,functional=2", "--weeks", "10"], "adds up to 8"),
    (["--phase-weeks", "activation=7", "--weeks", "8"], "leaving 1 for strength, functional"),
]


@pytest.mark.parametrize(("change", "needle"), BAD_GENERATE)
def test_generate_bad_options_write_nothing(tmp_path: Path, change: list[str], needle: str) -> None:
    args = dict(zip(GEN[2::2], GEN[3::2], strict=True))
    extra: list[str] = []
    for key, value in zip(change[::2], change[1::2], strict=True):
        if key in args:
            args[key] = value
        else:
            extra += [key, value]
    target = tmp_path / "plan.ics"
    argv = ["generate", "hip-knee", *[x for kv in args.items() for x in kv], *extra]
    code, _, err = run(*argv, "--out", target)
    assert_one_line_error(code, err, needle)
    assert list(tmp_path.iterdir()) == []


class TestPersonal:
    def test_explain_lists_every_choice(self, tmp_path: Path) -> None:
        code, out, _ = run(
            *GEN,
            "--avoid",
            "knee",
            "--units",
            "lb",
            "--level",
            "intermediate",
            "--explain",
            "--out",
            tmp_path / "p.ics",
        )
        assert code == 0
        lines = out.splitlines()
        start = lines.index("choices made for you:")
        choices = lines[start + 1 : start + 1 + 13]
        assert all(line.startswith("- [") for line in choices)
        assert "- [plan] Level intermediate: each phase starts 2 progression weeks up" in out
        assert "- [strength] Glute bridge replaces Hip thrust" in out
        assert "- [plan] Loads are in lb, rounded to your equipment's steps." in out

    def test_show_repeats_the_choices(self, tmp_path: Path) -> None:
        plan = tmp_path / "p.json"
        run(*GEN, "--avoid", "back", "--out", tmp_path / "p.ics", "--json", plan)
        code, out, _ = run("show", plan)
        assert code == 0 and "Tailored for you: avoiding strain on back." in out
        assert "- [strength] Glute bridge replaces Hip thrust" in out

    def test_explain_without_choices(self, tmp_path: Path) -> None:
        _, out, _ = run(*GEN, "--explain", "--out", tmp_path / "p.ics")
        assert "choices: none; the plan follows the template as written" in out

    def test_no_fit_is_an_error_naming_the_slot(self, tmp_path: Path) -> None:
        # With prone hip extension added, the activation phase already holds every
        # body-weight glute move the bridge could turn into.
        source = (templates_root() / "programs" / "glute-back-safe.toml").read_text()
        marker = '[[phases]]\nname = "strength"'
        extra = '[[phases.exercises]]\nexercise = "prone-hip-extension"\nsets = 2\nreps = 10\n\n'
        custom = tmp_path / "mine.toml"
        custom.write_text(source.replace(marker, extra + marker, 1))
        out = tmp_path / "p.ics"
        code, _, err = run(
            "generate",
            custom,
            "--start",
            "2026-12-07",
            "--days",
            "mon,wed,fri",
            "--avoid",
            "hamstring",
            "--equipment",
            "none",
            "--out",
            out,
        )
        assert_one_line_error(
            code,
            err,
            "no exercise fits the glute-bridge slot of the activation phase: "
            "Glute bridge can aggravate the hamstrings (--avoid hamstring); tried "
            "prone-hip-extension is already in the session, "
            "isometric-bridge-hold is already in the session",
        )
        assert err.rstrip().endswith(
            "Add equipment with --equipment, or ask a physiotherapist which exercise to use"
        )
        assert not out.exists()

    def test_saved_plan_records_what_changed(self, tmp_path: Path) -> None:
        out = tmp_path / "p.ics"
        assert run(*GEN, "--name", "knee", "--out", out)[0] == 0
        code, text, _ = run(*GEN, "--name", "knee", "--avoid", "knee", "--out", out)
        assert code == 0 and "saved as 'knee' (revision 2)" in text
        _, shown, _ = run("plans", "show", "knee")
        assert "avoid: none -> knee" in shown
        assert "In place of Hip thrust" in ics_text(out)


def test_saved_plan_keeps_personal_options_left_out(tmp_path: Path) -> None:
    out = tmp_path / "p.ics"
    mine = ["--avoid", "knee", "--equipment", "band,step,dumbbell"]
    mine += ["--load", "single-leg-deadlift=8kg"]
    assert run(*GEN, "--name", "knee", *mine, "--out", out)[0] == 0
    # Moving the days must not quietly drop the pain flag, the kit or the load.
    moved = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "tue,thu,sat"]
    code, text, _ = run(*moved, "--name", "knee", "--out", out)
    assert code == 0
    kept = "--avoid knee; --equipment band,dumbbell,step; --load single-leg-deadlift=8kg"
    assert f"kept from the saved plan: {kept}" in text
    latest = ics_text(out)
    assert "In place of Hip thrust" in latest
    assert "Tailored for you: avoiding strain on knee" in latest
    # The words none / any / template clear a saved choice.
    clear = ["--avoid", "none", "--equipment", "any", "--bands", "template", "--load", "none"]
    code, text, _ = run(*moved, "--name", "knee", *clear, "--out", out)
    assert code == 0 and "kept from" not in text
    _, shown, _ = run("plans", "show", "knee")
    assert "avoid: knee -> none" in shown and "equipment: band,dumbbell,step -> -" in shown
    assert "Tailored for you" not in ics_text(out)


def test_bad_source_date_epoch_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "yesterday"}).invoke(
        app, [*GEN, "--out", str(tmp_path / "p.ics")]
    )
    assert_one_line_error(result.exit_code, result.stderr, "SOURCE_DATE_EPOCH")
    assert list(tmp_path.iterdir()) == []


class TestOutputPaths:
    def test_missing_directory(self, tmp_path: Path) -> None:
        code, _, err = run(*GEN, "--out", tmp_path / "nope" / "plan.ics")
        assert_one_line_error(code, err, "does not exist")

    def test_output_is_a_directory(self, tmp_path: Path) -> None:
        code, _, err = run(*GEN, "--out", tmp_path)
        assert_one_line_error(code, err, "is a directory")

    def test_parent_is_a_file(self, tmp_path: Path) -> None:
        (tmp_path / "file").write_text("x")
        code, _, err = run(*GEN, "--out", tmp_path / "file" / "plan.ics")
        assert_one_line_error(code, err, "is not a folder")

    def test_not_writable(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        # Tests run as root in CI, where file modes do not stop writes; make the
        # permission check answer as it would for a normal user.
        import planner.fileio

        monkeypatch.setattr(planner.fileio, "_can_write", lambda _: False)
        target = tmp_path / "plan.ics"
        code, _, err = run(*GEN, "--out", target)
        assert_one_line_error(code, err, "permission denied")
        target.write_text("old")
        code, _, err = run(*GEN, "--out", target)
        assert_one_line_error(code, err, "permission denied")
        assert target.read_text() == "old"

    def test_existing_file_untouched_on_error(self, tmp_path: Path) -> None:
        target = tmp_path / "plan.ics"
        target.write_bytes(b"old calendar")
        code, _, err = run("generate", "hip-knee", "--start", "bad", "--days", "mon,wed,fri",
                           "--out", target)  # fmt: skip
        assert_one_line_error(code, err, "--start")
        assert target.read_bytes() == b"old calendar"

    def test_same_path_for_both_outputs(self, tmp_path: Path) -> None:
        code, _, err = run(*GEN, "--out", tmp_path / "x", "--json", tmp_path / "x")
        assert_one_line_error(code, err, "same file")
        assert not (tmp_path / "x").exists()

    def test_bad_template_file_creates_nothing(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text("title = \n")
        code, _, err = run("generate", bad, "--start", "2026-12-07", "--days", "mon,wed,fri",
                           "--out", tmp_path / "p.ics")  # fmt: skip
        assert_one_line_error(code, err, "bad.toml:1:")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]

    def test_unknown_template(self) -> None:
        code, _, err = run("generate", "hipknee", "--start", "2026-12-07", "--days", "mon")
        assert_one_line_error(code, err, "Available: glute-back-safe")


class TestUsageErrors:
    def test_missing_required_argument_exits_2(self) -> None:
        # --start and --days have defaults now (tests/test_generate_defaults.py); the
        # template is still required.
        code, _, err = run("generate")
        assert code == 2
        assert err == "error: missing argument 'TEMPLATE'; see 'planner generate --help'\n"

    def test_unknown_command(self) -> None:
        code, _, err = run("frobnicate")
        assert code == 2
        assert err == "error: no such command 'frobnicate'; see 'planner --help'\n"


class TestShow:
    def test_week_table(self, tmp_path: Path) -> None:
        run(*GEN, "--out", tmp_path / "p.ics", "--json", tmp_path / "p.json")
        code, out, _ = run("show", tmp_path / "p.json")
        assert code == 0
        assert "Week 1  activation" in out and "Week 5  strength  DELOAD" in out
        assert "Hip thrust" in out and "@ 30 kg" in out

    def test_units_are_named_only_for_a_plan_with_loads(self, tmp_path: Path) -> None:
        banded = ["generate", "runner-knee", "--equipment", "band", "--units", "lb"]
        run(*banded, "--out", tmp_path / "b.ics", "--json", tmp_path / "b.json")
        run(*GEN, "--units", "lb", "--out", tmp_path / "l.ics", "--json", tmp_path / "l.json")
        assert "loads in lb" not in run("show", tmp_path / "b.json")[1]
        assert "loads in lb" in run("show", tmp_path / "l.json")[1]

    def test_slots_blocks_and_safety_of_a_plan_file(self, tmp_path: Path) -> None:
        run(*GEN, "--out", tmp_path / "p.ics", "--json", tmp_path / "p.json")
        code, out, _ = run("show", tmp_path / "p.json")
        assert code == 0
        assert "Week 1  activation  (W1S1 Mon 07 Dec, W1S2 Wed 09 Dec, W1S3 Fri 11 Dec)" in out
        every = out.split("Every session:\n")[1].split("\n\n")[0]
        assert " Warm-up (" in every and " Cool-down (" in every
        assert "Adapted from your log" not in out  # nothing adapted yet
        # A file knows no log: its safety is said to be unknown, never left out.
        assert out.rstrip().endswith("'planner show NAME' shows red flags.")
        assert max(map(len, out.splitlines())) <= 80

    def test_saved_plan_shows_what_adapt_changed_and_the_safety_stop(
        self, tmp_path: Path, _isolated_store: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert run(*GEN, "--name", "knee", "--out", tmp_path / "k.ics")[0] == 0
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-12")
        for slot in ("W1S1", "W1S2", "W1S3"):
            code, _, err = run("log", "knee", "--session", slot, "--exercise", "clamshell",
                               "--reps", "15,15", "--pain", "1", "--rpe", "9")  # fmt: skip
            assert code == 0, err
        assert run("adapt", "knee")[0] == 0
        code, out, _ = run("show", "knee")
        assert code == 0 and out.startswith("Safety: ")
        week2 = out.split("\nWeek 2 ")[1].split("\nWeek 3 ")[0]
        adapted = week2.split(" Adapted from your log:\n")[1]
        assert "  - Clamshell" in adapted
        assert "Adapted from your log" not in out.split("\nWeek 2 ")[0]
        monkeypatch.setenv("PLANNER_TODAY", "2026-12-14")
        assert run("checkin", "knee", "--morning-pain", "3", "--red-flag", "swelling")[0] == 0
        code, out, _ = run("show", "knee")
        assert code == 0 and out.startswith("RED FLAGS: ")
        assert "swelling" in out.split("\n\n")[0]
        assert "Week 2  activation  SAFETY STOP  (W2S1 Mon 14 Dec," in out

    def test_not_a_plan(self, tmp_path: Path) -> None:
        path = tmp_path / "p.json"
        path.write_text('{"id": 1}')
        assert_one_line_error(*run("show", path)[::2], "not a plan file")

    def test_missing_file(self, tmp_path: Path) -> None:
        assert_one_line_error(*run("show", tmp_path / "none.json")[::2], "cannot read")


class TestValidate:
    def test_shipped_program(self) -> None:
        code, out, _ = run("validate", templates_root() / "programs" / "hip-knee.toml")
        assert code == 0 and out.startswith("ok:") and "3 phases, 8 weeks" in out

    def test_library(self) -> None:
        code, out, _ = run("validate", templates_root() / "exercises.toml")
        assert code == 0 and "exercise library" in out

    def test_bad_file(self, tmp_path: Path) -> None:
        path = tmp_path / "t.toml"
        path.write_text('title = "x"\nsummary = "y"\n')
        # validate lists every problem, one error line each; generate keeps to one line.
        code, _, err = run("validate", path)
        assert code == 1
        assert [line.split(": ")[2] for line in err.splitlines()] == [
            "sources", "warmup", "cooldown", "phases"
        ]  # fmt: skip
        code, _, err = run("generate", path, "--start", "2026-12-07", "--days", "mon")
        assert_one_line_error(code, err, "(+3 more; run 'planner validate")


class TestSchema:
    @pytest.mark.parametrize("kind", ["program", "exercises", "plan"])
    def test_kinds(self, kind: str) -> None:
        code, out, _ = run("schema", "--kind", kind)
        assert code == 0 and json.loads(out)["type"] == "object"

    def test_program_schema_forbids_unknown_keys(self) -> None:
        schema = json.loads(run("schema")[1])
        assert schema["additionalProperties"] is False
        assert "phases" in schema["properties"]

    def test_bad_kind(self) -> None:
        assert_one_line_error(*run("schema", "--kind", "x")[::2], "--kind")


class TestTemplatesAndExercises:
    def test_templates_list(self) -> None:
        code, out, _ = run("templates", "list")
        assert code == 0 and len(out.splitlines()) == 6 and "hip-knee" in out

    def test_templates_show(self) -> None:
        code, out, _ = run("templates", "show", "hip-knee")
        assert code == 0 and "reps 8-12, then +5% load" in out and "Sources:" in out

    def test_templates_show_unknown(self) -> None:
        assert_one_line_error(*run("templates", "show", "x")[::2], "unknown template 'x'")

    def test_exercises_list_filters_by_equipment(self) -> None:
        code, out, _ = run("exercises", "list", "--equipment", "none")
        assert code == 0 and "clamshell " in out and "hip-thrust " not in out
        code, out, _ = run("exercises", "list", "--equipment", "band,bench,barbell")
        assert "hip-thrust " in out and "banded-hip-thrust" in out

    def test_exercises_list_bad_equipment(self) -> None:
        assert_one_line_error(
            *run("exercises", "list", "--equipment", "rope")[::2], "'rope' is not known equipment"
        )

    def test_exercises_show(self) -> None:
        code, out, _ = run("exercises", "show", "hip-thrust")
        assert code == 0 and "may bother the knee" in out and "cues:" in out

    def test_exercises_show_unknown(self) -> None:
        assert_one_line_error(
            *run("exercises", "show", "hipthrust")[::2], "did you mean 'hip-thrust'"
        )


# The zone database is chosen the same way in every process on this machine.
VERSION_LINE = f"planner {__version__} (time zones: {database().describe()})"


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == VERSION_LINE
    assert re.fullmatch(
        r"planner \S+ \(time zones: tzdata \d{4}[a-z]+, (bundled|system)\)", VERSION_LINE
    )


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    # The console script pip put beside this interpreter (the venv's bin or Scripts folder)
    # is what people type; run it as well as ``python -m planner``.
    script = shutil.which("planner", path=str(Path(sys.executable).parent))
    assert script is not None, f"no planner script beside {sys.executable}: pip install -e ."
    for command in ([sys.executable, "-m", "planner"], [script]):
        proc = subprocess.run([*command, "--version"], capture_output=True, text=True,
                              cwd=tmp_path, check=False)  # fmt: skip
        assert proc.returncode == 0, (command, proc.stderr)
        assert proc.stdout.strip() == VERSION_LINE, command


def test_the_installed_console_script_is_the_declared_one() -> None:
    # A script installed before the entry point moved still points at the old place.
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    installed = {
        ep.name: ep.value
        for ep in importlib.metadata.distribution("planner").entry_points
        if ep.group == "console_scripts"
    }
    assert installed == declared, "the install is stale: run pip install -e . again"


def test_real_bug_keeps_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.plan.generate

    def boom(*_: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(planner.plan.generate, "generate", boom)
    result = runner.invoke(app, GEN)
    assert isinstance(result.exception, RuntimeError)
