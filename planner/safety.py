"""The pain rule and red flags every plan carries, in the project's own words.

Thresholds: domain-rules.md §3 and §4 (pain-monitoring model, MyKneeCap, Silbernagel).
"""

PAIN_RULE = (
    "Pain rule (0 = none, 10 = worst imaginable): "
    "0-2 during exercise is fine, carry on. "
    "3-5 is acceptable if it has settled back to your usual level by the next morning; "
    "if it has not, repeat this week's dose instead of moving on. "
    "Above 5: stop that exercise today and use the easier option next time."
)

RED_FLAGS = (
    "See a doctor or physiotherapist before training on if you notice swelling, "
    "a knee that locks or gives way, pain at night or at rest, pain of 7/10 or more, "
    "or no improvement after about six weeks."
)

NO_PROMISE = (
    "This plan is general exercise guidance, not a diagnosis or a cure; "
    "a clinician who has examined you knows better."
)

PAIN_RULE_SHORT = "Pain: 0-2 fine, 3-5 only if settled by next morning, above 5 stop."
