"""The hypothesis profiles: ci runs each fuzz test's own bounded count, long ten times that."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzzing import CI_EXAMPLES, LONG_FACTOR, fuzz, long_run

ROOT = Path(__file__).parent.parent
AT_IMPORT = fuzz(7)  # built when pytest imports this module, as every @fuzz(...) is


def test_ci_runs_each_test_its_own_count_without_a_deadline() -> None:
    ci = settings.get_profile("ci")
    built = fuzz(40, base=ci, suppress_health_check=[HealthCheck.too_slow])
    assert built.max_examples == 40
    assert built.deadline is None
    assert list(built.suppress_health_check) == [HealthCheck.too_slow]
    assert not long_run(ci)
    assert ci.max_examples == CI_EXAMPLES  # what a hypothesis test without fuzz runs


@pytest.mark.parametrize("name", ["long", "thorough"])
def test_long_runs_ten_times_as_many_random_examples(name: str) -> None:
    profile = settings.get_profile(name)
    built = fuzz(40, base=profile, stateful_step_count=40)
    assert built.max_examples == 40 * LONG_FACTOR
    assert built.stateful_step_count == 40
    assert not built.derandomize
    assert built.print_blob
    assert built.deadline is None
    assert long_run(profile)
    assert fuzz(1, base=profile).max_examples == LONG_FACTOR


def test_a_small_profile_still_runs_one_example() -> None:
    assert fuzz(3, base=settings(max_examples=1)).max_examples == 1


def test_the_state_machine_follows_the_profile() -> None:
    from tests.test_safety_machine import DIARY_SETTINGS

    assert DIARY_SETTINGS.max_examples == 200 * round(AT_IMPORT.max_examples / 7)
    assert DIARY_SETTINGS.derandomize is not long_run()
    assert DIARY_SETTINGS.stateful_step_count == (40 if long_run() else 15)


def _examples_at_import(*options: str, profile: str | None) -> int:
    """Run this file's import check in a fresh pytest and return what fuzz(7) became."""
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"}
    if profile is not None:
        env["HYPOTHESIS_PROFILE"] = profile
    env["FUZZ_REPORT"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-k", "report_at_import", "-q", "-s",
         "-p", "no:cacheprovider", "-n", "0", *options],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [x for x in done.stdout.splitlines() if x.startswith("fuzz(7)=")]
    assert len(lines) == 1, done.stdout
    return int(lines[0].removeprefix("fuzz(7)="))


def test_report_at_import() -> None:
    """Prints what fuzz(7) was at import time, for the test below (quiet in a normal run)."""
    if os.environ.get("FUZZ_REPORT"):
        print(f"fuzz(7)={AT_IMPORT.max_examples}")
    assert AT_IMPORT.max_examples in (7, 7 * LONG_FACTOR)


@pytest.mark.slow  # three fresh pytest runs, about 2 s each
@pytest.mark.parametrize(
    ("options", "profile", "expected"),
    [
        (("--hypothesis-profile=long",), None, 70),  # loaded before test modules are imported
        ((), "thorough", 70),  # the variable, as before
        (("--hypothesis-profile=ci",), "long", 7),  # the option wins
    ],
)
def test_the_profile_is_active_when_test_modules_are_imported(
    options: tuple[str, ...], profile: str | None, expected: int
) -> None:
    assert _examples_at_import(*options, profile=profile) == expected
