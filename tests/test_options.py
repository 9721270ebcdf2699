"""Option parsers for the personal choices: each accepts the documented forms and refuses
everything else with a message that names the option, the value and what is allowed."""

import datetime as dt
import re

import pytest

from planner.cli.params import (
    build_options,
    check_color,
    check_tz,
    parse_avoid,
    parse_bands,
    parse_equipment,
    parse_level,
    parse_loads,
    parse_phase_weeks,
    parse_units,
)
from planner.errors import OptionError
from planner.models.plan import PhaseLength, StartLoad


class TestAvoid:
    def test_flags_in_canonical_order_and_repeats_are_harmless(self) -> None:
        assert parse_avoid("Hamstring, knee,knee") == ("knee", "hamstring")

    def test_none(self) -> None:
        assert parse_avoid("none") == ()

    def test_unknown_flag_lists_the_allowed_ones(self) -> None:
        with pytest.raises(
            OptionError,
            match="--avoid: 'elbow' is not a pain flag; use one of knee, back, hamstring",
        ):
            parse_avoid("knee,elbow")

    def test_empty_item(self) -> None:
        with pytest.raises(OptionError, match="--avoid: 'knee,' has an empty item"):
            parse_avoid("knee,")


class TestEquipment:
    def test_kit(self) -> None:
        assert parse_equipment("step, BAND") == ("band", "step")

    def test_none_means_body_weight_only(self) -> None:
        assert parse_equipment("none") == ()

    def test_unknown_equipment_lists_the_known(self) -> None:
        with pytest.raises(
            OptionError, match="'kettlebell' is not known equipment; use one of band, bench"
        ):
            parse_equipment("band,kettlebell")

    def test_none_or_any_with_other_kit(self) -> None:
        for word in ("none", "any"):
            with pytest.raises(OptionError, match=f"'{word}' cannot be combined"):
                parse_equipment(f"band,{word}")

    def test_any_means_no_limit(self) -> None:
        assert parse_equipment("any") is None


def test_sentinels_clear_a_saved_choice() -> None:
    assert parse_loads(["none"]) == ()
    assert parse_bands("template") is None
    assert parse_phase_weeks("none") == ()


@pytest.mark.parametrize(
    ("parse", "value", "needle"),
    [
        (
            parse_level,
            "expert",
            "--level: 'expert' is not a level; use one of beginner, intermediate, advanced",
        ),
        (parse_units, "stone", "--units: 'stone' is not a unit; use one of kg, lb"),
    ],
)
def test_choices(parse: object, value: str, needle: str) -> None:
    with pytest.raises(OptionError, match=needle):
        parse(value)  # type: ignore[operator]


def test_level_and_units() -> None:
    assert parse_level(" Advanced ") == "advanced"
    assert parse_units("LB") == "lb"


class TestLoads:
    def test_forms(self) -> None:
        assert parse_loads(["hip-thrust=40kg, step-up = 22.5 lbs", "single-leg-deadlift=6kg"]) == (
            StartLoad(exercise="hip-thrust", value=40, unit="kg"),
            StartLoad(exercise="step-up", value=22.5, unit="lb"),
            StartLoad(exercise="single-leg-deadlift", value=6, unit="kg"),
        )

    @pytest.mark.parametrize(
        ("value", "needle"),
        [
            (
                "hip-thrust=40",
                "--load: 'hip-thrust=40' has no unit; write hip-thrust=40kg or hip-thrust=40lb",
            ),
            ("hip-thrust=-5kg", "--load: 'hip-thrust=-5kg' is out of range; give a load above 0"),
            ("hip-thrust=0kg", "'hip-thrust=0kg' is out of range"),
            ("hip-thrust=2000kg", "'hip-thrust=2000kg' is out of range"),
            ("hip-thrust", "--load: 'hip-thrust' is not EXERCISE=AMOUNT+UNIT"),
            (
                "hip-thrust=40st",
                "--load: 'st' is not a unit (in 'hip-thrust=40st'); use one of kg, lb",
            ),
            ("hip-thrust=40kg,hip-thrust=50kg", "--load: 'hip-thrust' is listed twice"),
        ],
    )
    def test_bad(self, value: str, needle: str) -> None:
        with pytest.raises(OptionError, match=re.escape(needle)):
            parse_loads([value])


class TestBands:
    def test_ladder_lightest_first(self) -> None:
        assert parse_bands("Yellow, red,green") == ("yellow", "red", "green")

    @pytest.mark.parametrize(
        ("value", "needle"),
        [
            ("yellow,red,yellow", "--bands: 'yellow' is listed twice"),
            ("yellow,,red", "has an empty item"),
            ("red;blue", "--bands: 'red;blue' is not a band name"),
        ],
    )
    def test_bad(self, value: str, needle: str) -> None:
        with pytest.raises(OptionError, match=needle):
            parse_bands(value)


class TestPhaseWeeks:
    def test_pairs(self) -> None:
        assert parse_phase_weeks("activation=2, strength=4") == (
            PhaseLength(phase="activation", weeks=2),
            PhaseLength(phase="strength", weeks=4),
        )

    @pytest.mark.parametrize(
        ("value", "needle"),
        [
            ("activation", "'activation' is not PHASE=WEEKS"),
            ("activation=0", "'activation=0' is out of range; give each phase 1 to 52 weeks"),
            ("activation=two", "'activation=two' is not PHASE=WEEKS"),
            ("strength=2,strength=3", "'strength' is listed twice"),
        ],
    )
    def test_bad(self, value: str, needle: str) -> None:
        with pytest.raises(OptionError, match=f"--phase-weeks: {needle}"):
            parse_phase_weeks(value)


def test_build_options_defaults_follow_the_template() -> None:
    options = build_options(dt.date(2026, 12, 7), "mon,wed,fri")
    assert options.avoid == () and options.equipment is None and options.level == "beginner"
    assert options.units is None and options.loads == () and options.bands is None
    assert options.phase_weeks == ()


class TestDidYouMean:
    """A near miss in a known set is answered with the nearest known word."""

    @pytest.mark.parametrize(
        ("parse", "value", "needle"),
        [
            (parse_avoid, "kne", "--avoid: 'kne' is not a pain flag (did you mean 'knee'?)"),
            (parse_equipment, "bnd", "'bnd' is not known equipment (did you mean 'band'?)"),
            (parse_equipment, "band,dumbell", "(did you mean 'dumbbell'?)"),
            (parse_level, "beginer", "(did you mean 'beginner'?)"),
            (parse_bands, "yelow,red", "--bands: 'yelow' is not a band colour (did you mean"),
            (check_tz, "America/Chicgo", "(did you mean 'America/Chicago'?)"),
            (check_tz, "europe/berlin", "(did you mean 'Europe/Berlin'?)"),
            (check_color, "tael", "(did you mean 'teal'?)"),
        ],
    )
    def test_near_miss(self, parse: object, value: str, needle: str) -> None:
        with pytest.raises(OptionError, match=re.escape(needle)):
            parse(value)  # type: ignore[operator]

    def test_nothing_near_gives_no_guess(self) -> None:
        with pytest.raises(OptionError) as caught:
            parse_equipment("kettlebell")
        assert "did you mean" not in str(caught.value)

    def test_own_band_names_stay_allowed(self) -> None:
        # Only a slip for a colour is refused: a maker's own word or another colour is kept.
        assert parse_bands("x-heavy,purple,grey,gray") == ("x-heavy", "purple", "grey", "gray")
