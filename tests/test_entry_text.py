"""The author's words on an entry: tempo, note, a combined move's name, supersets/circuits.

Each key goes through generation into every output; each has its bad-input tests; a
stand-in never wears the author's name for the move it replaced.
"""

import csv
import datetime as dt
import io
import itertools
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from planner.exporters.html import render_html
from planner.exporters.markdown import render_markdown
from planner.exporters.spreadsheet import render_csv
from planner.models import ExerciseLibrary, Plan, PlanOptions
from planner.models.adapt import AdaptSettings
from planner.models.log import LogEntry, Logged
from planner.models.plan import Prescription
from planner.models.program import ExerciseEntry, ProgramTemplate
from planner.models.tempo import TempoModel
from planner.plan.generate import generate
from planner.plan.substitute import recast
from planner.templates import load_program
from planner.training.pause import hold
from planner.training.safety_state import safety_state
from planner.wording.entry import group_heading, runs
from planner.wording.plan import session_description
from tests.fuzzing import fuzz
from tests.helpers import assert_one_line_error, ics_text, run

HEAD = """title = "Author's words"
summary = "A short program that uses every display key."

[[sources]]
ref = "own notes"
supports = "all of it"

[warmup]
minutes = 5
exercises = [
  { exercise = "glute-bridge", sets = 1, reps = 10, tempo = "2-0-2", note = "Easy first set." },
]

[cooldown]
minutes = 5
exercises = [{ exercise = "quad-stretch", sets = 1, seconds = 30 }]

[[phases]]
name = "strength"
goal = "Get strong."
weeks = 3
sessions_per_week = 2
rpe = [6, 7]
rest = 60
"""

THRUST = """
[[phases.exercises]]
exercise = "hip-thrust"
name = "Paused hip thrust"
sets = 3
reps = 10
load = 30
increment = 2.5
tempo = "3-1-5"
note = "Pause with the hips level."
progression = [{ kind = "load", low = 8, high = 12, step = 1, increase = 0.05 }]
pins = [{ week = 2, sets = 3, reps = 10, tempo = { down = 5, up = "X" }, note = "Go slow." }]
"""

SUPERSET = """
[[phases.exercises]]
exercise = "side-plank"
name = "Side plank with top-leg abduction"
sets = 3
seconds = 20
group = "A"
rest = 90

[[phases.exercises]]
exercise = "clamshell"
sets = 2
reps = 15
group = "A"
"""

TEXT = HEAD + THRUST + SUPERSET
START = dt.date(2026, 12, 7)


def _write(tmp_path: Path, text: str = TEXT, name: str = "words.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _plan(tmp_path: Path, library: ExerciseLibrary, text: str = TEXT, **options: object) -> Plan:
    loaded = load_program(str(_write(tmp_path, text)), library)
    fields: dict[str, object] = {"start": START, "days": ("mon", "thu")} | options
    return generate("words", loaded.program, library.by_id(), PlanOptions(**fields))  # type: ignore[arg-type]


@pytest.fixture
def plan(tmp_path: Path, library: ExerciseLibrary) -> Plan:
    return _plan(tmp_path, library)


class TestTempo:
    def test_notation_and_table_read_the_same(self) -> None:
        a = ExerciseEntry(exercise="clamshell", sets=2, reps=10, tempo="3-0-1")  # type: ignore[arg-type]
        b = ExerciseEntry(exercise="clamshell", sets=2, reps=10, tempo={"down": 3, "up": 1})  # type: ignore[arg-type]
        assert a.tempo == b.tempo

    def test_words(self) -> None:
        tempo = TempoModel.model_validate({"down": 3, "pause": 1, "up": 5})
        assert tempo.text() == "Tempo 3-1-5: 3 s down, 1 s pause, 5 s up"
        fast = ExerciseEntry(exercise="clamshell", sets=2, reps=10, tempo="4-0-x-2").tempo  # type: ignore[arg-type]
        assert fast is not None
        assert fast.text() == "Tempo 4-0-X-2: 4 s down, up explosively, 2 s hold at the top"

    @given(
        st.integers(1, 30),
        st.integers(0, 30),
        st.one_of(st.integers(1, 30), st.just("X")),
        st.integers(0, 30),
    )
    @fuzz(60)
    def test_notation_round_trips(self, down: int, pause: int, up: int | str, top: int) -> None:
        tempo = TempoModel.model_validate({"down": down, "pause": pause, "up": up, "top": top})
        again = ExerciseEntry(exercise="clamshell", sets=2, reps=10, tempo=tempo.notation())  # type: ignore[arg-type]
        assert again.tempo == tempo
        assert tempo.notation() in tempo.text()

    @pytest.mark.parametrize(
        ("tempo", "needle"),
        [
            ('"3-1"', "usual notation"),
            ('"3-1-5-1-1"', "usual notation"),
            ('"three"', "usual notation"),
            ('"3/1/5"', "usual notation"),
            ('"X-1-3"', "only for the lift"),
            ('"3-X-3"', "only for the lift"),
            ('"0-1-3"', "lowering takes at least 1 s"),
            ('"3-1-0"', "write X for an explosive lift"),
            ('"3-1-45"', "is a hold"),
            ("5", "text or a table"),
            ("{ down = 3 }", "required key is missing"),
            ("{ down = 3, up = 1, hold = 2 }", "unknown key"),
            ('{ down = 3, up = "fast" }', "tempo.up"),
        ],
    )
    def test_bad_tempo_is_one_error_line(self, tmp_path: Path, tempo: str, needle: str) -> None:
        text = TEXT.replace('tempo = "3-1-5"', f"tempo = {tempo}")
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, needle)
        assert "phases[0].exercises[0].tempo" in err
        if tempo.startswith('"'):
            assert f"words.toml:{_line(text, 'tempo = ' + tempo)}:" in err

    def test_a_tempo_only_pin_changes_no_number(
        self, tmp_path: Path, library: ExerciseLibrary
    ) -> None:
        pin = next(line for line in TEXT.splitlines() if line.startswith("pins = "))
        plain = _plan(tmp_path, library, TEXT.replace(pin, ""))
        pinned = _plan(
            tmp_path, library, TEXT.replace(pin, 'pins = [{ week = 2, tempo = "6-0-1" }]')
        )

        def numbers(plan: Plan) -> list[tuple[object, ...]]:
            return [
                (rx.sets, rx.reps, rx.seconds, rx.load, rx.band)
                for s in plan.sessions
                for rx in s.exercises
            ]

        assert numbers(plain) == numbers(pinned)
        week2 = next(s for s in pinned.sessions if s.week == 2).exercises[0].tempo
        assert week2 is not None and week2.notation() == "6-0-1"

    def test_hold_has_no_tempo(self, tmp_path: Path) -> None:
        text = TEXT.replace("seconds = 20\n", 'seconds = 20\ntempo = "3-0-3"\n')
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, "a hold (seconds) has no repetitions")

    def test_pin_tempo_for_its_week_only(self, plan: Plan) -> None:
        tempos = {s.week: s.exercises[0].tempo for s in plan.sessions}
        assert {w: t.notation() if t else None for w, t in tempos.items()} == {
            1: "3-1-5",
            2: "5-0-X",
            3: "3-1-5",
        }
        notes = {s.week: s.exercises[0].note for s in plan.sessions}
        assert notes == {
            1: "Pause with the hips level.",
            2: "Go slow.",
            3: "Pause with the hips level.",
        }


class TestSafety:
    def test_a_pause_holds_the_tempo_too(self, plan: Plan) -> None:
        # Week 2's pin asks for a 5 s lowering; a red flag in week 1 pauses the plan, so
        # no later session may ask for more than what was done: the tempo of week 1 too.
        rx = plan.sessions[0].exercises[0]
        hurt = LogEntry(
            slot="W1S1", exercise=rx.exercise, done=(rx.reps or 1,) * rx.sets, load=rx.load,
            unit=rx.unit, pain=8,
        )  # fmt: skip
        stamp = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        today = START + dt.timedelta(days=1)
        rules = AdaptSettings()
        state = safety_state(plan, [Logged(entry=hurt, logged_at=stamp)], [], [], rules, today)
        assert state.paused
        held = hold(plan, state, [hurt], rules, today)
        later = [r for s in held.sessions[1:] for r in s.exercises if r.exercise == "hip-thrust"]
        assert later and all(r.tempo == rx.tempo for r in later)
        week2 = next(s for s in plan.sessions if s.week == 2).exercises[0]
        assert week2.tempo != rx.tempo  # the pin did change it: the hold is what keeps it


def _line(text: str, needle: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), 1) if needle in row)


class TestNote:
    def test_note_stays_apart_from_the_planners_notes(self, plan: Plan) -> None:
        rx = plan.sessions[0].exercises[0]
        assert rx.note == "Pause with the hips level."
        assert rx.note not in rx.notes

    @pytest.mark.parametrize(
        ("note", "needle"),
        [
            ('"' + "x" * 201 + '"', "at most 200 characters"),
            ('"bell\\u0007"', "control character"),
            ('"two\\nlines"', "control character"),
            ('"tab\\there"', "control character"),
            ('""', "at least 1 character"),
            ("3", "valid string"),
        ],
    )
    def test_bad_note(self, tmp_path: Path, note: str, needle: str) -> None:
        text = TEXT.replace('note = "Pause with the hips level."', f"note = {note}")
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, needle)
        assert "phases[0].exercises[0].note" in err

    def test_bad_pin_note(self, tmp_path: Path) -> None:
        text = TEXT.replace('note = "Go slow."', 'note = "a\\u0001b"')
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, "control character")
        assert "pins[0].note" in err


class TestName:
    def test_name_is_printed_and_the_id_kept(self, plan: Plan) -> None:
        rx = plan.sessions[0].exercises[1]
        assert (rx.name, rx.exercise) == ("Side plank with top-leg abduction", "side-plank")

    def test_bad_name(self, tmp_path: Path) -> None:
        long = "y" * 81
        text = TEXT.replace('name = "Paused hip thrust"', f'name = "{long}"')
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, "at most 80 characters")
        # 'name' is also every phase's key, so no single line can be named.
        assert "phases[0].exercises[0].name" in err

    def test_stand_in_goes_by_its_own_name(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        # Knee pain swaps the hip thrust: the author's name described the hip thrust.
        plan = _plan(tmp_path, library, avoid=("knee",))
        rx = plan.sessions[0].exercises[0]
        assert rx.exercise != "hip-thrust"
        assert rx.name == library.by_id()[rx.exercise].name
        assert all("Paused hip thrust" not in session_description(plan, s) for s in plan.sessions)
        # The note may carry a warning, so it stays with the slot, next to the planner's own
        # word that this is a stand-in.
        assert rx.note == "Pause with the hips level."
        assert any("In place of Hip thrust" in n for n in rx.notes)

    def test_recast_drops_the_name_keeps_note_and_group(self, library: ExerciseLibrary) -> None:
        known = library.by_id()
        entry = ExerciseEntry(
            exercise="clamshell",
            sets=2,
            reps=15,
            name="Clamshell with a hold",
            note="Knees together.",
            group="B",
            tempo="2-2-1",  # type: ignore[arg-type]
        )
        standing = recast(entry, known["glute-bridge"], known["clamshell"], "red")
        assert standing.name is None
        assert (standing.note, standing.group, standing.tempo) == (
            entry.note,
            entry.group,
            entry.tempo,
        )
        hold = recast(entry, known["isometric-bridge-hold"], known["clamshell"], "red")
        assert hold.tempo is None and hold.seconds is not None

    def test_variant_goes_by_its_own_name(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = HEAD + (
            '\n[[phases.exercises]]\nexercise = "glute-bridge"\nname = "Bridge, 2 s squeeze"\n'
            'sets = 2\nreps = 12\ntempo = "2-0-1-2"\n'
            'progression = [{ kind = "variant", after_weeks = 1, '
            'to = "single-leg-glute-bridge" }]\n'
        )
        plan = _plan(tmp_path, library, text)
        names = {s.week: s.exercises[0].name for s in plan.sessions}
        assert names[1] == "Bridge, 2 s squeeze"
        assert names[3] == "Single-leg glute bridge"
        assert plan.sessions[-1].exercises[0].tempo is not None  # the author's rule, their tempo


class TestGroup:
    def test_heading_rounds_and_rest(self, plan: Plan) -> None:
        (alone, pair) = runs(plan.sessions[0].exercises)
        assert alone.label is None and pair.label == "A" and pair.first == 2
        assert group_heading(pair) == (
            "Superset A: 3 rounds back to back, rest 90 s after each round; "
            "an exercise with fewer sets sits out the last rounds"
        )

    def test_circuit_and_same_sets(self, tmp_path: Path, library: ExerciseLibrary) -> None:
        text = TEXT.replace("sets = 2\nreps = 15\n", "sets = 3\nreps = 15\n") + (
            '\n[[phases.exercises]]\nexercise = "glute-bridge"\nsets = 3\nreps = 12\n'
            'group = "A"\nrest = 30\n'
        )
        plan = _plan(tmp_path, library, text)
        (_, circuit) = runs(plan.sessions[0].exercises)
        assert group_heading(circuit) == (
            "Circuit A: 3 rounds back to back, rest 90 s after each round"
        )

    @given(st.lists(st.sampled_from([None, "A", "B"]), min_size=1, max_size=8))
    @fuzz(60)
    def test_runs_keep_every_exercise_in_order(self, labels: list[str | None]) -> None:
        base = Prescription(exercise="clamshell", name="Clamshell", sets=2, reps=10, rest=30,
                            cue="Slow.")  # fmt: skip
        exercises = tuple(base.model_copy(update={"group": g}) for g in labels)
        cut = runs(exercises)
        assert [rx for r in cut for rx in r.exercises] == list(exercises)
        assert [r.first for r in cut] == list(
            itertools.accumulate((len(r.exercises) for r in cut[:-1]), initial=1)
        )
        for r in cut:
            assert r.label is None or len(r.exercises) >= 2
            assert len({rx.group for rx in r.exercises}) == 1

    def test_a_label_left_alone_reads_plain(self, plan: Plan) -> None:
        lone = plan.sessions[0].exercises[1:2]
        (only,) = runs(lone)
        assert only.label is None

    @pytest.mark.parametrize(
        ("change", "needle"),
        [
            (('sets = 2\nreps = 15\ngroup = "A"', "sets = 2\nreps = 15"), "has one exercise"),
            (('group = "A"\nrest = 90', 'group = "a b"\nrest = 90'), "1-8 letters (A-Z) or digits"),
            (('group = "A"\nrest = 90', 'group = ""\nrest = 90'), "1-8 letters (A-Z) or digits"),
        ],
    )
    def test_bad_group(self, tmp_path: Path, change: tuple[str, str], needle: str) -> None:
        text = TEXT.replace(*change)
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, needle)

    def test_split_group_is_refused(self, tmp_path: Path) -> None:
        first, second = SUPERSET.split("\n[[", 2)[1:]
        text = HEAD + "\n[[" + first + THRUST + "\n[[" + second
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, "not written one after another")

    def test_no_groups_in_warm_up(self, tmp_path: Path) -> None:
        text = TEXT.replace('note = "Easy first set." }', 'group = "W" }')
        code, _, err = run("validate", _write(tmp_path, text))
        assert_one_line_error(code, err, "not grouped")


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


class TestEveryOutput:
    WORDS = (
        "Paused hip thrust",
        "Tempo 3-1-5: 3 s down, 1 s pause, 5 s up",
        "Program note: Pause with the hips level.",
        "Side plank with top-leg abduction",
        "Superset A: 3 rounds back to back, rest 90 s after each round",
    )

    def test_calendar_description(self, tmp_path: Path) -> None:
        out = tmp_path / "p.ics"
        code, _, err = run("generate", _write(tmp_path), "--start", "2026-12-07", "--days",
                           "mon,thu", "--out", out)  # fmt: skip
        assert code == 0, err
        text = ics_text(out).replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
        for words in (*self.WORDS, "Tempo 5-0-X: 5 s down, up explosively"):
            assert words in text
        summaries = [line for line in text.splitlines() if line.startswith("SUMMARY")]
        assert not any("Tempo" in s or "Superset" in s for s in summaries)

    def test_description_order(self, plan: Plan) -> None:
        text = session_description(plan, plan.sessions[0])
        lines = text.splitlines()
        head = lines.index(
            "2. Superset A: 3 rounds back to back, rest 90 s after each round; "
            "an exercise with fewer sets sits out the last rounds:"
        )
        # One number for the group, a letter for each of its exercises: where it ends
        # is plain in the calendar's plain text too.
        assert lines[head + 1] == "2a. Side plank with top-leg abduction: 3 x 20 s per side"
        assert lines[head + 3] == "2b. Clamshell: 2 x 15 per side"  # no rest of its own
        assert "- Glute bridge: 1 x 10, tempo 2-0-2, program note: Easy first set." in lines

    def test_markdown(self, plan: Plan) -> None:
        text = render_markdown(plan)
        for words in self.WORDS:
            assert words in text.replace("\\", "")
        assert "| 2b | Clamshell | 2 x 15 per side | 90 s |" in text

    def test_html(self, plan: Plan) -> None:
        text = render_html(plan)
        for words in self.WORDS:
            assert words in text
        assert '<tr class="group"><td colspan="3">Superset A' in text

    def test_csv(self, plan: Plan) -> None:
        rows = [r for r in _csv_rows(render_csv(plan)) if r["slot"] == "W2S1"]
        main = [r for r in rows if r["part"] == "main"]
        assert [(r["tempo"], r["group"], r["program_note"]) for r in main] == [
            ("5-0-X", "", "Go slow."),
            ("", "A", ""),
            ("", "A", ""),
        ]
        assert main[0]["name"] == "Paused hip thrust"
        warm = next(r for r in rows if r["part"] == "warm-up")
        assert (warm["tempo"], warm["program_note"]) == ("2-0-2", "Easy first set.")

    def test_json_round_trip(self, plan: Plan) -> None:
        data = json.loads(plan.model_dump_json())
        rx = data["sessions"][0]["exercises"][0]
        assert rx["tempo"] == {"down": 3, "pause": 1, "up": 5, "top": 0}
        assert rx["note"] == "Pause with the hips level."
        assert Plan.model_validate_json(plan.model_dump_json()) == plan

    def test_show_and_templates_show(self, tmp_path: Path) -> None:
        path = _write(tmp_path)
        plan_json = tmp_path / "p.json"
        code, _, err = run("generate", path, "--start", "2026-12-07", "--days", "mon,thu",
                           "--out", tmp_path / "p.ics", "--json", plan_json)  # fmt: skip
        assert code == 0, err
        code, out, err = run("show", plan_json)
        assert code == 0, err
        assert "tempo 5-0-X, program note: Go slow." in out
        assert "Superset A: 3 rounds" in out
        code, out, err = run("templates", "show", path)
        assert code == 0, err
        assert "Side plank with top-leg abduction (Side plank)" in out
        assert "week 2 as written: 3 x 10 tempo 5-0-X note: Go slow." in out
        assert "group A" in out

    def test_schema_describes_the_keys(self) -> None:
        code, out, _ = run("schema")
        assert code == 0
        text = json.dumps(json.loads(out))
        for words in ("Tempo of each repetition", "Superset or circuit", "combined move"):
            assert words in text
        # Editors that check against the schema accept both spellings of a tempo.
        schema = json.loads(out)
        data = tomllib.loads(TEXT.replace('tempo = "3-1-5"', 'tempo = "3-1-x"'))
        jsonschema.validate(data, schema)
        data["phases"][0]["exercises"][0]["tempo"] = "3-1"
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)


class TestUnchanged:
    def test_old_plan_json_reads_the_same(self, make_plan: object) -> None:
        plan = make_plan()  # type: ignore[operator]
        data = json.loads(plan.model_dump_json())
        for session in data["sessions"]:
            for rx in session["exercises"]:
                for key in ("tempo", "note", "group"):
                    assert rx.pop(key) is None
        assert Plan.model_validate(data) == plan

    def test_saved_template_reads_back_the_same(
        self, tmp_path: Path, library: ExerciseLibrary
    ) -> None:
        # Saved revisions keep the template as JSON: the new keys must survive the trip.
        program = load_program(str(_write(tmp_path)), library).program
        assert ProgramTemplate.model_validate_json(program.model_dump_json()) == program

    def test_entry_without_the_keys_has_none(self) -> None:
        entry = ExerciseEntry(exercise="clamshell", sets=2, reps=10)
        assert (entry.tempo, entry.note, entry.name, entry.group) == (None, None, None, None)
        with pytest.raises(ValidationError):
            ExerciseEntry(exercise="clamshell", sets=2, reps=10, colour="red")  # type: ignore[call-arg]
