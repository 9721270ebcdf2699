"""Stand-in search and re-dosing: the order of domain-rules.md §7, never a harder exercise,
never one twice in a session, and rules that still work."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import OptionError
from planner.models import Exercise, ExerciseLibrary, PlanOptions
from planner.models.common import EQUIPMENT, PAIN_FLAGS
from planner.models.program import ExerciseEntry
from planner.plan.substitute import Constraints, candidates, choose, recast
from planner.plan.tailor import tailor
from planner.templates import LoadedProgram, load_library
from tests.conftest import SLUGS
from tests.fuzzing import fuzz

FLAG_SETS = [c for r in range(len(PAIN_FLAGS) + 1) for c in itertools.combinations(PAIN_FLAGS, r)]
# The kits of the tailoring check: --equipment none, band, and any (no limit).
KITS: dict[str, frozenset[str] | None] = {"none": frozenset(), "band": frozenset({"band"})}
KITS["any"] = None
# The shipped library, loaded once for the hypothesis strategies below.
SHIPPED = load_library().by_id()


@pytest.fixture(scope="module")
def lib(library: ExerciseLibrary) -> dict[str, Exercise]:
    return library.by_id()


def entry(**fields: object) -> ExerciseEntry:
    return ExerciseEntry.model_validate(fields)


def thrust_to_bridge(lib: dict[str, Exercise], **fields: object) -> ExerciseEntry:
    """A 3 x 10 @ 30 kg hip-thrust slot (plus ``fields``) recast as a glute bridge."""
    slot = entry(exercise="hip-thrust", sets=3, reps=10, load=30, **fields)
    return recast(slot, lib["glute-bridge"], lib["hip-thrust"], "red")


def small_library(*specs: dict[str, object]) -> dict[str, Exercise]:
    """A made-up library: each spec is an exercise with everything not given filled in."""
    base: dict[str, object] = {"muscles": ["gluteus medius"], "dose": "reps", "difficulty": 3}
    base["cues"] = ["First cue.", "Second cue."]
    exercises = [{**base, "name": str(s["id"]).title(), **s} for s in specs]
    return ExerciseLibrary.model_validate({"exercise": exercises}).by_id()


def ids(found: list[object]) -> list[str]:
    return [s.exercise.id for s in found]  # type: ignore[attr-defined]


class TestSearch:
    def test_mapped_alternative_comes_first(self, lib: dict[str, Exercise]) -> None:
        first = candidates(lib["hip-thrust"], lib, ("knee",))[0]
        assert first.exercise.id == lib["hip-thrust"].instead["knee"]
        assert first.route == "the library's alternative for the knee"

    def test_alternative_that_provokes_another_flag_is_skipped(
        self, lib: dict[str, Exercise]
    ) -> None:
        rules = Constraints(("knee", "hamstring"), None)
        pick = choose(lib["hip-thrust"], lib, rules, taken=())
        assert pick is not None and pick.exercise.id == lib["hip-thrust"].instead["hamstring"]

    def test_an_alternative_needing_its_own_alternative_is_followed(
        self, lib: dict[str, Exercise]
    ) -> None:
        # For knees the thrust becomes a bridge, which a hamstring flag rules out too; the
        # thrust's hamstring alternative needs a band. The bridge's own alternative is next.
        thrust = lib["hip-thrust"]
        bridge = lib[thrust.instead["knee"]]
        assert "hamstring" in bridge.provokes
        assert "band" in lib[thrust.instead["hamstring"]].equipment
        rules = Constraints(("knee", "hamstring"), frozenset())
        pick = choose(thrust, lib, rules, taken=())
        assert pick is not None and pick.exercise.id == bridge.instead["hamstring"]
        assert pick.route == "the library's alternative to Glute bridge for the hamstrings"

    def test_missing_kit_falls_back_to_an_easier_variation(self, lib: dict[str, Exercise]) -> None:
        pick = choose(lib["romanian-deadlift"], lib, Constraints((), frozenset()), taken=())
        assert pick is not None and pick.exercise.id == "hip-hinge-drill"
        assert pick.route == "an easier variation of Romanian deadlift"

    def test_exercises_already_in_the_session_are_not_doubled(
        self, lib: dict[str, Exercise]
    ) -> None:
        # The bridge's alternative and its easier variation are both in the session: the
        # next is another body-weight seat exercise no harder than the bridge.
        bridge = lib["glute-bridge"]
        taken = (bridge.instead["hamstring"], *bridge.easier)
        rules = Constraints(("hamstring",), frozenset())
        pick = choose(bridge, lib, rules, taken=taken)
        assert pick is not None and pick.exercise.id == "hip-hinge-drill"
        assert pick.route == "an exercise for the same main muscle (gluteus maximus)"

    def test_knee_work_is_kept_knee_work(self, lib: dict[str, Exercise]) -> None:
        pick = choose(lib["step-down"], lib, Constraints((), frozenset({"band"})), taken=())
        assert pick is not None and pick.exercise.knee_focused

    def test_nothing_fits(self, lib: dict[str, Exercise]) -> None:
        rules = Constraints(("back", "hamstring"), frozenset())
        taken = ("isometric-bridge-hold", "prone-hip-extension", "hip-hinge-drill")
        assert choose(lib["hip-thrust"], lib, rules, taken) is None

    def test_reasons_in_words(self, lib: dict[str, Exercise]) -> None:
        rules = Constraints(("knee", "back"), frozenset({"band"}))
        assert rules.why_not(lib["hip-thrust"]) == (
            "can aggravate the knee and the lower back (--avoid knee,back) "
            "and needs bench and barbell (--equipment band)"
        )
        assert rules.missing_kit(lib["step-up"], loaded=True) == ["step", "dumbbell"]


class TestOrder:
    """The preference order, on made-up libraries where each rule decides alone."""

    def test_alternative_then_easier_nearest_first_then_same_muscle_closest_first(self) -> None:
        lib = small_library(
            {"id": "far", "difficulty": 1},
            {"id": "near", "difficulty": 3},
            {"id": "mapped", "difficulty": 2},
            {"id": "peer", "difficulty": 4},
            {"id": "low", "difficulty": 2},
            {"id": "lowest", "difficulty": 1},
            {
                "id": "top",
                "difficulty": 4,
                "easier": ["far", "near"],
                "provokes": ["knee"],
                "instead": {"knee": "mapped"},
            },
        )
        found = candidates(lib["top"], lib, ("knee",))
        assert ids(found) == ["mapped", "near", "far", "peer", "low", "lowest"]
        assert [s.route for s in found[:3]] == [
            "the library's alternative for the knee",
            "an easier variation of Top",
            "an easier variation of Top",
        ]

    def test_the_alternative_counts_only_for_a_flag_the_person_has(self) -> None:
        lib = small_library(
            {"id": "mapped", "difficulty": 1},
            {"id": "easy", "difficulty": 2},
            {
                "id": "top",
                "easier": ["easy"],
                "provokes": ["back"],
                "instead": {"back": "mapped"},
            },
        )
        assert ids(candidates(lib["top"], lib, ()))[0] == "easy"
        assert ids(candidates(lib["top"], lib, ("back",)))[0] == "mapped"

    def test_equal_difficulty_prefers_fewer_areas_it_can_aggravate_then_library_order(
        self,
    ) -> None:
        lib = small_library(
            {"id": "safe", "difficulty": 1},
            {"id": "touchy", "difficulty": 3, "provokes": ["knee"], "instead": {"knee": "safe"}},
            {"id": "calm", "difficulty": 3},
            {"id": "calm-too", "difficulty": 3},
            {"id": "top"},
        )
        assert ids(candidates(lib["top"], lib, ())) == ["calm", "calm-too", "touchy", "safe"]

    def test_same_main_muscle_of_another_kind_or_muscle_is_not_a_stand_in(self) -> None:
        lib = small_library(
            {"id": "stretch", "kind": "mobility", "difficulty": 1},
            {"id": "other", "muscles": ["quadriceps", "gluteus medius"], "difficulty": 1},
            {"id": "top"},
        )
        assert candidates(lib["top"], lib, ()) == []

    def test_knee_work_goes_first_when_the_exercise_is_knee_work(self) -> None:
        lib = small_library(
            {"id": "close", "difficulty": 3},
            {"id": "knee-easy", "difficulty": 1, "knee_focused": True},
            {"id": "knee", "knee_focused": True},
            {"id": "plain"},
        )
        assert ids(candidates(lib["knee"], lib, ())) == ["knee-easy", "close", "plain"]
        assert ids(candidates(lib["plain"], lib, ())) == ["close", "knee", "knee-easy"]


class TestNeverHarder:
    """The tester's reproductions: a swap for pain made things harder."""

    @staticmethod
    def in_pain(ex: Exercise, lib: dict[str, Exercise], taken: set[str]) -> Exercise | None:
        """What adapt picks for ``ex`` with no flags and any kit."""
        pick = choose(ex, lib, Constraints((), None), taken | {ex.id})
        return None if pick is None else pick.exercise

    def test_clamshell_is_not_swapped_for_the_banded_clamshell(
        self, lib: dict[str, Exercise]
    ) -> None:
        clam = lib["clamshell"]
        assert lib["banded-clamshell"].difficulty > clam.difficulty
        assert "banded-clamshell" not in ids(candidates(clam, lib, ()))
        pick = self.in_pain(clam, lib, set())
        # The clamshell is the easiest side-hip exercise: nothing is left but advice.
        peers = [e for e in lib.values() if e.muscles[0] == clam.muscles[0] and e.id != clam.id]
        assert peers and all(e.difficulty > clam.difficulty for e in peers)
        assert pick is None

    def test_side_plank_on_the_knees_is_not_swapped_for_the_full_side_plank(
        self, lib: dict[str, Exercise]
    ) -> None:
        knees = lib["side-plank-knees"]
        pick = self.in_pain(knees, lib, set())
        assert pick is None or pick.difficulty <= knees.difficulty
        assert pick is None or pick.id not in {"side-plank", "russian-twist"}

    def test_full_side_plank_is_not_swapped_for_the_russian_twist(
        self, lib: dict[str, Exercise]
    ) -> None:
        # Even with the knee version already in the session, the twist is not next: it is
        # harder than the side plank.
        plank = lib["side-plank"]
        assert lib["russian-twist"].difficulty > plank.difficulty
        assert self.in_pain(plank, lib, {"side-plank-knees"}) is None
        pick = self.in_pain(plank, lib, set())
        assert pick is not None and pick.id == "side-plank-knees"

    def test_russian_twist_is_never_a_stand_in_for_a_back(self, lib: dict[str, Exercise]) -> None:
        assert "back" in lib["russian-twist"].provokes
        back = Constraints(("back",), None)
        for ex in lib.values():
            pick = choose(ex, lib, back, taken=())
            assert pick is None or pick.exercise.id != "russian-twist", ex.id

    def test_prone_hip_extension_is_not_swapped_for_the_banded_bridge(
        self, lib: dict[str, Exercise]
    ) -> None:
        prone = lib["prone-hip-extension"]
        pick = self.in_pain(prone, lib, set())
        assert pick is not None and pick.difficulty <= prone.difficulty
        assert pick.id != "banded-glute-bridge"
        assert pick.muscles[0] == prone.muscles[0]

    def test_two_slots_of_one_session_get_different_stand_ins(
        self, lib: dict[str, Exercise], programs: dict[str, LoadedProgram]
    ) -> None:
        # runner-knee's strength session has the banded clamshell and side-lying abduction;
        # both have the plain clamshell as their nearest easier exercise.
        phase = next(p for p in programs["runner-knee"].program.phases if p.name == "strength")
        session = {e.exercise for e in phase.exercises}
        first = self.in_pain(lib["banded-clamshell"], lib, session)
        assert first is not None
        # What the tester saw: left out of ``taken``, the first stand-in is picked again.
        again = self.in_pain(lib["side-lying-hip-abduction"], lib, session)
        assert again is not None and again.id == first.id
        second = self.in_pain(lib["side-lying-hip-abduction"], lib, session | {first.id})
        assert second is None or second.id not in session | {first.id}
        assert second is None or second.difficulty <= lib["side-lying-hip-abduction"].difficulty

    def test_a_harder_link_in_an_unchecked_library_is_not_followed(self) -> None:
        # The library model refuses such links; the search must not rely on that alone.
        # "easy" trains another muscle, so only the path through "hard" leads to it.
        lib = small_library(
            {"id": "easy", "difficulty": 1, "muscles": ["quadriceps"]},
            {"id": "top", "difficulty": 2},
        )
        lib["top"] = lib["top"].model_copy(update={"easier": ("hard",)})
        lib["hard"] = lib["top"].model_copy(
            update={"id": "hard", "difficulty": 5, "easier": ("easy",)}
        )
        assert candidates(lib["top"], lib, ()) == []


@fuzz(400)
@given(
    ex_id=st.sampled_from(sorted(SHIPPED)),
    avoid=st.sampled_from(FLAG_SETS),
    kit=st.none() | st.frozensets(st.sampled_from(EQUIPMENT)),
    taken=st.frozensets(st.sampled_from(sorted(SHIPPED))),
)
def test_choose_is_never_harder_never_taken_and_always_fits(
    ex_id: str,
    avoid: tuple[str, ...],
    kit: frozenset[str] | None,
    taken: frozenset[str],
) -> None:
    ex = SHIPPED[ex_id]
    rules = Constraints(avoid, kit)  # type: ignore[arg-type]
    pick = choose(ex, SHIPPED, rules, taken)
    if pick is None:
        # None only when no exercise for the same main muscle would have done either.
        assert not [
            o
            for o in SHIPPED.values()
            if o.id != ex.id
            and o.id not in taken
            and o.kind == ex.kind
            and o.muscles[0] == ex.muscles[0]
            and o.difficulty <= ex.difficulty
            and rules.fits(o)
        ]
        return
    new = pick.exercise
    assert new.id != ex.id
    assert new.difficulty <= ex.difficulty
    assert new.id not in taken
    assert not set(avoid) & set(new.provokes)
    assert kit is None or set(new.equipment) <= kit
    assert all(s.exercise.difficulty <= ex.difficulty for s in candidates(ex, SHIPPED, avoid))


class TestTailoring:
    """--avoid and --equipment use the same search: every shipped template still fits."""

    @pytest.mark.parametrize("slug", SLUGS)
    @pytest.mark.parametrize("kit", list(KITS), ids=str)
    @pytest.mark.parametrize("avoid", FLAG_SETS, ids=lambda a: "-".join(a) or "no-flags")
    def test_every_stand_in_is_no_harder_and_every_slot_is_filled(
        self,
        programs: dict[str, LoadedProgram],
        lib: dict[str, Exercise],
        slug: str,
        kit: str,
        avoid: tuple[str, ...],
    ) -> None:
        equipment = KITS[kit]
        options = PlanOptions(
            start=dt.date(2026, 12, 7),
            days=("mon", "wed", "fri"),
            avoid=avoid,  # type: ignore[arg-type]
            equipment=None if equipment is None else tuple(sorted(equipment)),  # type: ignore[arg-type]
        )
        try:
            out = tailor(programs[slug].program, lib, options)
        except OptionError as exc:
            pytest.fail(f"{slug} --avoid {','.join(avoid)} --equipment {kit}: {exc}")
        swaps = [d for d in out.decisions if d.kind == "substitute"]
        for swap in swaps:
            old, new = lib[swap.exercise or ""], lib[swap.chosen or ""]
            assert new.difficulty <= old.difficulty, (swap.where, old.id, new.id)
        rules = Constraints(avoid, equipment)  # type: ignore[arg-type]
        for phase in out.program.phases:
            assert all(rules.fits(lib[e.exercise]) for e in phase.exercises), phase.name


class TestRecast:
    def test_load_rule_becomes_a_rep_rule_up_to_the_top_of_the_range(
        self, lib: dict[str, Exercise]
    ) -> None:
        new = thrust_to_bridge(
            lib,
            increment=2.5,
            rest=90,
            progression=[{"kind": "load", "low": 8, "high": 12, "step": 2}],
        )
        assert (new.exercise, new.sets, new.reps, new.load, new.band, new.rest) == (
            "glute-bridge",
            3,
            10,
            None,
            None,
            90,
        )
        assert [r.model_dump() for r in new.progression] == [
            {"kind": "reps", "step": 2, "every": 1, "cap": 12}
        ]

    def test_banded_stand_in_gets_the_starting_band(self, lib: dict[str, Exercise]) -> None:
        slot = entry(
            exercise="glute-bridge",
            sets=2,
            reps=12,
            progression=[{"kind": "reps", "step": 3, "cap": 15}, {"kind": "sets", "at_weeks": [2]}],
        )
        new = recast(slot, lib["banded-glute-bridge"], lib["glute-bridge"], "red")
        assert new.band == "red" and new.reps == 12
        assert [r.kind for r in new.progression] == ["reps", "sets"]

    def test_band_rule_without_a_band_and_steps_to_reps(self, lib: dict[str, Exercise]) -> None:
        slot = entry(
            exercise="lateral-band-walk",
            sets=2,
            steps=15,
            band="red",
            progression=[{"kind": "band", "low": 10, "high": 20, "step": 5}],
        )
        new = recast(slot, lib["side-lying-hip-abduction"], lib["lateral-band-walk"], "red")
        assert (new.reps, new.steps, new.band) == (15, None, None)
        assert new.progression[0].model_dump() == {"kind": "reps", "step": 5, "every": 1, "cap": 20}

    def test_counted_to_hold_and_back(self, lib: dict[str, Exercise]) -> None:
        reps = entry(
            exercise="russian-twist", sets=3, reps=12, progression=[{"kind": "reps", "cap": 20}]
        )
        hold = recast(reps, lib["side-plank-knees"], lib["russian-twist"], "red")
        assert (hold.seconds, hold.reps) == (20, None)
        assert hold.progression[0].kind == "hold"
        back = recast(hold, lib["russian-twist"], lib["side-plank-knees"], "red")
        assert (back.reps, back.progression[0].kind) == (10, "reps")

    def test_variant_rule_is_dropped_and_pins_lose_what_does_not_apply(
        self, lib: dict[str, Exercise]
    ) -> None:
        new = thrust_to_bridge(
            lib,
            progression=[{"kind": "variant", "after_weeks": 2}],
            pins=[{"week": 2, "reps": 8, "load": 35}],
        )
        assert new.progression == ()
        assert [p.model_dump(exclude_none=True) for p in new.pins] == [{"week": 2, "reps": 8}]
