"""Exercises of your own: a template's [[exercises]], its exercise_files and the personal
library, merged after the shipped library, checked as one library and kept with a plan."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.exercise_sources import Source, add_exercises
from planner.models.exercise import UserExercise
from planner.service.snapshots import changed_note
from planner.templates import (
    TemplateProblems,
    base_library,
    load_library,
    load_program,
    load_snapshot,
    templates_root,
)
from tests.helpers import assert_one_line_error, line_of, run

SHIPPED = load_library()
HIP_KNEE = (templates_root() / "programs" / "hip-knee.toml").read_text()
GEN = ("--start", "2026-12-07", "--days", "mon,wed,fri")

HIP_HIKE = """\
[[exercise]]
id = "hip-hike"
name = "Hip hike"
muscles = ["gluteus medius"]
unilateral = true
dose = "reps"
provokes = []
difficulty = 2
cues = ["Stand on one leg on a step.", "Lift the free hip; keep the knee straight."]
easier = ["clamshell"]
"""

MONSTER_WALK = """
[[exercises]]
id = "monster-walk"
name = "Monster walk"
muscles = ["gluteus medius"]
equipment = ["band"]
dose = "steps"
provokes = []
difficulty = 4
cues = ["Band above the knees.", "Walk forward with the feet wide."]
"""


def template(folder: Path, top: str = "", tables: str = "", uses: str = "") -> Path:
    """hip-knee with extra top-level keys, extra tables and step-down swapped for ``uses``."""
    text = HIP_KNEE.replace("knee_focus = true", f"knee_focus = true\n{top}")
    if uses:
        text = text.replace('exercise = "step-down"', f'exercise = "{uses}"')
    path = folder / "mine.toml"
    path.write_text(text + tables)
    return path


def exercise_file(folder: Path, text: str = HIP_HIKE, name: str = "my-exercises.toml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


class TestThreeWays:
    def test_inline_exercises_reach_the_plan(self, tmp_path: Path) -> None:
        path = template(tmp_path, tables=MONSTER_WALK, uses="monster-walk")
        old, new = 'monster-walk"\nsets = 3\nreps = 8', 'monster-walk"\nsets = 3\nsteps = 8'
        path.write_text(path.read_text().replace(old, new))
        loaded = load_program(str(path), SHIPPED)
        assert loaded.library.by_id()["monster-walk"].name == "Monster walk"
        # Added after the shipped ones, which keep their order.
        assert [e.id for e in loaded.library.exercise][:-1] == [e.id for e in SHIPPED.exercise]
        code, _, err = run("generate", path, *GEN, "--out", tmp_path / "p.ics")
        assert code == 0, err
        assert "Monster walk" in (tmp_path / "p.ics").read_text()

    def test_exercise_file_relative_to_the_template(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "t").mkdir()
        exercise_file(tmp_path / "t")
        path = template(tmp_path / "t", 'exercise_files = ["my-exercises.toml"]', uses="hip-hike")
        monkeypatch.chdir(tmp_path)  # not the template's folder
        assert "hip-hike" in load_program(str(path), SHIPPED).library.by_id()

    def test_exercise_file_by_absolute_path(self, tmp_path: Path) -> None:
        lib = exercise_file(tmp_path / ".." / tmp_path.name, name="abs.toml").resolve()
        (tmp_path / "t").mkdir()
        path = template(tmp_path / "t", f'exercise_files = ["{lib}"]', uses="hip-hike")
        assert "hip-hike" in load_program(str(path), SHIPPED).library.by_id()

    def test_personal_library_is_seen_everywhere(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_EXERCISES", str(exercise_file(tmp_path)))
        code, out, _ = run("exercises", "list")
        assert code == 0
        rows = {row.split()[0]: row for row in out.splitlines()}
        assert rows["hip-hike"].endswith("Hip hike  (yours)")
        assert not rows["clamshell"].endswith("(yours)")
        code, out, _ = run("exercises", "show", "hip-hike")
        assert code == 0 and "Hip hike" in out
        path = template(tmp_path, uses="hip-hike")
        code, out, _ = run("templates", "show", path)
        assert code == 0 and "Hip hike" in out
        assert run("validate", path)[0] == 0
        code, _, err = run("generate", path, *GEN, "--out", tmp_path / "p.ics")
        assert code == 0, err
        assert "Hip hike" in (tmp_path / "p.ics").read_text()

    def test_personal_library_default_place_is_beside_the_store(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
        (tmp_path / "planner").mkdir()
        exercise_file(tmp_path / "planner", name="exercises.toml")
        assert "hip-hike" in base_library().by_id()

    def test_no_personal_library_reads_only_the_shipped_file(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        from planner import templates

        # An empty template cache: a warm one reads no file at all.
        monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
        read: list[Path] = []
        real = templates.read_toml

        def counted(path: Path) -> dict[str, object]:
            read.append(path)
            return real(path)

        monkeypatch.setattr(templates, "read_toml", counted)
        assert base_library() == SHIPPED
        assert read == [templates.shipped_library_path()]

    def test_replaces_keeps_the_place_in_the_library(self, tmp_path: Path) -> None:
        text = HIP_HIKE.replace('id = "hip-hike"', 'id = "clamshell"\nreplaces = true')
        text = text.replace('easier = ["clamshell"]', 'harder = ["banded-clamshell"]')
        text = text.replace("difficulty = 2", "difficulty = 1")
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        exercise_file(tmp_path, text)
        library = load_program(str(path), SHIPPED).library
        assert [e.id for e in library.exercise] == [e.id for e in SHIPPED.exercise]
        assert library.by_id()["clamshell"].name == "Hip hike"
        assert "replaces" not in library.model_dump_json()


def expect_error(tmp_path: Path, path: Path, needle: str, at: str) -> None:
    """generate refuses with one error line naming ``at`` and writes nothing."""
    out = tmp_path / "refused.ics"
    code, _, err = run("generate", path, *GEN, "--out", out)
    assert_one_line_error(code, err, needle)
    assert f"error: {at}: " in err, err
    assert not out.exists()


class TestRefused:
    def test_an_exercise_file_named_twice(self, tmp_path: Path) -> None:
        exercise_file(tmp_path)
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml", "my-exercises.toml"]')
        line = line_of(path, "exercise_files")
        expect_error(tmp_path, path, "lists 'my-exercises.toml' twice", f"{path}:{line}")

    def test_inline_exercise_with_a_shipped_id(self, tmp_path: Path) -> None:
        path = template(tmp_path, tables=MONSTER_WALK.replace("monster-walk", "clamshell"))
        line = line_of(path, 'id = "clamshell"')
        expect_error(tmp_path, path, "exercise 'clamshell' is in the shipped library already",
                     f"{path}:{line}: exercises[0].id")  # fmt: skip

    def test_file_exercise_with_a_shipped_id(self, tmp_path: Path) -> None:
        lib = exercise_file(tmp_path, HIP_HIKE.replace('"hip-hike"', '"squat"'))
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        expect_error(tmp_path, path, "add 'replaces = true'", f"{lib}:2: exercise[0].id")

    def test_file_and_inline_clash_names_the_file(self, tmp_path: Path) -> None:
        lib = exercise_file(tmp_path)
        tables = MONSTER_WALK.replace("monster-walk", "hip-hike")
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]', tables)
        line = line_of(path, 'id = "hip-hike"')
        expect_error(tmp_path, path, f"is in {lib} already", f"{path}:{line}: exercises[0].id")

    def test_personal_library_clash(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        lib = exercise_file(tmp_path, HIP_HIKE.replace('"hip-hike"', '"plank"'), "personal.toml")
        monkeypatch.setenv("PLANNER_EXERCISES", str(lib))
        code, _, err = run("exercises", "list")
        assert_one_line_error(code, err, f"{lib}:2: exercise[0].id: exercise 'plank' is in")

    def test_replaces_nothing(self, tmp_path: Path) -> None:
        exercise_file(
            tmp_path, HIP_HIKE.replace("difficulty = 2", "difficulty = 2\nreplaces = true")
        )
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        lib = tmp_path / "my-exercises.toml"
        expect_error(tmp_path, path, "there is no exercise 'hip-hike' to replace",
                     f"{lib}:{line_of(lib, 'replaces')}: exercise[0].replaces")  # fmt: skip

    def test_missing_exercise_file(self, tmp_path: Path) -> None:
        path = template(tmp_path, 'exercise_files = ["nope.toml"]')
        line = line_of(path, "exercise_files")
        expect_error(tmp_path, path, "no exercise file", f"{path}:{line}: exercise_files[0]")

    def test_exercise_file_with_a_toml_syntax_error(self, tmp_path: Path) -> None:
        lib = exercise_file(tmp_path, HIP_HIKE.replace('name = "Hip hike"', 'name = "Hip hike'))
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        out = tmp_path / "refused.ics"
        code, _, err = run("generate", path, *GEN, "--out", out)
        assert_one_line_error(code, err, f"error: {lib}:3:")
        assert not out.exists()

    def test_exercise_file_with_a_bad_key(self, tmp_path: Path) -> None:
        lib = exercise_file(tmp_path, HIP_HIKE.replace("difficulty = 2", "difficulty = 9"))
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        expect_error(tmp_path, path, "less than or equal to 5",
                     f"{lib}:{line_of(lib, 'difficulty')}: exercise[0].difficulty")  # fmt: skip

    def test_unknown_reference_in_a_user_exercise(self, tmp_path: Path) -> None:
        lib = exercise_file(tmp_path, HIP_HIKE.replace('["clamshell"]', '["clamshel"]'))
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        expect_error(tmp_path, path, "refers to unknown exercise id(s): clamshel",
                     f"{lib}:{line_of(lib, 'easier')}: exercise[0].easier")  # fmt: skip

    def test_harder_variation_with_a_lower_difficulty(self, tmp_path: Path) -> None:
        text = HIP_HIKE.replace('easier = ["clamshell"]', 'harder = ["clamshell"]')
        lib = exercise_file(tmp_path, text)
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        expect_error(tmp_path, path, "lists 'clamshell' (difficulty 1) as harder",
                     f"{lib}:{line_of(lib, 'harder')}: exercise[0].harder")  # fmt: skip

    def test_an_exercise_that_does_not_say_what_it_can_aggravate(self, tmp_path: Path) -> None:
        # Stand-ins for a person in pain are chosen by 'provokes': left out, a pistol squat
        # of yours would count as safe for a knee.
        lib = exercise_file(tmp_path, HIP_HIKE.replace("provokes = []\n", ""))
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        expect_error(tmp_path, path, "say which pain flags it can aggravate",
                     f"{lib}:2: exercise[0].provokes")  # fmt: skip

    def test_a_loop_of_variations(self, tmp_path: Path) -> None:
        second = HIP_HIKE.replace('"hip-hike"', '"hip-hike-2"').replace(
            'easier = ["clamshell"]', 'harder = ["hip-hike"]'
        )
        first = HIP_HIKE.replace('easier = ["clamshell"]', 'harder = ["hip-hike-2"]')
        lib = exercise_file(tmp_path, first + "\n" + second)
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        expect_error(tmp_path, path, "go round in a loop: hip-hike -> hip-hike-2 -> hip-hike",
                     f"{lib}:10: exercise[0].harder")  # fmt: skip

    def test_a_replacement_that_breaks_a_shipped_link_is_named_at_yours(
        self, tmp_path: Path
    ) -> None:
        # clamshell (shipped) lists banded-clamshell as harder; yours makes it easier.
        text = HIP_HIKE.replace('id = "hip-hike"', 'id = "banded-clamshell"\nreplaces = true')
        text = text.replace("difficulty = 2", "difficulty = 1")
        lib = exercise_file(tmp_path, text)
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]')
        expect_error(tmp_path, path, "lists 'banded-clamshell' (difficulty 1) as harder",
                     f"{lib}:{line_of(lib, 'difficulty')}: exercise[0].difficulty")  # fmt: skip


SHIPPED_IDS = [e.id for e in SHIPPED.exercise]


def user_exercise(difficulty: int, easier: list[str], harder: list[str]) -> UserExercise:
    return UserExercise(
        id="my-move", name="My move", muscles=("gluteus medius",), dose="reps", provokes=(),
        difficulty=difficulty, cues=("One.", "Two."), easier=tuple(easier), harder=tuple(harder),
    )  # fmt: skip


@given(
    st.integers(1, 5),
    st.lists(st.sampled_from(SHIPPED_IDS), max_size=3, unique=True),
    st.lists(st.sampled_from(SHIPPED_IDS), max_size=3, unique=True),
)
def test_a_merged_library_always_keeps_the_ranking(
    difficulty: int, easier: list[str], harder: list[str]
) -> None:
    """Whatever links an exercise of yours has, the merged library either keeps every
    easier/harder link in difficulty order or is refused at your exercise's lines."""
    path = Path("mine.toml")
    try:
        merged = add_exercises(
            SHIPPED, [Source(path, "exercise", (user_exercise(difficulty, easier, harder),))], path
        )
    except TemplateProblems as exc:
        assert all(line.startswith("mine.toml: exercise[0].") for line in exc.lines), exc.lines
        known = SHIPPED.by_id()
        assert any(known[i].difficulty >= difficulty for i in easier) or any(
            known[i].difficulty <= difficulty for i in harder
        )
        return
    known = merged.by_id()
    for ex in merged.exercise:
        assert all(known[i].difficulty < ex.difficulty for i in ex.easier)
        assert all(known[i].difficulty > ex.difficulty for i in ex.harder)
    assert [e.id for e in merged.exercise] == [*SHIPPED_IDS, "my-move"]


class TestSavedPlan:
    def test_show_and_export_do_not_need_your_files_afterwards(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        personal = exercise_file(tmp_path, HIP_HIKE, "personal.toml")
        monkeypatch.setenv("PLANNER_EXERCISES", str(personal))
        walk = MONSTER_WALK.replace("[[exercises]]", "[[exercise]]").replace("steps", "reps")
        lib = exercise_file(tmp_path, walk)
        path = template(tmp_path, 'exercise_files = ["my-exercises.toml"]', uses="hip-hike")
        path.write_text(path.read_text().replace('exercise = "squat"', 'exercise = "monster-walk"'))
        db = tmp_path / "p.db"
        code, _, err = run("generate", path, *GEN, "--name", "k", "--db", db,
                           "--out", tmp_path / "k.ics")  # fmt: skip
        assert code == 0, err
        before = run("plans", "show", "k", "--db", db)[1], run("show", "k", "--db", db)[1]
        run("export", "k", "--db", db, "--out", tmp_path / "before.ics")
        personal.unlink()
        lib.unlink()
        path.unlink()
        after = run("plans", "show", "k", "--db", db)[1], run("show", "k", "--db", db)[1]
        assert after == before and "Hip hike" in before[1]
        assert run("export", "k", "--db", db, "--out", tmp_path / "after.ics")[0] == 0
        assert (tmp_path / "after.ics").read_bytes() == (tmp_path / "before.ics").read_bytes()

    def test_a_personal_library_change_is_named_as_such(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        kept = load_snapshot("hip-knee")
        monkeypatch.setenv("PLANNER_EXERCISES", str(exercise_file(tmp_path)))
        now = load_snapshot("hip-knee")
        assert now.program == kept.program and now.library != kept.library
        assert "the exercise library (yours or the shipped one) has changed" in changed_note(
            kept, now
        )
        assert changed_note(kept, load_snapshot("hip-knee", SHIPPED)) == ""

    def test_generating_again_with_a_new_personal_library_keeps_the_saved_one(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        db = tmp_path / "p.db"
        args = (
            "generate",
            "hip-knee",
            *GEN,
            "--name",
            "k",
            "--db",
            db,
            "--out",
            tmp_path / "k.ics",
        )
        assert run(*args)[0] == 0
        monkeypatch.setenv("PLANNER_EXERCISES", str(exercise_file(tmp_path)))
        code, out, _ = run(*args)
        assert code == 0 and "exercise library (yours or the shipped one) has changed" in out
        assert "no change to 'k' (revision 1)" in out


class TestSchemaAndSettings:
    def test_schemas_describe_the_new_keys(self) -> None:
        import json

        program = json.loads(run("schema")[1])
        assert "[[exercises]]" in program["properties"]["exercises"]["description"]
        assert "relative to this template" in program["properties"]["exercise_files"]["description"]
        code, out, _ = run("schema", "--kind", "exercise-file")
        assert code == 0
        schema = json.loads(out)
        assert "replaces" in schema["$defs"]["UserExercise"]["properties"]
        assert schema["$defs"]["UserExercise"]["properties"]["replaces"]["description"]

    def test_a_missing_personal_library_named_by_the_setting(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_EXERCISES", str(tmp_path / "gone.toml"))
        out = tmp_path / "p.ics"
        code, _, err = run("generate", "hip-knee", *GEN, "--out", out)
        assert_one_line_error(code, err, "PLANNER_EXERCISES: no exercise file")
        assert not out.exists()

    def test_a_broken_personal_library_stops_generate_at_its_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        lib = exercise_file(tmp_path, HIP_HIKE.replace('dose = "reps"', 'dose = "laps"'))
        monkeypatch.setenv("PLANNER_EXERCISES", str(lib))
        out = tmp_path / "p.ics"
        code, _, err = run("generate", "hip-knee", *GEN, "--out", out)
        assert_one_line_error(code, err, f"error: {lib}:{line_of(lib, 'dose')}: exercise[0].dose:")
        assert not out.exists()
