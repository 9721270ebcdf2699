"""Command-line conventions: -V and --version, shell completion on the root command,
and one ``error: ...`` line with a hint and exit 2 for every usage error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.version import __version__
from tests.helpers import GEN, run

ROOT = Path(__file__).resolve().parents[1]


def _usage_error(args: list[str], expected: str) -> None:
    code, out, err = run(*args)
    assert code == 2, err
    assert out == ""
    assert err == expected + "\n"  # one line, nothing from click's three-line block


class TestUsageErrors:
    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (
                ["generate", "hip-knee", "--dys", "mon"],
                "error: no such option '--dys' (did you mean '--days'?); "
                "see 'planner generate --help'",
            ),
            (
                ["genrate", "hip-knee"],
                "error: no such command 'genrate' (did you mean 'generate'?); see 'planner --help'",
            ),
            (
                ["plans", "lst"],
                "error: no such command 'lst' (did you mean 'list'?); see 'planner plans --help'",
            ),
            (["--bogus"], "error: no such option '--bogus'; see 'planner --help'"),
            (
                ["generate", "hip-knee", "--days"],
                "error: option '--days' requires an argument; see 'planner generate --help'",
            ),
            (
                ["generate", "hip-knee", "--utc=yes"],
                "error: option '--utc' does not take a value; see 'planner generate --help'",
            ),
            (
                ["show", "a", "b"],
                "error: got unexpected extra argument(s) (b); see 'planner show --help'",
            ),
            (
                ["export", "knee"],
                "error: missing option '--out'; see 'planner export --help'",
            ),
            (
                ["move", "knee"],
                "error: missing argument 'SESSION'; see 'planner move --help'",
            ),
        ],
    )
    def test_one_line_and_exit_2(self, args: list[str], expected: str) -> None:
        _usage_error(args, expected)

    def test_other_errors_stay_exit_1(self, tmp_path: Path) -> None:
        out = tmp_path / "x.ics"
        code, _, err = run(*GEN, "--time", "07:00", "--tz", "America/Chicgo", "--out", out)
        assert code == 1 and err.count("\n") == 1
        assert err.startswith("error: --tz: unknown time zone 'America/Chicgo' (did you mean ")
        assert not out.exists()

    def test_nothing_given_shows_the_help(self) -> None:
        code, out, err = run()
        assert code == 2 and "Commands:" in out + err

    def test_the_console_script_prints_the_same_line(self) -> None:
        # Outside the test runner: the entry point runs the same main().
        proc = subprocess.run(
            [sys.executable, "-m", "planner", "generate", "hip-knee", "--dys", "mon"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 2
        assert proc.stderr.startswith("error: no such option '--dys' (did you mean '--days'?)")
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


class TestVersion:
    @pytest.mark.parametrize("flag", ["-V", "--version"])
    def test_both_spellings(self, flag: str) -> None:
        code, out, _ = run(flag)
        assert code == 0 and out.startswith(f"planner {__version__} (time zones: ")


def _complete(words: str, cword: int, tmp_path: Path) -> list[str]:
    env = {
        **os.environ,
        "_PLANNER_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
        "PLANNER_DB": str(tmp_path / "plans.db"),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "planner"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


class TestCompletion:
    def test_root_offers_install_and_show(self) -> None:
        code, out, _ = run("--help")
        assert code == 0 and "--install-completion" in out and "--show-completion" in out

    def test_only_the_root_offers_them(self) -> None:
        assert "--install-completion" not in run("generate", "--help")[1]

    def test_show_completion_prints_a_bash_script(self) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "planner", "--show-completion", "bash"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "_PLANNER_COMPLETE=complete_bash" in proc.stdout
        assert "complete -o default -F _planner_completion planner" in proc.stdout

    def test_commands_templates_and_plans_complete(self, tmp_path: Path) -> None:
        assert _complete("planner gen", 1, tmp_path) == ["generate"]
        assert _complete("planner generate hip", 2, tmp_path) == ["hip-knee"]
        assert _complete("planner show k", 2, tmp_path) == []  # no store yet: nothing, quietly
        env = {**os.environ, "PLANNER_DB": str(tmp_path / "plans.db"), "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "planner", *GEN, "--name", "knee", "--out", "k.ics"],
            env=env, cwd=tmp_path, capture_output=True, check=True,
        )  # fmt: skip
        assert _complete("planner show k", 2, tmp_path) == ["knee"]
        assert _complete("planner history k", 2, tmp_path) == ["knee"]
