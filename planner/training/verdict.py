"""Judge one logged exercise against its prescription (pure): ready to move up, hold,
too hard, or step back. Rules: double progression and effort (ACSM 2009, Zourdos 2016), and
the pain-monitoring model (Silbernagel 2007, MyKneeCap): pain during, next-morning pain,
form.
"""

import math
from dataclasses import dataclass
from typing import Literal

from planner.models.adapt import AdaptSettings
from planner.models.common import DEFAULT_BANDS
from planner.models.log import LogEntry
from planner.models.plan import Prescription
from planner.training.logbook import amount_of
from planner.wording.plan import fmt_number

VerdictKind = Literal["ready", "hold", "hard", "regress"]

# Hold time counts in 5 s steps against the "reps short" thresholds (hold rules step by 5 s).
_SECONDS_PER_REP = 5


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one logged exercise says about the next step, and why (for the person)."""

    kind: VerdictKind
    reason: str
    rule: str
    red_flag: bool = False
    morning_rose: bool = False
    lighter: bool = False


@dataclass(frozen=True, slots=True)
class Mornings:
    """Morning pain before the session (the baseline) and the morning after, if known."""

    before: int | None = None
    after: int | None = None

    @property
    def rose(self) -> bool:
        """Whether the next morning was worse than the morning before."""
        return self.before is not None and self.after is not None and self.after > self.before

    @property
    def settled(self) -> bool:
        """Whether the next morning was known and no worse than the baseline."""
        return self.before is not None and self.after is not None and self.after <= self.before


def _shortfall(rx: Prescription, entry: LogEntry) -> tuple[int, int]:
    """(largest shortfall in any set, in reps; sets missing)."""
    target = amount_of(rx)
    per = _SECONDS_PER_REP if rx.seconds is not None else 1
    short = max((max(0, target - n) for n in entry.done), default=0)
    return math.ceil(short / per), max(0, rx.sets - len(entry.done))


def _lighter(rx: Prescription, entry: LogEntry, ladder: tuple[str, ...]) -> str:
    if rx.load is not None and entry.load is not None and entry.load < rx.load:
        return f"used {fmt_number(entry.load)} {entry.unit} instead of {fmt_number(rx.load)}"
    if rx.band and entry.band and entry.band != rx.band:
        order = ladder if rx.band in ladder and entry.band in ladder else DEFAULT_BANDS
        if (
            entry.band in order
            and rx.band in order
            and order.index(entry.band) < order.index(rx.band)
        ):
            return f"used the {entry.band} band instead of {rx.band}"
    return ""


def judge(
    rx: Prescription,
    entry: LogEntry,
    target_rpe: float,
    mornings: Mornings,
    settings: AdaptSettings,
    ladder: tuple[str, ...] = DEFAULT_BANDS,
) -> Verdict:
    """The verdict on one logged exercise; the first rule that applies wins, worst first."""
    s = settings
    slot = entry.slot
    flag = entry.pain >= s.red_flag_pain
    if entry.pain > s.pain_max:
        return Verdict(
            "regress",
            f"pain {entry.pain}/10 during {slot}",
            f"pain above {s.pain_max}/10 during: step back",
            red_flag=flag,
        )
    # A morning worse than the one before counts once it is above the safe band: 1 -> 2 is
    # within what a 0-10 scale wobbles by, 2 -> 3 is not.
    if mornings.rose and (mornings.after or 0) > s.pain_safe:
        return Verdict(
            "regress",
            f"morning pain rose from {mornings.before} to {mornings.after} after {slot}",
            "next morning worse than the morning before: step back",
            morning_rose=True,
        )
    if entry.form_broke:
        return Verdict("regress", f"form broke down in {slot}", "form broke: step back")
    short, missing = _shortfall(rx, entry)
    effort = entry.rpe
    if missing or short >= s.short_too_hard:
        what = f"{missing} set(s) missing" if missing else f"a set {short} short"
        return Verdict("hard", f"{what} in {slot}", "well short of the dose: hold")
    if effort is not None and effort >= target_rpe + s.rpe_too_hard:
        return Verdict(
            "hard",
            f"effort {fmt_number(effort)} in {slot} (target {fmt_number(target_rpe)})",
            "effort well above target: hold",
        )
    if mornings.rose:
        # Within the safe band a worse morning is no reason to step back, but the words
        # promise the next morning is no worse before a dose rises: hold.
        return Verdict(
            "hold",
            f"morning pain rose from {mornings.before} to {mornings.after} after {slot}",
            "next morning a little worse than the morning before: hold",
        )
    if short:
        return Verdict("hold", f"a set {short} short in {slot}", "reps short: hold")
    if effort is not None and effort > target_rpe + s.rpe_hold:
        return Verdict(
            "hold",
            f"effort {fmt_number(effort)} in {slot} (target {fmt_number(target_rpe)})",
            "effort above target: hold",
        )
    if entry.pain > s.pain_safe and not (entry.pain <= s.pain_safe_if_settled and mornings.settled):
        return Verdict(
            "hold",
            f"pain {entry.pain}/10 during {slot}",
            f"pain {s.pain_safe + 1}-{s.pain_max}/10: hold until it settles",
        )
    lighter = _lighter(rx, entry, ladder)
    if lighter:
        return Verdict(
            "hold", f"{lighter} in {slot}", "lighter than prescribed: go on from that", lighter=True
        )
    return Verdict("ready", f"{slot} done in full at pain {entry.pain}/10", "ready")
