"""Start-up cost: what a fresh interpreter has imported after ``planner --help`` or
``import planner``. Each check runs in its own process, since this one has long imported
everything."""

import json
import subprocess
import sys
from pathlib import Path

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
