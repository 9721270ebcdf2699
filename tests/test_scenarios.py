"""The seed situations end to end through the CLI: the person's flags and kit in, the
plan's exercises, doses, cues and explanations out (domain-rules.md §7 and §8)."""

import json
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar

from planner.models import Plan
from planner.models.adapt import AdaptSettings
from planner.templates import load_library
from planner.wording.safety import pain_rule, red_flag_rule
from tests.helpers import run

PAIN_RULE = pain_rule(AdaptSettings())
RED_FLAG_WORDS = red_flag_rule(AdaptSettings())

LIBRARY = load_library().by_id()


@dataclass
class Outcome:
    stdout: str
    plan: Plan
    calendar_text: str
    session_texts: dict[str, str]

    def ids(self, phase: str | None = None) -> set[str]:
        return {
            rx.exercise
            for s in self.plan.sessions
            if phase is None or s.phase == phase
            for rx in s.exercises
        }

    def doses(self, exercise: str, phase: str) -> list[tuple[int, int | None]]:
        """(sets, reps) of ``exercise`` in the first session of each week of ``phase``."""
        out = []
        for s in self.plan.sessions:
            if s.phase == phase and s.index == 1:
                rx = next(r for r in s.exercises if r.exercise == exercise)
                out.append((rx.sets, rx.reps))
        return out


def plan_for(tmp_path: Path, template: str, *options: str) -> Outcome:
    ics, plan_json = tmp_path / "plan.ics", tmp_path / "plan.json"
    code, out, err = run(
        "generate",
        template,
        "--start",
        "2026-12-07",
        "--days",
        "mon,wed,fri",
        *options,
        "--explain",
        "--out",
        ics,
        "--json",
        plan_json,
    )
    assert code == 0, err
    plan = Plan.model_validate(json.loads(plan_json.read_text()))
    cal = Calendar.from_ical(ics.read_bytes())
    # UIDs end in the slot: <plan id>-w3s1@planner.
    sessions = {
        str(e["UID"]).split("@")[0].rsplit("-", 1)[1].upper(): str(e["DESCRIPTION"])
        for e in cal.walk("VEVENT")
    }
    return Outcome(out, plan, str(cal["DESCRIPTION"]), sessions)


def provoking(outcome: Outcome, flag: str) -> set[str]:
    everything = outcome.ids() | {rx.exercise for rx in outcome.plan.warmup.exercises}
    return {i for i in everything if flag in LIBRARY[i].provokes}


def assert_safety_text_everywhere(outcome: Outcome) -> None:
    for text in (outcome.calendar_text, *outcome.session_texts.values()):
        assert PAIN_RULE in text and RED_FLAG_WORDS in text


def test_knee_pain_with_hip_thrusts(tmp_path: Path) -> None:
    got = plan_for(tmp_path, "hip-knee", "--avoid", "knee")
    assert provoking(got, "knee") == set()
    assert not {"hip-thrust", "lateral-band-walk", "step-up"} & got.ids()
    # The thrust slot becomes a floor bridge with the slot's sets and reps, climbing to the
    # top of the thrust's rep range; week 5 is the planned deload.
    assert got.doses("glute-bridge", "strength") == [(3, 10), (3, 11), (2, 8)]
    assert got.doses("glute-bridge", "functional") == [(3, 8), (3, 10), (3, 12)]
    # Side-hip work stays, the band walk becomes standing band abduction, knee work stays.
    assert {"clamshell", "side-lying-hip-abduction"} <= got.ids("activation")
    assert "standing-band-abduction" in got.ids("strength")
    assert {"wall-sit", "wall-squat", "step-down"} <= got.ids()
    bridge = next(r for s in got.plan.sessions if s.phase == "strength" for r in s.exercises)
    assert bridge.cue == LIBRARY["glute-bridge"].cue_for["knee"]
    assert (
        "- [strength] Glute bridge replaces Hip thrust, which can aggravate the knee "
        "(--avoid knee); chosen as the library's alternative for the knee." in got.stdout
    )
    week3 = got.session_texts["W3S1"]
    assert "In place of Hip thrust, which can aggravate the knee (--avoid knee)." in week3
    assert "Tailored for you: avoiding strain on knee." in week3
    assert "Changes made for you:" in got.calendar_text
    assert_safety_text_everywhere(got)


def test_back_pain(tmp_path: Path) -> None:
    got = plan_for(tmp_path, "glute-back-safe", "--avoid", "back")
    assert provoking(got, "back") == set()
    # Floor bridge instead of the bench thrust; hinge technique instead of loaded hinges.
    assert got.doses("glute-bridge", "strength")[0] == (3, 8)
    assert "hip-hinge-drill" in got.ids("strength")
    assert "prone-hip-extension" in got.ids("functional")
    assert "side-plank-knees" in got.ids("strength")
    assert all(rx.load is None for s in got.plan.sessions for rx in s.exercises)
    for exercise in ("glute-bridge", "plank", "hip-hinge-drill", "side-plank-knees"):
        rx = next(r for s in got.plan.sessions for r in s.exercises if r.exercise == exercise)
        assert rx.cue == LIBRARY[exercise].cue_for["back"]
        assert "Cue chosen first with the lower back in mind." in rx.notes
    assert "Hip hinge drill replaces Romanian deadlift, which can aggravate the lower back" in (
        got.stdout
    )
    assert_safety_text_everywhere(got)


def test_hamstrings_taking_over(tmp_path: Path) -> None:
    got = plan_for(tmp_path, "glute-not-hamstrings", "--avoid", "hamstring")
    assert provoking(got, "hamstring") == set()
    assert not {"glute-bridge", "single-leg-glute-bridge"} & got.ids()
    # The single-leg bridge slot becomes a banded bridge; feet-closer cue first everywhere.
    assert "banded-glute-bridge" in got.ids("functional")
    feet_closer = LIBRARY["banded-glute-bridge"].cue_for["hamstring"]
    bridges = [
        r for s in got.plan.sessions for r in s.exercises if r.exercise == "banded-glute-bridge"
    ]
    assert bridges and all(r.cue == feet_closer for r in bridges)
    assert feet_closer in got.session_texts["W1S1"]
    assert_safety_text_everywhere(got)


def test_runner_with_only_a_band(tmp_path: Path) -> None:
    got = plan_for(tmp_path, "runner-knee", "--equipment", "band", "--bands", "yellow,red,green")
    # Every exercise of the four-exercise plan already fits: nothing is swapped.
    assert "substitute" not in {d.kind for d in got.plan.decisions}
    assert {"clamshell", "side-lying-hip-abduction", "glute-bridge", "lateral-band-walk"} <= (
        got.ids()
    )
    assert all(set(LIBRARY[i].equipment) <= {"band"} for i in got.ids())
    bands = {rx.band for s in got.plan.sessions for rx in s.exercises if rx.band}
    assert bands <= {"yellow", "red", "green"} and "yellow" in bands
    assert (
        "Tailored for you: equipment: band; your bands: yellow, red, green."
        in (got.session_texts["W1S1"])
    )


def test_runner_with_only_a_band_on_the_staged_plan(tmp_path: Path) -> None:
    got = plan_for(tmp_path, "hip-knee", "--equipment", "band")
    assert all(set(LIBRARY[i].equipment) <= {"band"} for i in got.ids())
    assert all(rx.load is None for s in got.plan.sessions for rx in s.exercises)
    assert "glute-bridge" in got.ids("strength") and "hip-thrust" not in got.ids()
    assert {"wall-squat", "wall-sit"} <= got.ids()
    assert "which needs bench and barbell (--equipment band)" in got.stdout
