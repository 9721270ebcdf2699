"""Units, the person's own starting loads and band ladder."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import OptionError
from planner.models import Exercise, ExerciseLibrary
from planner.models.common import DEFAULT_BANDS
from planner.models.plan import StartLoad
from planner.models.program import ExerciseEntry
from planner.plan.explain import Explanations
from planner.plan.loads import band_map, convert, in_units, on_ladder, own_loads
from planner.templates import LoadedProgram


@pytest.fixture(scope="module")
def lib(library: ExerciseLibrary) -> dict[str, Exercise]:
    return library.by_id()


def test_convert() -> None:
    assert convert(40, "kg", "lb") == pytest.approx(88.18, abs=0.01)
    assert convert(90, "lb", "kg") == pytest.approx(40.82, abs=0.01)
    assert convert(12.5, "kg", "kg") == 12.5


class TestUnits:
    def test_rounded_to_the_kits_step_in_the_new_units(self, lib: dict[str, Exercise]) -> None:
        log = Explanations()
        slot = ExerciseEntry(
            exercise="hip-thrust",
            sets=3,
            reps=10,
            load=30,
            increment=2.5,
            pins=[{"week": 2, "load": 32.5}],
        )  # type: ignore[list-item]
        out = in_units(slot, lib["hip-thrust"], "kg", "lb", "strength", log)
        assert (out.load, out.increment, out.pins[0].load) == (65, None, 70)
        assert log.decisions[0].reason == "Hip thrust: 30 kg is 66.1 lb, rounded to 65 lb."

    def test_never_rounds_to_nothing(self, lib: dict[str, Exercise]) -> None:
        slot = ExerciseEntry(exercise="step-up", sets=3, reps=10, load=0.5)
        assert in_units(slot, lib["step-up"], "kg", "lb", "f", Explanations()).load == 2.5

    def test_same_units_untouched(self, lib: dict[str, Exercise]) -> None:
        slot = ExerciseEntry(exercise="hip-thrust", sets=3, reps=10, load=30, increment=2.5)
        log = Explanations()
        assert in_units(slot, lib["hip-thrust"], "kg", "kg", "s", log) is slot
        assert log.decisions == []


class TestOwnLoads:
    def phases(self, program: LoadedProgram) -> list[list[ExerciseEntry]]:
        return [list(p.exercises) for p in program.program.phases]

    def test_first_phase_as_given_later_ones_in_proportion(
        self, programs: dict[str, LoadedProgram], lib: dict[str, Exercise]
    ) -> None:
        hip_knee = programs["hip-knee"]
        phases = self.phases(hip_knee)
        loads = (StartLoad(exercise="hip-thrust", value=90, unit="lb"),)
        fixed = own_loads(hip_knee.program, phases, lib, loads, "kg", Explanations())
        strength, functional = phases[1][0], phases[2][4]
        # 90 lb = 40.8 kg -> 40 kg on 2.5 kg steps; the template's 30 -> 35 kg ratio gives 47.6.
        assert (strength.load, functional.load) == (40, 47.5)
        assert fixed == {("strength", 0), ("functional", 4)}

    @pytest.mark.parametrize(
        ("exercise", "needle"),
        [
            (
                "hip-thrst",
                r"--load: unknown exercise 'hip-thrst' \(did you mean hip-thrust\?\); exercises",
            ),
            (
                "glute-bridge",
                "--load: glute-bridge is done with body weight in your plan; "
                "exercises with a load in this plan: hip-thrust, single-leg-deadlift, step-up",
            ),
            ("squat", "--load: squat is not in this plan"),
        ],
    )
    def test_errors(
        self,
        programs: dict[str, LoadedProgram],
        lib: dict[str, Exercise],
        exercise: str,
        needle: str,
    ) -> None:
        hip_knee = programs["hip-knee"]
        loads = (StartLoad(exercise=exercise, value=10, unit="kg"),)
        with pytest.raises(OptionError, match=needle):
            own_loads(hip_knee.program, self.phases(hip_knee), lib, loads, "kg", Explanations())


class TestBands:
    def test_own_colours_keep_their_names_others_go_to_the_next_lighter(self) -> None:
        mapping = band_map(DEFAULT_BANDS, ("yellow", "red", "blue"))
        assert [mapping[b] for b in ("tan", "yellow", "red", "green", "blue", "gold")] == [
            "yellow",
            "yellow",
            "red",
            "red",
            "blue",
            "blue",
        ]

    def test_own_names_go_to_the_same_place_rounded_down(self) -> None:
        mapping = band_map(DEFAULT_BANDS, ("light", "medium", "heavy"))
        assert [mapping[b] for b in ("tan", "green", "black", "gold")] == [
            "light",
            "light",
            "medium",
            "heavy",
        ]

    def test_entry_and_pins(self) -> None:
        slot = ExerciseEntry(
            exercise="lateral-band-walk",
            sets=2,
            steps=15,
            band="green",
            pins=[{"week": 1, "band": "blue"}],
        )  # type: ignore[list-item]
        out = on_ladder(slot, {"green": "red", "blue": "blue"})
        assert (out.band, out.pins[0].band) == ("red", "blue")

    def test_red_to_green_stays_one_rung_on_an_own_ladder(self) -> None:
        own = ("yellow", "red", "green", "blue")
        mapping = band_map(DEFAULT_BANDS, own)
        assert own.index(mapping["green"]) - own.index(mapping["red"]) == 1

    def test_a_longer_own_ladder_is_not_spread_out(self) -> None:
        own = tuple(f"band-{i}" for i in range(12))
        mapping = band_map(DEFAULT_BANDS, own)
        assert [own.index(mapping[b]) for b in DEFAULT_BANDS] == list(range(8))


OWN_LADDERS = st.one_of(
    st.lists(st.sampled_from(DEFAULT_BANDS), min_size=1, unique=True).map(
        lambda b: tuple(sorted(b, key=DEFAULT_BANDS.index))
    ),
    st.integers(1, 20).map(lambda n: tuple(f"own-{i}" for i in range(n))),
)


@given(own=OWN_LADDERS)
def test_one_template_step_is_at_most_one_rung_and_never_heavier(own: tuple[str, ...]) -> None:
    mapping = band_map(DEFAULT_BANDS, own)
    rungs = [own.index(mapping[b]) for b in DEFAULT_BANDS]
    assert all(0 <= b - a <= 1 for a, b in itertools.pairwise(rungs))
    for band, mine in mapping.items():
        if mine in DEFAULT_BANDS and DEFAULT_BANDS.index(mine) > DEFAULT_BANDS.index(band):
            assert mine == own[0]  # nothing lighter to give: the lightest band owned


class TestUnitsOfALoadStep:
    def test_a_fixed_step_is_converted_in_whole_steps(self, lib: dict[str, Exercise]) -> None:
        slot = ExerciseEntry.model_validate(
            {
                "exercise": "hip-thrust",
                "sets": 3,
                "reps": 10,
                "load": 30,
                "increment": 2.5,
                "progression": [{"kind": "load", "low": 10, "high": 10, "add": 2.5}],
            }
        )
        out = in_units(slot, lib["hip-thrust"], "kg", "lb", "strength", Explanations())
        rule = out.progression[0]
        assert rule.kind == "load" and rule.add == 5  # 2.5 kg is 5.5 lb: one 5 lb plate pair
        assert out.increment is None and out.load == 65
