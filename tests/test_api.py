"""The Python API: the lazy names of ``planner``, the examples in their docstrings and the
README's script."""

import doctest
import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import planner
import planner.api
import planner.service

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def documented_modules() -> list[object]:
    names = ["planner", "planner.api"]
    names += [f"planner.service.{m.name}" for m in pkgutil.iter_modules(planner.service.__path__)]
    return names


class TestDoctests:
    @pytest.mark.parametrize("name", documented_modules())
    def test_examples_pass(self, name: str) -> None:
        module = importlib.import_module(name)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0

    def test_every_public_function_has_an_example(self) -> None:
        finder = doctest.DocTestFinder()
        for name in planner.__all__:
            value = getattr(planner, name)
            if callable(value) and not isinstance(value, type):
                tests = finder.find(value, name)
                assert any(t.examples for t in tests), f"{name} has no example"


class TestLazyNames:
    def test_all_names_resolve_to_their_home(self) -> None:
        assert planner.to_ics is planner.api.to_ics
        assert planner.PlanOptions.__module__ == "planner.models.plan"
        from planner.service.plans import build_plan

        assert planner.build_plan is build_plan
        for name in planner.__all__:
            assert getattr(planner, name) is not None

    def test_dir_lists_the_public_names(self) -> None:
        assert dir(planner) == sorted(planner.__all__)
        assert "_HOMES" not in dir(planner)

    def test_unknown_name_is_an_attribute_error(self) -> None:
        with pytest.raises(AttributeError, match="no attribute 'generate_plan'"):
            _ = planner.generate_plan

    def test_version_is_the_one_in_version_py(self) -> None:
        from planner.version import __version__

        assert planner.__version__ == __version__
        assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)

    def test_to_ics_default_stamp_is_now(self) -> None:
        import datetime as dt

        options = planner.PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        data = planner.to_ics(planner.build_plan("hip-knee", options))
        after = dt.datetime.now(dt.UTC)
        stamps = {
            dt.datetime.strptime(s.decode(), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            for s in re.findall(rb"DTSTAMP:(\d{8}T\d{6}Z)", data)
        }
        assert len(stamps) == 1 and before <= stamps.pop() <= after

    def test_errors_are_planner_errors(self) -> None:
        with pytest.raises(planner.PlannerError, match="unknown template 'hip-kne'"):
            planner.load_template("hip-kne")


SECTION = README.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]


class TestReadme:
    def script(self) -> str:
        blocks: list[str] = re.findall(r"```python\n(.*?)```", SECTION, re.S)
        assert len(blocks) == 1
        return blocks[0]

    def test_the_readme_names_every_public_name(self) -> None:
        section = SECTION
        named = set(re.findall(r"`(\w+)`", section.split("The public names are", 1)[1]))
        assert named == set(planner.__all__) - {"__version__"}

    def test_the_readme_script_runs(self, tmp_path: Path) -> None:
        (tmp_path / "example.py").write_text(self.script(), encoding="utf-8")
        env = {**os.environ, "PLANNER_DB": str(tmp_path / "plans.db")}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        proc = subprocess.run(
            [sys.executable, "example.py"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert "'hip-knee'" in proc.stdout
        assert "W1S1 2026-12-07" in proc.stdout
        assert (tmp_path / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
        assert b"<html" in (tmp_path / "plan.html").read_bytes()
