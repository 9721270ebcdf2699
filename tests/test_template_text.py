"""Text from templates and the exercise library holds no control character: each free-text
field refuses one (prose only lets tabs and line breaks through), through the loader and
through 'validate' and 'generate', as one error line naming the file and the field."""

import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from planner.errors import TemplateError
from planner.models import ExerciseLibrary
from planner.models.plan import Plan
from planner.store.database import open_store
from planner.templates import load_library, load_program, templates_root
from tests.helpers import GEN, assert_one_line_error, run

# The fixture 'knee' (used by name): the plan 'knee' saved in the test's own store.
from tests.test_cli_log import knee, log_week  # noqa: F401

PROGRAMS = templates_root() / "programs"
LIBRARY = templates_root() / "exercises.toml"

# The characters a terminal or a file reader acts on: escape, carriage return, NUL, DEL
# and a C1 control (next line).
CONTROLS = ["\x1b", "\r", "\x00", "\x7f", "\x85"]


class ProgramField(NamedTuple):
    """A template, the text to find in it, the field path in the message and the line
    when the loader can tell it. The control character goes in right after the found
    text, inside the value."""

    slug: str
    anchor: str
    field: str
    line: int | None


PROGRAM_FIELDS = [
    ProgramField("hip-knee", 'title = "Hip', "title", 6),
    ProgramField("hip-knee", 'summary = """Hip strength', "summary", 7),
    ProgramField("hip-knee", 'title = "Hip Weakness', "sources[0].title", None),
    ProgramField("hip-knee", 'where = "Kneease', "sources[0].where", None),
    ProgramField("hip-knee", 'supports = "the order', "sources[0].supports", None),
    ProgramField("hip-knee", 'activity = "5 minutes', "warmup.activity", None),
    ProgramField("hip-knee", 'goal = "Switch', "phases[0].goal", None),
    ProgramField("hip-knee", "knee_focus = true\n", "bands[1]", 11),
    ProgramField("hip-knee", 'band = "red', "phases[1].exercises[3].band", None),
]
LIBRARY_FIELDS = [
    ('name = "Clamshell', "exercise[0].name"),
    ('muscles = ["gluteus medius', "exercise[0].muscles[0]"),
    ('"Keep thighs in line', "exercise[0].cues[0]"),
    ('knee = "Keep a soft bend', "cue_for.knee"),
]


def toml_escape(char: str) -> str:
    """How a template writes the character: TOML allows no raw control in a string."""
    return f"\\u{ord(char):04x}"


def with_control(text: str, anchor: str, char: str) -> str:
    assert anchor in text
    if anchor.endswith("\n"):  # a key of its own, added after the anchor's line
        return text.replace(anchor, f'{anchor}bands = ["tan", "red{toml_escape(char)}"]\n', 1)
    return text.replace(anchor, anchor + toml_escape(char), 1)


def program_file(tmp_path: Path, slug: str, anchor: str, char: str) -> Path:
    path = tmp_path / "custom.toml"
    path.write_text(with_control((PROGRAMS / f"{slug}.toml").read_text(), anchor, char))
    return path


def library_file(tmp_path: Path, anchor: str, char: str) -> Path:
    path = tmp_path / "exercises.toml"
    path.write_text(with_control(LIBRARY.read_text(), anchor, char))
    return path


def where(path: Path, line: int | None) -> str:
    return f"{path}:{line}: " if line else f"{path}: "


def expected(char: str) -> str:
    escaped = {"\r": "\\r"}.get(char, f"\\x{ord(char):02x}")
    return f"holds a control character ({escaped})"


def anchor_line(path: Path, anchor: str) -> int:
    """The line of the file the control character was put into."""
    text = path.read_text()
    lines = text[: text.index(anchor.rstrip("\n"))].split("\n")
    # In an array written over lines the key's line is named, not the item's.
    lines[-1] += anchor
    while "=" not in lines[-1]:
        lines.pop()
    return len(lines)


def check_message(message: str, path: Path, line: int | None, field: str, char: str) -> None:
    assert message.startswith(where(path, line)), message
    assert field in message and expected(char) in message, message
    assert char not in message


def assert_refused(
    result: tuple[int, str, str], path: Path, line: int | None, field: str, char: str
) -> None:
    """A command's outcome: one error line naming the file and field, nothing else."""
    code, out, err = result
    assert_one_line_error(code, err, expected(char))
    check_message(err.removeprefix("error: "), path, line, field, char)
    assert out == ""


def _line(path: Path, case: ProgramField) -> int:
    """Where the message points: the value's own line (a key added after the anchor's
    line is on the next one)."""
    return case.line or anchor_line(path, case.anchor)


@pytest.mark.parametrize("char", CONTROLS)
@pytest.mark.parametrize("case", PROGRAM_FIELDS, ids=[c.field for c in PROGRAM_FIELDS])
class TestProgramText:
    def test_the_loader_refuses_it(
        self, tmp_path: Path, library: ExerciseLibrary, case: ProgramField, char: str
    ) -> None:
        path = program_file(tmp_path, case.slug, case.anchor, char)
        with pytest.raises(TemplateError) as caught:
            load_program(str(path), library)
        check_message(str(caught.value), path, _line(path, case), case.field, char)

    def test_validate_and_generate_refuse_it_and_write_nothing(
        self, tmp_path: Path, _isolated_store: Path, case: ProgramField, char: str
    ) -> None:
        path = program_file(tmp_path, case.slug, case.anchor, char)
        line = _line(path, case)
        assert_refused(run("validate", path), path, line, case.field, char)
        ics, plan = tmp_path / "p.ics", tmp_path / "p.json"
        args = [GEN[0], path, *GEN[2:], "--out", ics, "--json", plan, "--name", "p"]
        assert_refused(run(*args), path, line, case.field, char)
        assert not ics.exists() and not plan.exists() and not _isolated_store.exists()


@pytest.mark.parametrize("char", CONTROLS)
@pytest.mark.parametrize(("anchor", "field"), LIBRARY_FIELDS)
class TestLibraryText:
    def test_the_loader_refuses_it(
        self, tmp_path: Path, anchor: str, field: str, char: str
    ) -> None:
        path = library_file(tmp_path, anchor, char)
        with pytest.raises(TemplateError) as caught:
            load_library(path)
        check_message(str(caught.value), path, anchor_line(path, anchor), field, char)

    def test_validate_refuses_it(self, tmp_path: Path, anchor: str, field: str, char: str) -> None:
        path = library_file(tmp_path, anchor, char)
        assert_refused(run("validate", path), path, anchor_line(path, anchor), field, char)


class TestWhatIsAllowed:
    def test_prose_may_hold_tabs_and_line_breaks(
        self, tmp_path: Path, library: ExerciseLibrary
    ) -> None:
        text = (PROGRAMS / "hip-knee.toml").read_text()
        text = text.replace('summary = """Hip strength', 'summary = """Hip\\tstrength\\n', 1)
        text = text.replace('supports = "the order', 'supports = "one\\ntwo\\tthe order', 1)
        path = tmp_path / "custom.toml"
        path.write_text(text)
        program = load_program(str(path), library).program
        assert program.summary.startswith("Hip\tstrength\n")
        assert program.sources[0].supports.startswith("one\ntwo\t")

    @pytest.mark.parametrize("char", ["\t", "\n"])
    def test_a_title_refuses_even_a_tab_or_a_line_break(
        self, tmp_path: Path, library: ExerciseLibrary, char: str
    ) -> None:
        path = program_file(tmp_path, "hip-knee", 'title = "Hip', char)
        with pytest.raises(TemplateError, match=r"title: the text holds a control character"):
            load_program(str(path), library)

    @pytest.mark.parametrize("char", ["\x1b", "\x85"])
    def test_a_control_at_the_end_is_refused_not_stripped(
        self, tmp_path: Path, library: ExerciseLibrary, char: str
    ) -> None:
        # Stripping whitespace would otherwise drop a trailing next-line (\x85) unseen.
        path = program_file(
            tmp_path, "hip-knee", 'title = "Hip strength for knee pain (staged)', char
        )
        with pytest.raises(TemplateError, match=r"title: the text holds a control character"):
            load_program(str(path), library)

    def test_a_variant_target_must_be_an_exercise_id(
        self, tmp_path: Path, library: ExerciseLibrary
    ) -> None:
        text = (PROGRAMS / "glute-knee-friendly.toml").read_text()
        old = '{ kind = "variant", after_weeks = 2 }'
        assert old in text
        path = tmp_path / "custom.toml"
        path.write_text(text.replace(old, '{ kind = "variant", after_weeks = 2, to = "a\\u001b" }'))
        with pytest.raises(TemplateError, match=r"\.to: String should match pattern") as caught:
            load_program(str(path), library)
        assert "\x1b" not in str(caught.value)

    @pytest.mark.parametrize("slug", sorted(p.stem for p in PROGRAMS.glob("*.toml")))
    def test_shipped_templates_still_load(self, library: ExerciseLibrary, slug: str) -> None:
        assert load_program(slug, library).program.title


# --- what the terminal shows -------------------------------------------------------

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
ESC = "\x1b[31m"


def marked(plan: Plan) -> Plan:
    """``plan`` with an escape in every name a command prints: a plan file someone edited,
    or a store written before template text was checked."""
    sessions = tuple(
        s.model_copy(
            update={
                "exercises": tuple(
                    rx.model_copy(update={"name": rx.name + ESC}) for rx in s.exercises
                )
            }
        )
        for s in plan.sessions
    )
    return plan.model_copy(
        update={"title": plan.title + ESC, "template": "t" + ESC, "sessions": sessions}
    )


class TestNothingRawReachesTheTerminal:
    @pytest.mark.parametrize(
        "args", [["show"], ["export", "--out", "x.md"], ["export", "--out", "x.html"]]
    )
    def test_an_edited_plan_file_with_escapes_is_refused(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
    ) -> None:
        # Plan text reaches the documents as it is: a plan file holding a control
        # character is refused whole, naming the file, and nothing is written.
        monkeypatch.chdir(tmp_path)
        plan_file = tmp_path / "p.json"
        code, _, err = run(*GEN, "--out", tmp_path / "p.ics", "--json", plan_file)
        assert code == 0, err
        plan = marked(Plan.model_validate(json.loads(plan_file.read_text())))
        plan_file.write_text(plan.model_dump_json())
        command, *rest = args
        code, out, err = run(command, plan_file, *rest)
        assert code == 1, out
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "p.json" in lines[0]
        assert "control character" in lines[0], lines
        assert not RAW_CONTROL.search(out + err)
        assert not list(tmp_path.glob("x.*"))

    @pytest.mark.usefixtures("knee")
    def test_commands_on_a_stored_plan_with_escapes(
        self, _isolated_store: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        store = open_store(_isolated_store)
        assert store is not None
        with store:
            latest = store.latest("knee")
            snapshot = store.snapshot(latest.snapshot) if latest.snapshot else None
            # The template name and the reason are columns of their own; the plan itself
            # cannot hold a control character (see the damaged-row test below).
            plan = latest.plan.model_copy(update={"title": latest.plan.title + " (old)"})
            store.save("knee", "t" + ESC, plan, latest.calendar, "old" + ESC, snapshot)
        # Two weeks logged at pain 4, so adapt holds every exercise and names each.
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-14")
        log_week(1)
        log_week(2, "4")
        for args in (
            ["show", "knee"],
            ["plans", "list"],
            ["plans", "show", "knee"],
            ["adapt", "knee", "--dry-run"],
            ["progress", "knee"],
        ):
            code, out, err = run(*args)
            assert code == 0, (args, err)
            if args[0] == "plans":  # the commands that print the template and the reason
                assert "\\x1b[31m" in out, args  # shown, escaped
            assert not RAW_CONTROL.search(out + err), (args, out)

    @pytest.mark.usefixtures("knee")
    def test_a_stored_plan_holding_an_escape_is_a_damaged_row(self, _isolated_store: Path) -> None:
        # Written by a planner from before plan text was checked: refused with one line that
        # names the plan and its revision, never printed or exported raw.
        store = open_store(_isolated_store)
        assert store is not None
        with store:
            latest = store.latest("knee")
            snapshot = store.snapshot(latest.snapshot) if latest.snapshot else None
            store.save("knee", "t", marked(latest.plan), latest.calendar, "old", snapshot)
        for args in (["show", "knee"], ["export", "knee", "--out", str(_isolated_store) + ".ics"]):
            code, out, err = run(*args)
            assert code == 1, (args, out)
            lines = err.splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: "), (args, lines)
            assert "revision 2 of plan 'knee'" in lines[0], lines
            assert not RAW_CONTROL.search(out + err)
        assert not Path(str(_isolated_store) + ".ics").exists()


def test_say_keeps_tabs_and_line_breaks_and_escapes_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from planner.cli.console import say

    say("Col1\tCol2\nnext" + ESC + "\r")
    assert capsys.readouterr().out == "Col1\tCol2\nnext\\x1b[31m\\r\n"
