"""Reading and validating templates: every shipped file passes, every bad file says where."""

from pathlib import Path

import pytest

from planner.errors import TemplateError
from planner.models import ExerciseLibrary
from planner.templates import load_library, load_program, program_slugs, templates_root
from tests.conftest import SLUGS
from tests.helpers import run

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


LIBRARY_TEXT = (templates_root() / "exercises.toml").read_text()


def block(text: str, ex_id: str) -> str:
    """The TOML block of one exercise, from its header to the next one."""
    start = text.index(f'id = "{ex_id}"')
    end = text.find("[[exercise]]", start)
    return text[start : end if end != -1 else len(text)]


def edit(tmp_path: Path, ex_id: str, old: str, new: str) -> Path:
    """The shipped library with one line of one exercise changed."""
    part = block(LIBRARY_TEXT, ex_id)
    assert part.count(old) == 1, (ex_id, old)
    return write(tmp_path, LIBRARY_TEXT.replace(part, part.replace(old, new)), "exercises.toml")


class TestDifficulty:
    """Every exercise is ranked 1-5 and the ranking agrees with its variations."""

    @pytest.mark.parametrize(
        "ladder",
        [
            ("clamshell", "banded-clamshell"),
            ("side-plank-knees", "side-plank"),
            ("glute-bridge", "banded-glute-bridge", "hip-thrust"),
            ("wall-sit", "wall-squat", "step-down", "step-up"),
            ("isometric-bridge-hold", "glute-bridge"),
            ("hip-hinge-drill", "romanian-deadlift", "single-leg-deadlift"),
        ],
        ids="<".join,
    )
    def test_shipped_ladders_climb(self, library: ExerciseLibrary, ladder: tuple[str, ...]) -> None:
        known = library.by_id()
        levels = [known[i].difficulty for i in ladder]
        assert levels == sorted(set(levels)), dict(zip(ladder, levels, strict=True))

    def test_shipped_links_agree_with_the_ranking(self, library: ExerciseLibrary) -> None:
        known = library.by_id()
        for ex in library.exercise:
            assert all(known[i].difficulty < ex.difficulty for i in ex.easier), ex.id
            assert all(known[i].difficulty > ex.difficulty for i in ex.harder), ex.id
            assert all(known[i].difficulty <= ex.difficulty for i in ex.instead.values()), ex.id

    def test_stretches_stand_in_only_for_each_other_at_the_same_level(
        self, library: ExerciseLibrary
    ) -> None:
        assert {e.difficulty for e in library.exercise if e.kind == "mobility"} == {1}

    def test_missing_difficulty(self, tmp_path: Path) -> None:
        path = edit(tmp_path, "clamshell", "difficulty = 1\n", "")
        with pytest.raises(
            TemplateError, match=r"exercise\[0\]\.difficulty: required key is missing"
        ):
            load_library(path)

    @pytest.mark.parametrize("value", ["0", "6"])
    def test_difficulty_outside_one_to_five(self, tmp_path: Path, value: str) -> None:
        path = edit(tmp_path, "clamshell", "difficulty = 1\n", f"difficulty = {value}\n")
        with pytest.raises(TemplateError, match=rf"exercise\[0\]\.difficulty: .*\(got {value}\)"):
            load_library(path)

    def test_easier_variation_not_lower(self, tmp_path: Path) -> None:
        path = edit(tmp_path, "russian-twist", "difficulty = 4\n", "difficulty = 2\n")
        with pytest.raises(TemplateError) as caught:
            load_library(path)
        assert str(caught.value).endswith(
            "exercises.toml: (top level): exercise 'russian-twist' (difficulty 2) lists "
            "'side-plank-knees' (difficulty 2) as easier; an easier variation needs a lower "
            "difficulty: lower side-plank-knees's difficulty, raise russian-twist's, or take "
            "side-plank-knees out of its 'easier' list"
        )

    def test_harder_variation_not_higher(self, tmp_path: Path) -> None:
        path = edit(tmp_path, "single-leg-stance", "difficulty = 2\n", "difficulty = 3\n")
        with pytest.raises(TemplateError) as caught:
            load_library(path)
        assert str(caught.value).endswith(
            "exercise 'single-leg-stance' (difficulty 3) lists 'standing-band-abduction' "
            "(difficulty 3) as harder; a harder variation needs a higher difficulty: raise "
            "standing-band-abduction's difficulty, lower single-leg-stance's, or take "
            "standing-band-abduction out of its 'harder' list"
        )

    def test_every_contradiction_is_counted(self, tmp_path: Path) -> None:
        # Both ends of the side-plank link are wrong now: the first is named, then the count.
        path = edit(tmp_path, "side-plank", "difficulty = 3\n", "difficulty = 2\n")
        with pytest.raises(TemplateError) as caught:
            load_library(path)
        message = str(caught.value)
        assert "exercise 'side-plank-knees' (difficulty 2) lists 'side-plank'" in message
        assert message.endswith("'harder' list (and 1 more like it)")

    def test_harder_alternative(self, tmp_path: Path) -> None:
        path = edit(
            tmp_path,
            "glute-bridge",
            'instead = { hamstring = "prone-hip-extension" }',
            'instead = { hamstring = "banded-glute-bridge" }',
        )
        with pytest.raises(TemplateError) as caught:
            load_library(path)
        assert (
            "exercise 'glute-bridge' (difficulty 2) names 'banded-glute-bridge' (difficulty 3) "
            "in 'instead' for the hamstrings; a stand-in must not be harder: pick an "
            "alternative of difficulty 2 or less, or lower banded-glute-bridge's difficulty"
        ) in str(caught.value)

    def test_equal_alternative_is_allowed(self, tmp_path: Path) -> None:
        path = edit(
            tmp_path,
            "single-leg-hip-thrust",
            'instead = { back = "single-leg-glute-bridge"',
            'instead = { back = "single-leg-deadlift"',
        )
        known = load_library(path).by_id()
        assert known["single-leg-deadlift"].difficulty == known["single-leg-hip-thrust"].difficulty

    def test_schema_describes_the_scale(self) -> None:
        schema = ExerciseLibrary.model_json_schema()
        field = schema["$defs"]["Exercise"]["properties"]["difficulty"]
        assert (field["minimum"], field["maximum"]) == (1, 5)
        assert "1 (easiest) to 5" in field["description"]
        assert "difficulty" in schema["$defs"]["Exercise"]["required"]
        described = schema["$defs"]["Exercise"]["properties"].values()
        assert all(p.get("description") for p in described)
        assert "§" not in str(schema)


class TestListTables:
    """'templates list' and 'exercises list' are tables: a header row, aligned columns,
    80 columns at most."""

    @staticmethod
    def _columns_line_up(out: str, headers: list[str]) -> None:
        lines = out.splitlines()
        head = lines[0]
        assert head.split() == headers or head.split()[: len(headers)] == headers
        starts = [head.index(h) for h in headers]
        for row in lines[1:]:
            if row.startswith(" "):  # the last column wrapped under itself
                assert row[: starts[-1]].strip() == "" and row[starts[-1]] != " "
                continue
            for start in starts[1:]:
                # Every column begins where its header does (numbers end where it ends).
                assert row[start - 2 : start] == "  " or row[start - 1] != " ", (row, start)
        assert all(len(line) <= 80 for line in lines)

    def test_templates_list(self) -> None:
        code, out, _ = run("templates", "list")
        assert code == 0
        self._columns_line_up(out, ["TEMPLATE", "WEEKS", "SESSIONS/WK", "TITLE"])
        rows = {line.split()[0]: line for line in out.splitlines()[1:]}
        assert set(rows) == set(program_slugs())
        head = out.splitlines()[0]
        end = head.index("WEEKS") + len("WEEKS")
        assert rows["runner-knee"][:end].endswith("6")

    def test_exercises_list(self) -> None:
        code, out, _ = run("exercises", "list")
        assert code == 0
        self._columns_line_up(out, ["ID", "DOSE", "EQUIPMENT", "NAME"])
        head = out.splitlines()[0]
        kit = head.index("EQUIPMENT")
        thrust = next(line for line in out.splitlines() if line.startswith("hip-thrust "))
        assert thrust[kit:].startswith("bench, barbell")

    def test_filtered_list_keeps_its_header(self) -> None:
        code, out, _ = run("exercises", "list", "--equipment", "none")
        assert code == 0 and out.splitlines()[0].split() == ["ID", "DOSE", "EQUIPMENT", "NAME"]
        assert "hip-thrust " not in out

    def test_long_last_column_wraps(self) -> None:
        from planner.cli.library import table

        text = table(("A", "B"), [("x", "word " * 30)])
        lines = text.splitlines()
        assert len(lines) > 2 and all(len(line) <= 80 for line in lines)
        assert all(line.startswith("   ") for line in lines[2:])
