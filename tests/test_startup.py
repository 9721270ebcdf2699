"""Start-up cost: what a fresh interpreter has imported after ``planner --help`` or
``import planner``. Each check runs in its own process, since this one has long imported
everything."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pydantic", "icalendar", "typer", "click", "caldav", "sqlite3", "holidays")


def loaded_after(code: str) -> set[str]:
    """The top-level packages of HEAVY that ``code`` leaves in ``sys.modules``."""
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    # -c puts the working folder first on sys.path: the checkout's planner is the one run.
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(proc.stdout.splitlines()[-1]))


HELP = """
from planner.cli.app import main
sys.argv = ["planner", "--help"]
try:
    main()
except SystemExit as exc:
    assert exc.code == 0, exc.code
"""


class TestHelp:
    def test_help_imports_neither_pydantic_nor_icalendar(self) -> None:
        loaded = loaded_after(HELP)
        assert "typer" in loaded  # the probe did run the app
        assert not loaded & {"pydantic", "icalendar", "caldav", "sqlite3", "holidays"}

    def test_command_help_imports_no_icalendar(self) -> None:
        # Typer (0.29) itself imports pydantic to build a command's parameters, so only
        # the root help can be free of it.
        loaded = loaded_after(HELP.replace('"--help"', '"generate", "--help"'))
        assert "typer" in loaded
        assert not loaded & {"icalendar", "caldav", "sqlite3", "holidays"}

    def test_help_prints_the_commands(self) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "planner", "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "generate" in proc.stdout and "adapt" in proc.stdout


class TestImportPlanner:
    def test_import_planner_imports_nothing_heavy(self) -> None:
        assert loaded_after("import planner; planner.__version__") == set()

    def test_a_model_brings_pydantic_but_not_icalendar_or_typer(self) -> None:
        assert loaded_after("import planner; planner.PlanOptions") == {"pydantic"}

    def test_to_ics_is_what_brings_icalendar(self) -> None:
        loaded = loaded_after("import planner; planner.to_ics")
        assert "icalendar" not in loaded
        assert "icalendar" in loaded_after(
            "import datetime as dt, planner\n"
            "o = planner.PlanOptions(start=dt.date(2026, 12, 7), days=('mon', 'wed', 'fri'))\n"
            "planner.to_ics(planner.build_plan('hip-knee', o))"
        )


GENERATE = """
import os, tempfile
from planner.cli.app import main
os.chdir(tempfile.mkdtemp())
sys.argv = ["planner", "generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri"
            EXTRA]
try:
    main()
except SystemExit as exc:
    assert exc.code == 0, exc.code
"""


class TestGenerate:
    def test_generate_without_holidays_does_not_import_them(self) -> None:
        loaded = loaded_after(GENERATE.replace("EXTRA", ', "--skip", "2026-12-25"'))
        assert "icalendar" in loaded  # the probe did write the calendar
        assert "holidays" not in loaded

    def test_generate_with_holidays_imports_them(self) -> None:
        assert "holidays" in loaded_after(GENERATE.replace("EXTRA", ', "--holidays", "GB"'))


def imported_by(args: list[str], env: dict[str, str]) -> set[str]:
    """Every module a fresh ``planner ARGS`` imports, as ``python -X importtime`` lists them
    (what the interpreter itself brings before the command runs is left out)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "planner", *args],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    bare = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"],
        capture_output=True,
        text=True,
        check=True,
    )

    def names(text: str) -> set[str]:
        rows = [line.split("|") for line in text.splitlines() if line.startswith("import time:")]
        return {row[2].strip() for row in rows if len(row) == 3} - {"package"}

    return names(proc.stderr) - names(bare.stderr)


# The modules that only some commands need: none of them is imported by a command that
# does not use it.
EDGES = {
    "sqlite3": "the plan store",
    "caldav": "publish",
    "niquests": "publish",
    "holidays": "--holidays",
    "icalendar": "an .ics file",
    "tomllib": "a template file",
    "planner.exporters.spreadsheet": "the CSV export",
    "planner.caldav": "publish",
    "planner.store.database": "the plan store",
    "planner.training.adapt": "adapt and the safety hold",
    "planner.exporters.html": "the HTML export",
    "planner.exporters.markdown": "the Markdown export",
    "planner.exporters.printout": "the printouts",
    "planner.holiday_dates": "--holidays",
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A store with a saved plan 'k', and the folder for the files the commands write."""
    work = tmp_path_factory.mktemp("imports")
    # A cache folder of its own, warmed by this generate: the runs below read no TOML.
    env = {
        "PLANNER_DB": str(work / "plans.db"),
        "PLANNER_TODAY": "2026-12-20",
        "PLANNER_CACHE_DIR": str(work / "cache"),
    }
    args = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri"]
    subprocess.run(
        [sys.executable, "-m", "planner", *args, "--name", "k", "--out", str(work / "k.ics")],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    return {**env, "WORK": str(work)}


class TestImportSet:
    @pytest.mark.parametrize(
        ("args", "needs"),
        [
            (["--help"], set()),
            (["generate", "--help"], set()),
            (
                [
                    "generate",
                    "hip-knee",
                    "--start",
                    "2026-12-07",
                    "--days",
                    "mon,wed,fri",
                    "--out",
                    "{WORK}/plain.ics",
                ],
                {"icalendar"},  # the template comes from the cache
            ),
            (["show", "k"], {"sqlite3", "planner.store.database", "planner.training.adapt"}),
            (["history", "k"], {"sqlite3", "planner.store.database", "planner.training.adapt"}),
            (
                ["export", "k", "--out", "{WORK}/k.html"],
                {
                    "sqlite3",
                    "planner.store.database",
                    "planner.training.adapt",
                    "planner.exporters.html",
                    "planner.exporters.printout",
                },
            ),
            (
                ["export", "k", "--out", "{WORK}/k.md"],
                {
                    "sqlite3",
                    "planner.store.database",
                    "planner.training.adapt",
                    "planner.exporters.markdown",
                    "planner.exporters.printout",  # what the page and the file both say
                },
            ),
        ],
        ids=lambda value: " ".join(value[:2]) if isinstance(value, list) else "",
    )
    def test_a_command_imports_only_what_it_uses(
        self, saved: dict[str, str], args: list[str], needs: set[str]
    ) -> None:
        given = [arg.replace("{WORK}", saved["WORK"]) for arg in args]
        loaded = imported_by(given, saved)
        assert "typer" in loaded  # the run did happen
        assert needs <= loaded  # and did what it was asked for
        unneeded = {name for name in set(EDGES) - needs if name in loaded}
        assert not unneeded, {name: EDGES[name] for name in unneeded}

    def test_help_builds_no_command(self, saved: dict[str, str]) -> None:
        # The root help lists the commands from a table: no command module is imported.
        loaded = imported_by(["--help"], saved)
        assert not {m for m in loaded if m.startswith("planner.cli.")} - {
            "planner.cli.app",
            "planner.cli.console",
            "planner.cli.help_text",  # the root's examples
            "planner.cli.option_values",  # the --help option's own reading
        }
        assert "pydantic" not in loaded

    def test_a_command_builds_only_its_own_module(self, saved: dict[str, str]) -> None:
        loaded = imported_by(["show", "k"], saved)
        assert "planner.cli.plans" in loaded
        assert not {"planner.cli.training", "planner.cli.calendar", "planner.cli.library"} & loaded
