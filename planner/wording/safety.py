"""The pain rule and red flags every plan carries, in the project's own words.

The words are built from the plan's own thresholds (its template's ``[adapt]`` table), so
what they say is what ``planner adapt`` and the safety state do: the pain-monitoring model
(Silbernagel 2007; MyKneeCap, La Trobe University) and the red flags of the knee-pain
guidelines (Collins 2018; Willy 2019).
"""

from planner.models.adapt import AdaptSettings

NO_PROMISE = (
    "This plan is general exercise guidance, not a diagnosis or a cure; "
    "a clinician who has examined you knows better."
)


def _settled(s: AdaptSettings) -> str:
    if s.pain_safe_if_settled <= s.pain_safe:
        return ""
    return (
        f" ({s.pain_safe_if_settled}/10 counts as fine when the next morning is no worse than "
        "the morning before)"
    )


def pain_rule(s: AdaptSettings) -> str:
    """The pain rule as ``planner adapt`` applies it to what the person logs."""
    return (
        "Pain rule (0 = none, 10 = worst imaginable), as the planner applies it when you log: "
        f"0-{s.pain_safe} during an exercise is fine; once you have done the dose in full at "
        f"the target effort {s.sessions_to_progress} sessions in a row, it moves up a step. "
        f"{s.pain_safe + 1}-{s.pain_max} is acceptable, but the dose stays where it is until "
        f"the pain settles{_settled(s)}. "
        f"Above {s.pain_max}, or a morning worse than the one before and above "
        f"{s.pain_safe}/10: stop that exercise for today; from the next week the planner "
        "decides it is a step easier (less load, a "
        "lighter band, fewer reps or one set fewer), and after "
        f"{s.regressions_to_substitute} sessions in a row in which that exercise itself hurt "
        "it is swapped for one that is no harder (an easier one where there is one; never "
        "while a safety stop for red flags stands). Morning pain above "
        f"{s.morning_pain_max} holds every exercise where it is."
    )


def clean_week_words(s: AdaptSettings, week: str = "a week") -> str:
    """What ``week`` must be to lift a pause for red flags, in words."""
    sessions = (
        "every session"
        if s.clear_week_share >= 1
        else f"at least {s.clear_week_share:.0%} of the sessions"
    )
    return (
        f"every exercise of {sessions} of {week} at pain {s.pain_safe}/10 or less, with no "
        f"red flag and no morning above {s.morning_pain_max}/10"
    )


def red_flag_rule(s: AdaptSettings) -> str:
    """The red flags, and what the planner does once one is logged."""
    return (
        "Red flags: swelling, a knee that locks or gives way, pain at night or at rest, pain "
        f"of {s.red_flag_pain}/10 or more during exercise or {s.red_flag_morning_pain}/10 or "
        f"more in the morning, or pain that has not eased after about {s.review_after_weeks} "
        "weeks. If you notice one, stop pushing on and see a doctor or physiotherapist, and "
        "log it (planner log or planner checkin). The planner then makes a safety stop: nothing "
        "gets harder and no new phase starts until you have logged "
        f"{clean_week_words(s, 'a week that starts after the latest red flag')} and, after "
        "swelling, locking, giving way, night or rest "
        "pain, recorded the clinician's go-ahead with planner clear."
    )


def pain_rule_short(s: AdaptSettings) -> str:
    """The pain rule in one line, for the foot of a printed week."""
    return (
        f"Pain: 0-{s.pain_safe} fine; {s.pain_safe + 1}-{s.pain_max} the dose stays until it "
        f"settles; above {s.pain_max} stop that exercise today; {s.red_flag_pain}+ or any "
        "red flag: see a clinician, the plan makes a safety stop."
    )
