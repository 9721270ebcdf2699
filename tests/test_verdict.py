"""judge: one logged exercise against its prescription, rule by rule and at each threshold."""

import pytest

from planner.models.adapt import AdaptSettings
from planner.models.log import LogEntry
from planner.models.plan import Prescription
from planner.training.verdict import Mornings, Verdict, judge
from tests.doses import entry, rx

DEFAULTS = AdaptSettings()  # pain_safe 2, if settled 3, max 5, red flag 7; rpe +0 / +1.5
TARGET = 7.0  # the session's target effort (the high end of its RPE range)


def verdict(
    logged: LogEntry,
    prescription: Prescription | None = None,
    mornings: Mornings = Mornings(),  # noqa: B008 - frozen, never mutated
    settings: AdaptSettings = DEFAULTS,
    ladder: tuple[str, ...] | None = None,
) -> Verdict:
    prescription = prescription or rx()
    if ladder is None:
        return judge(prescription, logged, TARGET, mornings, settings)
    return judge(prescription, logged, TARGET, mornings, settings, ladder)


class TestReady:
    def test_full_dose_at_low_pain_is_ready(self) -> None:
        got = verdict(entry(pain=1))
        assert (got.kind, got.rule) == ("ready", "ready")
        assert got.reason == "W1S1 done in full at pain 1/10"
        assert not (got.red_flag or got.morning_rose or got.lighter)

    def test_more_than_asked_is_ready(self) -> None:
        assert verdict(entry(12, 12, 12, 12)).kind == "ready"

    def test_pain_exactly_at_the_safe_limit_is_ready(self) -> None:
        assert verdict(entry(pain=DEFAULTS.pain_safe)).kind == "ready"


class TestPainDuring:
    def test_pain_above_the_maximum_steps_back(self) -> None:
        got = verdict(entry(pain=DEFAULTS.pain_max + 1))
        assert (got.kind, got.reason) == ("regress", "pain 6/10 during W1S1")
        assert got.rule == "pain above 5/10 during: step back"
        assert not got.red_flag

    def test_pain_exactly_at_the_maximum_holds(self) -> None:
        got = verdict(entry(pain=DEFAULTS.pain_max))
        assert (got.kind, got.rule) == ("hold", "pain 3-5/10: hold until it settles")

    def test_pain_just_below_the_red_flag_is_no_red_flag(self) -> None:
        assert not verdict(entry(pain=DEFAULTS.red_flag_pain - 1)).red_flag

    def test_pain_exactly_at_the_red_flag_is_one(self) -> None:
        got = verdict(entry(pain=DEFAULTS.red_flag_pain))
        assert got.kind == "regress" and got.red_flag

    def test_pain_just_above_safe_holds_without_a_known_morning(self) -> None:
        assert verdict(entry(pain=DEFAULTS.pain_safe + 1)).kind == "hold"

    def test_pain_up_to_the_settled_limit_is_ready_when_the_morning_settled(self) -> None:
        settled = Mornings(before=2, after=2)
        got = verdict(entry(pain=DEFAULTS.pain_safe_if_settled), mornings=settled)
        assert got.kind == "ready"

    def test_pain_above_the_settled_limit_holds_even_when_the_morning_settled(self) -> None:
        settled = Mornings(before=2, after=1)
        got = verdict(entry(pain=DEFAULTS.pain_safe_if_settled + 1), mornings=settled)
        assert got.kind == "hold"

    def test_a_small_morning_rise_is_not_settled(self) -> None:
        # 1 -> 2 does not step back, but it is no settled morning either.
        got = verdict(entry(pain=DEFAULTS.pain_safe_if_settled), mornings=Mornings(1, 2))
        assert got.kind == "hold"

    def test_the_thresholds_come_from_the_settings(self) -> None:
        strict = AdaptSettings(pain_safe=0, pain_safe_if_settled=0, pain_max=1)
        assert verdict(entry(pain=1), settings=strict).kind == "hold"
        assert verdict(entry(pain=2), settings=strict).kind == "regress"


class TestMornings:
    def test_rose_needs_both_mornings(self) -> None:
        assert not Mornings(before=None, after=5).rose
        assert not Mornings(before=1, after=None).rose
        assert Mornings(before=1, after=2).rose

    def test_settled_needs_both_mornings_and_no_rise(self) -> None:
        assert Mornings(before=3, after=3).settled
        assert not Mornings(before=3, after=None).settled
        assert not Mornings(before=2, after=3).settled

    def test_a_rise_above_the_safe_band_steps_back(self) -> None:
        got = verdict(entry(), mornings=Mornings(before=2, after=3))
        assert (got.kind, got.morning_rose) == ("regress", True)
        assert got.reason == "morning pain rose from 2 to 3 after W1S1"

    def test_a_rise_within_the_safe_band_holds_without_stepping_back(self) -> None:
        # The words promise the next morning is no worse before a dose rises.
        got = verdict(entry(), mornings=Mornings(before=1, after=DEFAULTS.pain_safe))
        assert (got.kind, got.morning_rose) == ("hold", False)
        assert got.reason == f"morning pain rose from 1 to {DEFAULTS.pain_safe} after W1S1"

    def test_a_high_but_unchanged_morning_does_not(self) -> None:
        assert verdict(entry(), mornings=Mornings(before=4, after=4)).kind == "ready"

    def test_pain_during_wins_over_a_worse_morning(self) -> None:
        got = verdict(entry(pain=6), mornings=Mornings(before=2, after=5))
        assert got.kind == "regress" and not got.morning_rose


class TestForm:
    def test_broken_form_steps_back(self) -> None:
        got = verdict(entry(form_broke=True))
        assert (got.kind, got.rule) == ("regress", "form broke: step back")

    def test_broken_form_wins_over_a_short_set(self) -> None:
        assert verdict(entry(5, 5, form_broke=True)).kind == "regress"

    def test_a_worse_morning_wins_over_broken_form(self) -> None:
        got = verdict(entry(form_broke=True), mornings=Mornings(before=3, after=4))
        assert got.morning_rose


class TestShortSets:
    def test_a_missing_set_is_too_hard(self) -> None:
        got = verdict(entry(10, 10))
        assert (got.kind, got.reason) == ("hard", "1 set(s) missing in W1S1")
        assert got.rule == "well short of the dose: hold"

    def test_a_set_short_by_the_too_hard_margin_is_too_hard(self) -> None:
        got = verdict(entry(10, 10, 10 - DEFAULTS.short_too_hard))
        assert (got.kind, got.reason) == ("hard", "a set 2 short in W1S1")

    def test_a_set_one_short_holds(self) -> None:
        got = verdict(entry(10, 9, 10))
        assert (got.kind, got.reason, got.rule) == (
            "hold",
            "a set 1 short in W1S1",
            "reps short: hold",
        )

    def test_the_worst_set_counts(self) -> None:
        assert verdict(entry(12, 12, 7)).kind == "hard"

    def test_holds_count_five_seconds_as_one_rep(self) -> None:
        hold = rx(reps=None, seconds=30)
        assert verdict(entry(30, 30, 30), hold).kind == "ready"
        assert verdict(entry(30, 30, 29), hold).reason == "a set 1 short in W1S1"
        assert verdict(entry(30, 30, 25), hold).kind == "hold"
        assert verdict(entry(30, 30, 24), hold).kind == "hard"  # 6 s: rounds up to 2

    def test_steps_count_one_for_one(self) -> None:
        walk = rx(reps=None, steps=15)
        assert verdict(entry(15, 14, 15), walk).kind == "hold"
        assert verdict(entry(15, 13, 15), walk).kind == "hard"


class TestEffort:
    def test_effort_at_the_target_is_ready(self) -> None:
        assert verdict(entry(rpe=TARGET)).kind == "ready"

    def test_effort_above_the_target_holds(self) -> None:
        got = verdict(entry(rpe=TARGET + 0.5))
        assert (got.kind, got.rule) == ("hold", "effort above target: hold")
        assert got.reason == "effort 7.5 in W1S1 (target 7)"

    def test_effort_just_below_the_too_hard_margin_holds(self) -> None:
        assert verdict(entry(rpe=TARGET + DEFAULTS.rpe_too_hard - 0.1)).kind == "hold"

    def test_effort_exactly_at_the_too_hard_margin_is_too_hard(self) -> None:
        got = verdict(entry(rpe=TARGET + DEFAULTS.rpe_too_hard))
        assert (got.kind, got.rule) == ("hard", "effort well above target: hold")

    def test_the_hold_margin_comes_from_the_settings(self) -> None:
        lenient = AdaptSettings(rpe_hold=1.0)
        assert verdict(entry(rpe=TARGET + 1), settings=lenient).kind == "ready"
        assert verdict(entry(rpe=TARGET + 1.1), settings=lenient).kind == "hold"

    def test_no_effort_logged_is_no_reason_to_hold(self) -> None:
        assert verdict(entry(rpe=None)).kind == "ready"

    def test_too_hard_effort_wins_over_a_set_one_short(self) -> None:
        assert verdict(entry(10, 9, 10, rpe=TARGET + 2)).kind == "hard"


class TestLighter:
    def test_a_lighter_load_holds_at_what_was_used(self) -> None:
        got = verdict(entry(load=8, unit="kg"), rx(load=10, unit="kg"))
        assert (got.kind, got.lighter) == ("hold", True)
        assert got.reason == "used 8 kg instead of 10 in W1S1"
        assert got.rule == "lighter than prescribed: go on from that"

    def test_a_heavier_load_is_ready(self) -> None:
        assert verdict(entry(load=12.5, unit="kg"), rx(load=10, unit="kg")).kind == "ready"

    def test_no_load_logged_is_taken_as_prescribed(self) -> None:
        assert verdict(entry(), rx(load=10, unit="kg")).kind == "ready"

    def test_a_load_without_one_prescribed_is_ready(self) -> None:
        assert verdict(entry(load=5, unit="kg")).kind == "ready"

    def test_a_lighter_band_holds(self) -> None:
        got = verdict(entry(band="yellow"), rx(band="red"))
        assert got.lighter and got.reason == "used the yellow band instead of red in W1S1"

    def test_a_heavier_band_is_ready(self) -> None:
        assert verdict(entry(band="green"), rx(band="red")).kind == "ready"

    def test_no_band_logged_is_taken_as_prescribed(self) -> None:
        assert verdict(entry(), rx(band="red")).kind == "ready"

    def test_a_band_off_the_ladder_is_not_called_lighter(self) -> None:
        assert verdict(entry(band="purple"), rx(band="red")).kind == "ready"

    def test_the_plans_own_ladder_orders_the_bands(self) -> None:
        ladder = ("red", "yellow")  # the person's bands: red is the light one
        assert verdict(entry(band="yellow"), rx(band="red"), ladder=ladder).kind == "ready"
        assert verdict(entry(band="red"), rx(band="yellow"), ladder=ladder).lighter

    def test_the_default_ladder_when_a_band_is_not_on_the_plans(self) -> None:
        ladder = ("light", "heavy")
        assert verdict(entry(band="yellow"), rx(band="red"), ladder=ladder).lighter

    def test_a_short_set_wins_over_a_lighter_load(self) -> None:
        got = verdict(entry(10, 10, 9, load=8, unit="kg"), rx(load=10, unit="kg"))
        assert got.rule == "reps short: hold" and not got.lighter


class TestOrder:
    @pytest.mark.parametrize(
        ("logged", "kind"),
        [
            (entry(pain=6, form_broke=True), "regress"),
            (entry(10, 10, form_broke=True), "regress"),
            (entry(10, 10, rpe=9.5), "hard"),
            (entry(10, 10, 8, rpe=7.5, pain=4), "hard"),
            (entry(10, 10, 10, rpe=7.5, pain=4), "hold"),
        ],
    )
    def test_the_worst_rule_wins(self, logged: LogEntry, kind: str) -> None:
        assert verdict(logged).kind == kind
