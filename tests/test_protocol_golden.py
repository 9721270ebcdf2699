"""A physiotherapist's protocol written as one template with every authoring key (training
days, week-by-week chains, an exercise pin, a superset, tempo, notes, a combined move, own
exercises inline and from a file, written loads and a gentler weekly rise) gives exactly the
table it was written from, and the same bytes every time (golden .ics and JSON)."""

import datetime as dt
import os
from pathlib import Path

import pytest

from planner.cli.views import dose_text
from planner.exporters.ics import plan_to_ics
from planner.models import Plan
from planner.models.plan import PlanOptions, StartLoad
from planner.plan.generate import generate
from planner.templates import base_library, load_program
from tests.conftest import GOLDEN, STAMP

PROTOCOL = Path(__file__).parent / "data" / "knee-protocol.toml"

# The protocol as a physiotherapist would hand it out: slot, day, then each exercise with
# its dose. Written by hand from the template, not from the planner's output.
TABLE = {
    "W1S1": ("A", ["Clamshell 2 x 12 per side",
                   "Side plank on the knees with top-leg lift 2 x 20 s per side"]),
    "W1S2": ("B", ["Glute bridge 2 x 10", "Wall-sit hold (shallow) 3 x 20 s"]),
    "W2S1": ("A", ["Hip hike 2 x 10 per side",
                   "Side plank on the knees with top-leg lift 2 x 25 s per side"]),
    "W2S2": ("B", ["Isometric bridge hold 3 x 20 s", "Wall-sit hold (shallow) 3 x 30 s"]),
    "W3S1": ("A", ["Monster walk 2 x 10 steps each way @ yellow band",
                   "Hip hike 3 x 10 per side"]),
    "W3S2": ("B", ["Hip thrust 3 x 8 @ 40 kg", "Step-down 3 x 8 per side"]),
    "W4S1": ("A", ["Monster walk 2 x 12 steps each way @ yellow band",
                   "Hip hike 3 x 10 per side"]),
    "W4S2": ("B", ["Hip thrust 3 x 9 @ 40 kg", "Step-down 3 x 9 per side"]),
    "W5S1": ("A", ["Lateral band walk (crab walk) 3 x 12 steps each way @ red band"]),
    "W5S2": ("B", ["Hip thrust 3 x 10 @ 40 kg", "Step-down 3 x 10 per side"]),
    "W6S1": ("A", ["Lateral band walk (crab walk) 3 x 12 steps each way @ red band"]),
    "W6S2": ("B", ["Hip thrust 3 x 8 @ 50 kg", "Step-down 3 x 11 per side"]),
}  # fmt: skip


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_program(str(PROTOCOL), base_library())
    options = PlanOptions(start=dt.date(2027, 1, 4), days=("mon", "thu"))
    return generate(loaded.slug, loaded.program, loaded.library.by_id(), options)


def test_the_plan_is_the_table_it_was_written_from(plan: Plan) -> None:
    got = {
        s.slot: (s.day, [f"{rx.name} {dose_text(rx)}" for rx in s.exercises]) for s in plan.sessions
    }
    assert got == TABLE


def test_the_words_ride_with_their_exercises(plan: Plan) -> None:
    by_slot = {s.slot: s for s in plan.sessions}
    clamshell = by_slot["W1S1"].exercises[0]
    assert clamshell.tempo is not None and clamshell.tempo.notation() == "2-1-2"
    hold = by_slot["W2S2"].exercises[0]
    assert hold.pinned and hold.note == "Hold at the top instead this week."
    assert [rx.group for rx in by_slot["W3S1"].exercises] == ["S1", "S1"]
    test_week = by_slot["W6S2"].exercises[0]
    # The author's load for the test week, with the author's note and no planner note
    # saying the load was held.
    assert (test_week.load, test_week.note, test_week.notes) == (
        50,
        "Test week: the author's load.",
        (),
    )


@pytest.mark.parametrize("kind", ["ics", "json"])
def test_golden(plan: Plan, kind: str) -> None:
    data = (
        plan_to_ics(plan, STAMP).data if kind == "ics" else plan.model_dump_json(indent=2).encode()
    )
    path = GOLDEN / f"knee-protocol.{kind}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{path} differs; regenerate with UPDATE_GOLDEN=1 on purpose"


def test_templates_show_lists_what_the_author_wrote() -> None:
    from tests.helpers import run

    code, out, err = run("templates", "show", PROTOCOL)
    assert code == 0, err
    for words in (
        "Loads go up at most 5% a week.",
        "training days, in turn: A, B",
        "day A, weeks 1, 2, group S1",
        "week 2 as written: Isometric bridge hold 3 x 20 s",
        "week 4 as written: 8 @ 50 kg",
        "reps 8-10, then +2.5 kg load",
        "Side plank on the knees with top-leg lift (Side plank on the knees)",
    ):
        assert words in out, words


def test_a_pinned_load_gives_way_to_the_persons_own() -> None:
    """The template writes 50 kg for the hip thrust's test week, meant for its own 40 kg
    start; a person who set 60 kg goes on by the planner's steps from theirs."""
    loaded = load_program(str(PROTOCOL), base_library())
    options = PlanOptions(
        start=dt.date(2027, 1, 4),
        days=("mon", "thu"),
        loads=(StartLoad(exercise="hip-thrust", value=60, unit="kg"),),
    )
    plan = generate(loaded.slug, loaded.program, loaded.library.by_id(), options)
    loads = [rx.load for s in plan.sessions for rx in s.exercises if rx.exercise == "hip-thrust"]
    assert loads[:3] == [60, 60, 60] and loads[3] is not None and 60 <= loads[3] <= 63


def test_a_pins_words_stay_with_its_exercise() -> None:
    """The bridge hurts in week 1, so week 2 keeps the bridge (a step back) instead of the
    hold the template puts in: the hold's note is not printed on the bridge."""
    from tests.test_adapt import Scenario, after_week

    loaded = load_program(str(PROTOCOL), base_library())
    s = Scenario(loaded.library, loaded, weeks=None, phase_weeks=(), days=("mon", "thu"))
    s.week(1, pain=1)
    s.log("W1S2", "glute-bridge", pain=6)
    s.adapt(after_week(1))
    bridge = s.rx("W2S2", "glute-bridge")
    assert bridge.note is None and bridge.tempo is not None  # its own tempo, not the pin's
