"""The shared "did you mean" hint."""

from planner.suggest import close_matches, did_you_mean


def test_near_word_is_suggested_in_the_known_spelling() -> None:
    assert did_you_mean("europe/berln", ["Europe/Berlin", "Asia/Tokyo"]) == (
        " (did you mean 'Europe/Berlin'?)"
    )


def test_several_near_words_are_listed_best_first() -> None:
    assert close_matches("band", ["bands", "bench", "bend", "none"])[0] in {"bands", "bend"}
    hint = did_you_mean("bnd", ["band", "bend", "bond"])
    assert hint.startswith(" (did you mean '") and " or '" in hint


def test_nothing_near_gives_no_hint() -> None:
    assert did_you_mean("xyzzy", ["band", "dumbbell"]) == ""
