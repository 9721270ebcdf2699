"""Fitting a template to a person: invariants over every template and option mix, and the
decisions and notes that explain each change."""

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from planner.errors import OptionError
from planner.models import ExerciseLibrary, Plan, PlanOptions, ProgramTemplate
from planner.models.common import EQUIPMENT, LEVELS, PAIN_FLAGS
from planner.models.plan import Prescription
from planner.plan.generate import generate
from planner.plan.tailor import tailor
from planner.templates import LoadedProgram
from tests.conftest import SLUGS, PlanFactory
from tests.fuzzing import fuzz
from tests.test_generator import check_week_rules

FLAG_SETS = [c for r in range(4) for c in itertools.combinations(PAIN_FLAGS, r)]


def everything(plan: Plan) -> list[Prescription]:
    """Every prescription a person will read: sessions, warm-up and cool-down."""
    rx = [r for s in plan.sessions for r in s.exercises]
    return rx + list(plan.warmup.exercises) + list(plan.cooldown.exercises)


def check_fits(plan: Plan, library: ExerciseLibrary, programs: dict[str, LoadedProgram]) -> None:
    lib = library.by_id()
    avoid, kit = set(plan.options.avoid), plan.options.equipment
    for rx in everything(plan):
        ex = lib[rx.exercise]
        assert not avoid & set(ex.provokes), (rx.exercise, avoid)
        if kit is not None:
            assert set(ex.equipment) <= set(kit), (rx.exercise, kit)
            if rx.load is not None:
                assert {"barbell", "dumbbell"} & set(kit), (rx.exercise, kit)
            if rx.band is not None:
                assert "band" in kit
    # Never an empty or shortened session: each has as many exercises as its phase.
    phases = {p.name: p for p in programs[plan.template].program.phases}
    for session in plan.sessions:
        ids = [rx.exercise for rx in session.exercises]
        assert len(ids) == len(phases[session.phase].exercises) == len(set(ids))


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("avoid", FLAG_SETS, ids="-".join)
def test_flagged_areas_never_appear(
    make_plan: PlanFactory,
    library: ExerciseLibrary,
    programs: dict[str, LoadedProgram],
    slug: str,
    avoid: tuple[str, ...],
) -> None:
    plan = make_plan(slug, avoid=avoid)
    check_fits(plan, library, programs)
    if programs[slug].program.knee_focus:
        lib = library.by_id()
        assert any(lib[rx.exercise].knee_focused for s in plan.sessions for rx in s.exercises)


@fuzz(150, suppress_health_check=[HealthCheck.too_slow])
@given(
    slug=st.sampled_from(SLUGS),
    avoid=st.sampled_from(FLAG_SETS),
    kit=st.none() | st.lists(st.sampled_from(EQUIPMENT), unique=True).map(tuple),
    level=st.sampled_from(LEVELS),
    weeks=st.none() | st.integers(3, 16),
)
def test_any_mix_of_options_fits_or_says_why(
    make_plan: PlanFactory,
    library: ExerciseLibrary,
    programs: dict[str, LoadedProgram],
    slug: str,
    avoid: tuple[str, ...],
    kit: tuple[str, ...] | None,
    level: str,
    weeks: int | None,
) -> None:
    try:
        plan = make_plan(slug, avoid=avoid, equipment=kit, level=level, weeks=weeks)
    except OptionError as exc:
        assert str(exc).startswith("no exercise fits the ")
        return
    check_fits(plan, library, programs)
    if programs[slug].program.knee_focus:
        lib = library.by_id()
        kept = any(lib[rx.exercise].knee_focused for s in plan.sessions for rx in s.exercises)
        assert kept or any(d.kind == "knee-focus" for d in plan.decisions)
    # Stand-ins keep the week-over-week rules and whole 5 s holds too.
    check_week_rules(plan)
    assert all(rx.seconds % 5 == 0 for rx in everything(plan) if rx.seconds is not None)


class TestAsWritten:
    def test_default_options_change_nothing(
        self, programs: dict[str, LoadedProgram], library: ExerciseLibrary
    ) -> None:
        for slug in SLUGS:
            program = programs[slug].program
            options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"))
            out = tailor(program, library.by_id(), options)
            assert out.program == program and out.decisions == () and out.notes == {}
            assert out.library == library.by_id()


class TestExplanations:
    def test_substitution_is_explained_and_noted_on_every_session(
        self, make_plan: PlanFactory
    ) -> None:
        plan = make_plan("hip-knee", avoid=("knee",))
        swaps = [d for d in plan.decisions if d.kind == "substitute"]
        assert {(d.where, d.exercise, d.chosen) for d in swaps} == {
            ("strength", "hip-thrust", "glute-bridge"),
            ("strength", "lateral-band-walk", "standing-band-abduction"),
            ("functional", "step-up", "wall-squat"),
            ("functional", "lateral-band-walk", "standing-band-abduction"),
            ("functional", "hip-thrust", "glute-bridge"),
        }
        for session in plan.sessions:
            if session.phase != "strength":
                continue
            bridge = session.exercises[0]
            assert bridge.exercise == "glute-bridge"
            assert "In place of Hip thrust, which can aggravate the knee (--avoid knee)." in (
                bridge.notes
            )

    def test_cue_for_the_flag_goes_first_with_a_note(
        self, make_plan: PlanFactory, library: ExerciseLibrary
    ) -> None:
        plan = make_plan("glute-back-safe", avoid=("back",))
        bridge = library.by_id()["glute-bridge"]
        rx = plan.sessions[0].exercises[0]
        assert rx.exercise == "glute-bridge" and rx.cue == bridge.cue_for["back"]
        assert "Cue chosen first with the lower back in mind." in rx.notes
        assert any(d.kind == "cue" and d.exercise == "glute-bridge" for d in plan.decisions)

    def test_two_flags_two_cues(self, make_plan: PlanFactory, library: ExerciseLibrary) -> None:
        plan = make_plan("glute-not-hamstrings", avoid=("back", "hamstring"))
        banded = library.by_id()["banded-glute-bridge"]
        rx = next(r for r in plan.sessions[0].exercises if r.exercise == "banded-glute-bridge")
        assert rx.cue == banded.cue_for["back"]
        assert f"Also: {banded.cue_for['hamstring']}" in rx.notes

    def test_missing_weights_mean_body_weight(self, make_plan: PlanFactory) -> None:
        plan = make_plan("hip-knee", equipment=("step", "bench", "barbell", "band"))
        step_ups = [r for s in plan.sessions for r in s.exercises if r.exercise == "step-up"]
        assert step_ups and all(r.load is None for r in step_ups)
        assert "Body weight only: no dumbbell at hand." in step_ups[0].notes
        # The load rule became a rep rule: reps still climb.
        assert step_ups[-1].reps is not None and step_ups[-1].reps > step_ups[0].reps  # type: ignore[operator]

    def test_warm_up_item_without_its_kit_is_dropped_and_said(
        self, library: ExerciseLibrary, programs: dict[str, LoadedProgram]
    ) -> None:
        # Foam rolling's only stand-in (a stretch for the same main muscle) is already in
        # this warm-up, so without a foam roller it is left out, with a note.
        program = programs["glute-not-hamstrings"].program
        warmup = program.warmup.model_copy(
            update={"exercises": (*program.warmup.exercises, program.cooldown.exercises[0])}
        )
        program = program.model_copy(update={"warmup": warmup})
        options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "wed", "fri"), equipment=())
        plan = generate("glute-not-hamstrings", program, library.by_id(), options)
        drops = [d for d in plan.decisions if d.kind == "drop"]
        assert [(d.where, d.exercise) for d in drops] == [("warm-up", "foam-roll")]
        assert plan.warmup.notes == (
            "Foam rolling (hips, thighs and calves) left out: it needs foam-roller "
            "(--equipment none).",
        )
        assert [rx.exercise for rx in plan.warmup.exercises] == ["hip-flexor-stretch"]


def _program(library: ExerciseLibrary, phase_exercises: list[dict[str, object]]) -> ProgramTemplate:
    return ProgramTemplate.model_validate(
        {
            "title": "Test",
            "summary": "A test template.",
            "sources": [{"ref": "test", "supports": "test"}],
            "knee_focus": True,
            "warmup": {"minutes": 5},
            "cooldown": {"minutes": 5},
            "phases": [
                {
                    "name": "strength",
                    "goal": "Test.",
                    "weeks": 3,
                    "sessions_per_week": 2,
                    "rpe": [7, 8],
                    "rest": 60,
                    "exercises": phase_exercises,
                }
            ],
        }
    )


def _plan(library: ExerciseLibrary, program: ProgramTemplate, **options: object) -> Plan:
    fields: dict[str, object] = {"start": dt.date(2026, 12, 7), "days": ("mon", "thu")}
    fields.update(options)
    return generate("test", program, library.by_id(), PlanOptions(**fields))  # type: ignore[arg-type]


class TestEdgeCases:
    def test_no_fit_names_the_slot_the_constraint_and_what_was_tried(
        self, library: ExerciseLibrary
    ) -> None:
        program = _program(
            library,
            [
                {"exercise": e, "sets": 2, "reps": 10}
                for e in ("prone-hip-extension", "hip-hinge-drill", "hip-thrust")
            ]
            + [{"exercise": "isometric-bridge-hold", "sets": 2, "seconds": 20}],
        )
        with pytest.raises(OptionError) as caught:
            _plan(library, program, avoid=("back", "hamstring"), equipment=())
        message = str(caught.value)
        assert message.startswith(
            "no exercise fits the hip-thrust slot of the strength phase: Hip thrust can "
            "aggravate the lower back and the hamstrings (--avoid back,hamstring) and needs "
            "bench and barbell (--equipment none); tried "
        )
        assert "glute-bridge can aggravate the hamstrings" in message
        assert "isometric-bridge-hold is already in the session" in message

    def test_knee_focus_ruled_out_is_said(self, library: ExerciseLibrary) -> None:
        # The only knee exercise needs a step; with no kit its stand-ins are not knee work.
        lib = library.by_id()
        step_down = lib["step-down"].model_copy(update={"easier": ()})
        lib = {**lib, "step-down": step_down}
        for other in ("wall-squat", "wall-sit"):
            lib[other] = lib[other].model_copy(update={"knee_focused": False})
        program = _program(library, [{"exercise": "step-down", "sets": 2, "reps": 8}])
        options = PlanOptions(start=dt.date(2026, 12, 7), days=("mon", "thu"), equipment=())
        plan = generate("test", program, lib, options)
        assert any(d.kind == "knee-focus" for d in plan.decisions)
        assert any("no knee-focused exercise fits your options" in w for w in plan.warnings)

    def test_no_warning_when_the_template_had_no_knee_work(self, library: ExerciseLibrary) -> None:
        program = _program(library, [{"exercise": "clamshell", "sets": 2, "reps": 15}])
        plan = _plan(library, program, equipment=())
        assert plan.warnings == () and plan.decisions == ()

    def test_harder_variation_that_provokes_is_not_taken(self, library: ExerciseLibrary) -> None:
        program = _program(
            library,
            [
                {
                    "exercise": "glute-bridge",
                    "sets": 3,
                    "reps": 10,
                    "progression": [{"kind": "variant", "after_weeks": 1, "to": "hip-thrust"}],
                }
            ],
        )
        as_written = _plan(library, program)
        assert as_written.sessions[-1].exercises[0].exercise == "hip-thrust"
        plan = _plan(library, program, avoid=("knee",))
        assert {s.exercises[0].exercise for s in plan.sessions} == {"glute-bridge"}
        decision = next(d for d in plan.decisions if d.kind == "variant")
        assert decision.reason == (
            "Glute bridge does not move on to Hip thrust, which can aggravate the knee "
            "(--avoid knee)."
        )
        assert "Stays at this variation: Hip thrust can aggravate the knee (--avoid knee)." in (
            plan.sessions[0].exercises[0].notes
        )
