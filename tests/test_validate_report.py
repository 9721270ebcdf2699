"""Authoring help: 'planner validate' lists every problem, 'planner templates new' writes
an editable copy that validates and gives the same plan."""

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from planner.models.plan import Plan, PlanOptions
from planner.service.plans import build_plan
from planner.templates import templates_root
from tests.conftest import SLUGS
from tests.helpers import assert_one_line_error, line_of, run

HIP_KNEE = (templates_root() / "programs" / "hip-knee.toml").read_text()
OPTIONS = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))


def broken(tmp_path: Path) -> Path:
    """hip-knee with three reference problems and nothing else wrong."""
    text = HIP_KNEE.replace('exercise = "step-down"', 'exercise = "step-dwn"')
    text = text.replace('band = "green"', 'band = "purple"')
    text = text.replace("load = 30\n", "load = 31\n")
    path = tmp_path / "broken.toml"
    path.write_text(text)
    return path


class TestValidateListsEverything:
    def test_every_reference_problem_on_its_own_line(self, tmp_path: Path) -> None:
        path = broken(tmp_path)
        code, out, err = run("validate", path)
        assert code == 1 and out == ""
        lines = err.splitlines()
        assert len(lines) == 3
        # A load is on a line of its own, away from the exercise id: the file is named.
        assert lines[0] == (
            f"error: {path}: phases[1].exercises[0].load: load 31 kg is not a multiple of the "
            "2.5 kg increment; round it or set 'increment'"
        )
        assert lines[1] == (
            f"error: {path}:{line_of(path, 'step-dwn')}: phases[2].exercises[1].exercise: "
            "unknown exercise id 'step-dwn'; did you mean 'step-down'?"
        )
        assert lines[2].startswith(
            f"error: {path}:{line_of(path, 'purple')}: phases[2].exercises[2].band: band "
            "'purple' is not in the ladder ("
        )

    def test_generate_shows_the_first_and_points_at_validate(self, tmp_path: Path) -> None:
        path = broken(tmp_path)
        out = tmp_path / "p.ics"
        code, _, err = run("generate", path, "--start", "2026-12-07", "--days", "mon",
                           "--out", out)  # fmt: skip
        assert_one_line_error(code, err, "load 31 kg is not a multiple")
        assert err.rstrip().endswith(f"(+2 more; run 'planner validate {path}' to see all)")
        assert not out.exists()

    def test_every_schema_problem_on_its_own_line(self, tmp_path: Path) -> None:
        text = HIP_KNEE.replace("sets = 2\nreps = 15", "sets = 0\nreps = 15", 1)
        text = text.replace("rest = 45", "rest = -1").replace("minutes = 7", "minuts = 7")
        path = tmp_path / "schema.toml"
        path.write_text(text)
        code, _, err = run("validate", path)
        assert code == 1
        fields = [line.split(": ")[2] for line in err.splitlines()]
        assert fields == ["warmup.minutes", "warmup.minuts", "phases[0].rest",
                          "phases[0].exercises[0].sets"]  # fmt: skip
        assert all(line.startswith(f"error: {path}:") for line in err.splitlines())

    def test_every_problem_of_an_exercise_file(self, tmp_path: Path) -> None:
        move = (
            '[[exercise]]\nid = "{id}"\nname = "A move"\nmuscles = ["glutes"]\n'
            'dose = "reps"\nprovokes = []\ndifficulty = 2\ncues = ["One.", "Two."]\n'
            'easier = ["{ref}"]\n'
        )
        path = tmp_path / "mine.toml"
        path.write_text(move.format(id="a-move", ref="clamshel") + move.format(id="b-move",
                        ref="nothing"))  # fmt: skip
        code, _, err = run("validate", path)
        assert code == 1
        assert err.splitlines() == [
            f"error: {path}:9: exercise[0].easier: exercise 'a-move' refers to unknown "
            "exercise id(s): clamshel",
            f"error: {path}:18: exercise[1].easier: exercise 'b-move' refers to unknown "
            "exercise id(s): nothing",
        ]

    def test_an_exercise_file_that_fits(self, tmp_path: Path) -> None:
        path = tmp_path / "mine.toml"
        path.write_text(
            '[[exercise]]\nid = "a-move"\nname = "A move"\nmuscles = ["glutes"]\n'
            'dose = "reps"\nprovokes = []\ndifficulty = 2\ncues = ["One.", "Two."]\n'
            'easier = ["clamshell"]\n'
        )
        code, out, _ = run("validate", path)
        assert (code, out) == (0, f"ok: {path}: exercise file with 1 exercise\n")

    def test_the_personal_library(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "personal.toml"
        path.write_text(
            '[[exercise]]\nid = "a-move"\nname = "A move"\nmuscles = ["glutes"]\n'
            'dose = "reps"\nprovokes = []\ndifficulty = 2\ncues = ["One.", "Two."]\n'
        )
        monkeypatch.setenv("PLANNER_EXERCISES", str(path))
        code, out, _ = run("validate", path)
        assert (code, out) == (0, f"ok: {path}: your personal exercise library with 1 exercise\n")


def same_plan(a: Plan, b: Plan) -> bool:
    """Equal but for the name the plan goes by (the file stem) and what derives from it."""
    skip = {"id", "template"}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)


class TestTemplatesNew:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_the_copy_validates_and_gives_the_same_plan(self, tmp_path: Path, slug: str) -> None:
        path = tmp_path / "my.toml"
        code, out, err = run("templates", "new", path, "--from", slug)
        assert code == 0, err
        assert f"planner validate {path}" in out
        source = templates_root() / "programs" / f"{slug}.toml"
        assert tomllib.loads(path.read_text()) == tomllib.loads(source.read_text())
        assert run("validate", path)[0] == 0
        assert same_plan(build_plan(str(path), OPTIONS), build_plan(slug, OPTIONS))

    def test_comments_say_what_the_parts_mean(self, tmp_path: Path) -> None:
        path = tmp_path / "my.toml"
        run("templates", "new", path, "--from", "hip-knee")
        text = path.read_text()
        assert f"#   planner validate {path}" in text
        assert "'planner exercises list'" in text and "[[exercises]]" in text
        assert "# Phases run in order." in text and "'progression'" in text
        assert text.count("# Phases run in order.") == 1
        assert "domain-rules" not in text.split("title =")[0]  # the source's own notes go

    def test_from_a_file(self, tmp_path: Path) -> None:
        first, second = tmp_path / "a.toml", tmp_path / "b.toml"
        assert run("templates", "new", first)[0] == 0  # default: hip-knee
        first.write_text("# my own note\n" + first.read_text())
        assert run("templates", "new", second, "--from", first)[0] == 0
        assert tomllib.loads(second.read_text()) == tomllib.loads(HIP_KNEE)
        assert "# my own note" in second.read_text()  # your comments are kept
        third = tmp_path / "c.toml"
        assert run("templates", "new", third, "--from", second)[0] == 0
        assert third.read_text().count("# Your copy of the program template") == 1
        assert third.read_text().count("# Phases run in order.") == 1

    def test_refuses_an_existing_file(self, tmp_path: Path) -> None:
        path = tmp_path / "my.toml"
        path.write_text("mine\n")
        code, _, err = run("templates", "new", path, "--from", "hip-knee")
        assert_one_line_error(code, err, f"{path}: exists already; give another name, or add "
                                         "--force")  # fmt: skip
        assert path.read_text() == "mine\n"
        assert run("templates", "new", path, "--from", "hip-knee", "--force")[0] == 0
        assert tomllib.loads(path.read_text()) == tomllib.loads(HIP_KNEE)

    def test_unknown_source(self, tmp_path: Path) -> None:
        path = tmp_path / "my.toml"
        code, _, err = run("templates", "new", path, "--from", "hip-kne")
        assert_one_line_error(code, err, "--from: unknown template 'hip-kne'. Did you mean "
                                         "'hip-knee'?")  # fmt: skip
        assert not path.exists()

    def test_a_broken_source_is_not_copied(self, tmp_path: Path) -> None:
        path = tmp_path / "my.toml"
        code, _, err = run("templates", "new", path, "--from", broken(tmp_path))
        assert_one_line_error(code, err, "(+2 more; run 'planner validate")
        assert not path.exists()

    def test_a_copy_that_would_lose_its_exercise_file(self, tmp_path: Path) -> None:
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "ex.toml").write_text(
            '[[exercise]]\nid = "a-move"\nname = "A move"\nmuscles = ["glutes"]\n'
            'dose = "reps"\nprovokes = []\ndifficulty = 2\ncues = ["One.", "Two."]\n'
        )
        source = tmp_path / "src" / "t.toml"
        top = 'knee_focus = true\nexercise_files = ["ex.toml"]'
        source.write_text(HIP_KNEE.replace("knee_focus = true", top))
        path = tmp_path / "my.toml"
        code, _, err = run("templates", "new", path, "--from", source)
        assert_one_line_error(code, err, f"{source}:{line_of(source, 'exercise_files')}: "
                                         "exercise_files[0]: the copy in")  # fmt: skip
        assert not path.exists()
        assert run("templates", "new", tmp_path / "src" / "my.toml", "--from", source)[0] == 0
