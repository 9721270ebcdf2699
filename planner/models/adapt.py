"""Adapting a plan to the training log: the thresholds, and the adjustments a plan keeps.

Defaults follow domain-rules.md §1 (double progression, 2-for-2, RPE), §3 (session and weekly
rules), §4 (pain monitoring), §5 (reactive deload) and §6 (phase advancement). A template may
override any of them in an ``[adapt]`` table.
"""

from typing import Annotated, Literal

from pydantic import Field, PositiveInt, model_validator

from planner.models.common import EntryKey, Frozen, PlanText

Pain = Annotated[int, Field(ge=0, le=10)]


class AdaptSettings(Frozen):
    """Every threshold 'planner adapt' uses, with the documented defaults."""

    pain_safe: Pain = Field(2, description="Pain during at or below this allows progress.")
    pain_safe_if_settled: Pain = Field(
        3,
        description="Pain during at or below this allows progress if the next morning is "
        "no worse than the morning before.",
    )
    pain_max: Pain = Field(5, description="Pain during above this regresses the exercise.")
    red_flag_pain: Pain = Field(
        7, description="Pain during exercise at or above this is a red flag: a safety stop."
    )
    red_flag_morning_pain: Pain = Field(
        7, description="Morning pain at or above this is a red flag: a safety stop."
    )
    morning_pain_max: Pain = Field(
        5,
        description="Morning pain above this holds every progression for the week after it "
        "and keeps a phase from ending.",
    )
    clear_week_share: float = Field(
        1.0,
        ge=0.5,
        le=1,
        description="Share of a week's sessions that must be logged (all at low pain, no red "
        "flag) before a safety stop for red flags can be lifted.",
    )
    rpe_hold: float = Field(
        0.0, ge=0, le=3, description="Effort above the target RPE by more than this holds."
    )
    rpe_too_hard: float = Field(
        1.5, ge=0, le=4, description="Effort this far above the target counts as too hard."
    )
    short_too_hard: PositiveInt = Field(
        2, description="A set this many reps short (holds: 5 s a rep) counts as too hard."
    )
    sessions_to_progress: Annotated[int, Field(ge=1, le=4)] = Field(
        2, description="Sessions in a row done in full at low pain before moving up (2-for-2)."
    )
    regressions_to_substitute: Annotated[int, Field(ge=2, le=4)] = Field(
        2, description="Sessions in a row that needed a step back before swapping the exercise."
    )
    regressions_for_deload: Annotated[int, Field(ge=1, le=10)] = Field(
        2, description="Exercises stepping back in one week that trigger a reactive deload."
    )
    stalled_weeks_for_deload: Annotated[int, Field(ge=1, le=6)] = Field(
        2, description="Logged weeks in a row with no exercise moving up before a deload."
    )
    weekly_pain_margin: float = Field(
        0.0, ge=0, le=5, description="Weekly mean pain may rise this much before freezing."
    )
    min_adherence: float = Field(
        0.8, ge=0, le=1, description="Share of a phase's sessions logged to move on."
    )
    phase_end_pain: Pain = Field(
        2, description="Highest pain during in a phase's last week to move on."
    )
    max_extensions: Annotated[int, Field(ge=0, le=4)] = Field(
        2,
        description="Extra weeks a phase may get before a clinical review is advised; the "
        "next phase then waits for its goals or a clinician's go-ahead (planner clear).",
    )
    review_after_weeks: PositiveInt = Field(
        6, description="Weeks of logs after which pain that has not eased calls for review."
    )
    break_weeks: Annotated[int, Field(ge=1, le=12)] = Field(
        2,
        description="A pause (planner pause) of at least this many weeks makes the first week "
        "back repeat the last completed week's doses; twice as long, one step below them.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> "AdaptSettings":
        if not self.pain_safe <= self.pain_safe_if_settled <= self.pain_max < self.red_flag_pain:
            raise ValueError("need pain_safe <= pain_safe_if_settled <= pain_max < red_flag_pain")
        if not self.morning_pain_max < self.red_flag_morning_pain:
            raise ValueError("need morning_pain_max < red_flag_morning_pain")
        return self


AdjustKind = Literal[
    "progress", "hold", "regress", "substitute", "deload", "extend", "stop", "resume", "review"
]

# Adjustments about one exercise entry of a phase; the others concern the whole plan from
# their week on.
ENTRY_KINDS: tuple[AdjustKind, ...] = ("progress", "hold", "regress", "substitute")


class Adjustment(Frozen):
    """One change 'planner adapt' made, from plan week 'week' on, and the rule behind it.

    'phase' and 'slot' name the exercise entry it is about ('slot' is an index, not a
    session name like 'W3S2': see its description); 'exercise' the exercise it was about
    and 'chosen' the stand-in of a substitution. On a 'regress' or 'hold', 'sets',
    'count' (reps or steps), 'seconds', 'load' and 'band' are the most the entry may
    ask for that week: what the person last did (never more than was prescribed). The entry
    goes to at most that, a step below it on a 'regress', and climbs again from there.
    """

    week: PositiveInt
    kind: AdjustKind
    phase: PlanText | None = None
    # The field keeps its name because saved revisions and plan JSON files carry it; in the
    # code the index is the entry's (see EntryKey), and "slot" alone means a session name.
    slot: Annotated[int, Field(ge=0)] | None = Field(
        None,
        description="For an exercise adjustment: the index (0-based) of the exercise entry "
        "in its phase, the same place in every session of the phase. Not a session name "
        "such as W3S2 (that is a session's slot).",
    )
    exercise: PlanText | None = None
    chosen: PlanText | None = None
    sets: Annotated[int, Field(ge=1)] | None = None
    count: Annotated[int, Field(ge=1)] | None = None
    seconds: Annotated[int, Field(ge=1)] | None = None
    load: Annotated[float, Field(gt=0)] | None = None
    band: PlanText | None = None
    rule: PlanText
    reason: PlanText

    @property
    def key(self) -> EntryKey | None:
        """The exercise entry (phase, index) of an exercise adjustment, else None."""
        if self.phase is None or self.slot is None:
            return None
        return (self.phase, self.slot)
