"""Stand-in search and re-dosing: the order of domain-rules.md §7 and rules that still work."""

import pytest

from planner.models import Exercise, ExerciseLibrary
from planner.models.program import ExerciseEntry
from planner.substitute import Constraints, candidates, choose, recast


@pytest.fixture(scope="module")
def lib(library: ExerciseLibrary) -> dict[str, Exercise]:
    return library.by_id()


def entry(**fields: object) -> ExerciseEntry:
    return ExerciseEntry.model_validate(fields)


def thrust_to_bridge(lib: dict[str, Exercise], **fields: object) -> ExerciseEntry:
    """A 3 x 10 @ 30 kg hip-thrust slot (plus ``fields``) recast as a glute bridge."""
    slot = entry(exercise="hip-thrust", sets=3, reps=10, load=30, **fields)
    return recast(slot, lib["glute-bridge"], lib["hip-thrust"], "red")


class TestSearch:
    def test_mapped_alternative_comes_first(self, lib: dict[str, Exercise]) -> None:
        first = candidates(lib["hip-thrust"], lib, ("knee",))[0]
        assert first.exercise.id == "glute-bridge"
        assert first.route == "the library's alternative for the knee"

    def test_alternative_that_provokes_another_flag_is_skipped(
        self, lib: dict[str, Exercise]
    ) -> None:
        rules = Constraints(("knee", "hamstring"), None)
        pick = choose(lib["hip-thrust"], lib, rules, taken=())
        assert pick is not None and pick.exercise.id == "banded-glute-bridge"

    def test_missing_kit_falls_back_to_an_easier_variation(self, lib: dict[str, Exercise]) -> None:
        pick = choose(lib["romanian-deadlift"], lib, Constraints((), frozenset()), taken=())
        assert pick is not None and pick.exercise.id == "hip-hinge-drill"
        assert pick.route == "an easier variation of Romanian deadlift"

    def test_exercises_already_in_the_session_are_not_doubled(
        self, lib: dict[str, Exercise]
    ) -> None:
        rules = Constraints(("hamstring",), frozenset())
        pick = choose(lib["glute-bridge"], lib, rules, taken=("isometric-bridge-hold",))
        assert pick is not None and pick.exercise.id == "prone-hip-extension"
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
