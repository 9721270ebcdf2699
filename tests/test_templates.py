"""Reading and validating templates: every shipped file passes, every bad file says where."""

from pathlib import Path

import pytest

from planner.errors import TemplateError
from planner.models import ExerciseLibrary
from planner.templates import load_library, load_program, templates_root
from tests.conftest import SLUGS

HIP_KNEE = (templates_root() / "programs" / "hip-knee.toml").read_text()
REQUIRED_EXERCISES = {
    "clamshell", "side-lying-hip-abduction", "glute-bridge", "banded-glute-bridge",
    "isometric-bridge-hold", "single-leg-glute-bridge", "hip-thrust", "banded-hip-thrust",
    "single-leg-hip-thrust", "lateral-band-walk", "single-leg-deadlift", "romanian-deadlift",
    "step-up", "squat", "lunge", "plank", "side-plank-knees", "side-plank", "russian-twist",
    "hip-flexor-stretch", "quad-stretch", "hamstring-stretch", "calf-stretch", "foam-roll",
}  # fmt: skip


def write(tmp_path: Path, text: str, name: str = "custom.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def load_text(tmp_path: Path, text: str, library: ExerciseLibrary) -> None:
    load_program(str(write(tmp_path, text)), library)


class TestShipped:
    def test_five_programs(self) -> None:
        assert {"hip-knee", "runner-knee", "glute-knee-friendly", "glute-back-safe",
                "glute-not-hamstrings"} <= set(SLUGS)  # fmt: skip

    def test_library_has_every_seed_exercise_and_a_knee_exercise(
        self, library: ExerciseLibrary
    ) -> None:
        ids = set(library.by_id())
        assert ids >= REQUIRED_EXERCISES
        assert any(e.knee_focused for e in library.exercise)

    @pytest.mark.parametrize("slug", SLUGS)
    def test_phases_in_order_with_sources(self, slug: str, library: ExerciseLibrary) -> None:
        program = load_program(slug, library).program
        assert [p.name for p in program.phases] == ["activation", "strength", "functional"]
        assert program.sources and program.warmup and program.cooldown

    def test_runner_knee_needs_a_band_at_most(self, library: ExerciseLibrary) -> None:
        program = load_program("runner-knee", library).program
        known = library.by_id()
        kit = {k for p in program.phases for e in p.exercises for k in known[e.exercise].equipment}
        assert kit <= {"band"}
        assert program.weeks == 6

    def test_hip_knee_defaults(self, library: ExerciseLibrary) -> None:
        program = load_program("hip-knee", library).program
        assert program.weeks == 8
        assert {p.sessions_per_week for p in program.phases} == {3}


class TestBadTemplates:
    def test_unknown_template_lists_available(self, library: ExerciseLibrary) -> None:
        with pytest.raises(
            TemplateError, match=r"unknown template 'hip-kne'.*hip-knee.*runner-knee"
        ):
            load_program("hip-kne", library)

    def test_malformed_toml_has_line_and_column(
        self, tmp_path: Path, library: ExerciseLibrary
    ) -> None:
        text = HIP_KNEE.replace('title = "Hip strength', "title = Hip strength", 1)
        line = text.splitlines().index(next(r for r in text.splitlines() if r.startswith("title")))
        with pytest.raises(TemplateError, match=rf"custom.toml:{line + 1}:\d+: "):
            load_text(tmp_path, text, library)

    def test_unknown_key_names_file_line_and_path(
        self, tmp_path: Path, library: ExerciseLibrary
    ) -> None:
        text = HIP_KNEE.replace("knee_focus = true", "knee_focus = true\ncolour = 3")
        line = text.splitlines().index("colour = 3") + 1
        with pytest.raises(TemplateError, match=rf"custom.toml:{line}: colour: unknown key"):
            load_text(tmp_path, text, library)

    def test_bad_value_names_field_path(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = HIP_KNEE.replace("sessions_per_week = 3", "sessions_per_week = 9", 1)
        with pytest.raises(
            TemplateError, match=r"phases\[0\]\.sessions_per_week: .*less than or equal to 7"
        ):
            load_text(tmp_path, text, library)

    def test_reps_min_above_max(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = HIP_KNEE.replace("low = 8, high = 12, step = 1", "low = 14, high = 12, step = 1")
        with pytest.raises(
            TemplateError,
            match=r"phases\[1\]\.exercises\[0\]\.progression\[0\]: "
            r".*low \(14\) is above high \(12\)",
        ):
            load_text(tmp_path, text, library)

    def test_unknown_exercise_id(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = HIP_KNEE.replace('exercise = "clamshell"', 'exercise = "clamshel"')
        with pytest.raises(
            TemplateError, match=r"unknown exercise id 'clamshel'; did you mean 'clamshell'"
        ):
            load_text(tmp_path, text, library)

    def test_band_not_in_ladder(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = HIP_KNEE.replace('band = "red"', 'band = "purple"')
        with pytest.raises(
            TemplateError, match=r"band 'purple' is not in the ladder \(tan, yellow"
        ):
            load_text(tmp_path, text, library)

    def test_wrong_dose_kind(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = HIP_KNEE.replace(
            'sets = 3\nseconds = 20\nprogression = [{ kind = "hold", step = 10',
            'sets = 3\nreps = 20\nprogression = [{ kind = "reps", step = 10',
            1,
        )
        with pytest.raises(TemplateError, match="dosed in hold; give 'seconds'"):
            load_text(tmp_path, text, library)

    def test_load_not_multiple_of_increment(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = HIP_KNEE.replace("load = 30\n", "load = 31\n")
        with pytest.raises(
            TemplateError, match=r"load 31 kg is not a multiple of the 2\.5 kg increment"
        ):
            load_text(tmp_path, text, library)

    def test_not_utf8(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        path = tmp_path / "bin.toml"
        path.write_bytes(b'title = "\xff"\n')
        with pytest.raises(TemplateError, match="not UTF-8"):
            load_program(str(path), library)

    def test_missing_file(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        with pytest.raises(TemplateError, match="no such file"):
            load_program(str(tmp_path / "nope.toml"), library)

    def test_library_with_dangling_reference(self, tmp_path: Path) -> None:
        text = (templates_root() / "exercises.toml").read_text()
        text = text.replace('harder = ["banded-clamshell"]', 'harder = ["flying-clam"]')
        with pytest.raises(TemplateError, match="unknown exercise id\\(s\\): flying-clam"):
            load_library(write(tmp_path, text, "exercises.toml"))
