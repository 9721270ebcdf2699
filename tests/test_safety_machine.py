"""A state machine over random training diaries: the safety promises hold after every step.

Each run saves a hip-knee plan in a real SQLite store, then logs sessions with random pain,
effort, reps, loads and bands, checks in with and without red-flag signs, records
clearances, changes options and runs adapt on random days, the way the CLI does it (every
report is followed by the safety hold). After every step:

- while a red flag is not lifted, no session not yet done asks for more (sets, reps, steps,
  seconds, load, band) than the last logged dose of that exercise, nor for a later phase
  than one the person has reached;
- a red flag reported in the last two days, or a clinical sign with no clearance since,
  always pauses (checked without asking the code under test how it lifts pauses);
- no log entry, check-in or red flag is lost;
- adapt run twice in a row changes nothing.

pytest --hypothesis-profile=long (or HYPOTHESIS_PROFILE=long, or its old name thorough) runs
ten times as many new diaries, each 40 steps long.
"""

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from planner.models.calendar import CalendarOptions
from planner.models.log import RED_FLAGS, Checkin, Clearance, LogEntry
from planner.models.plan import Plan, PlanOptions, Prescription
from planner.models.safety import SafetyReport
from planner.models.snapshot import TemplateSnapshot
from planner.plan.generate import generate
from planner.service import safety_hold
from planner.service.revisions import save_revision
from planner.service.snapshots import saved_template
from planner.store.database import Store, open_store
from planner.templates import load_library, load_program
from planner.training.adapt import adapt
from planner.training.logbook import prescribed
from planner.training.safety_state import newest
from tests.doses import as_prescribed
from tests.fuzzing import fuzz, long_run

LIBRARY = load_library()
LOADED = load_program("hip-knee", LIBRARY)
BY_ID = LIBRARY.by_id()
SNAPSHOT = TemplateSnapshot(template=LOADED.slug, program=LOADED.program, library=LIBRARY)
PHASES = [p.name for p in LOADED.program.phases]
START = dt.date(2026, 11, 2)  # a Monday
NAME = "k"

# CI explores the same 200 diaries on every run (derandomize), so a red run always means
# the change; the long profile explores ten times as many new ones each time, and longer.
# Found by a random run (--hypothesis-seed=50668493380365016303359981021398581978): after a
# pause lifts, a deload week rounded a managed 1 kg single-leg deadlift up to the 2 kg step.
DIARY_SETTINGS = fuzz(
    200,
    stateful_step_count=40 if long_run() else 15,
    derandomize=not long_run(),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Low pain mostly, and now and then anything: a diary with red flags, and weeks that lift them.
PAIN = st.one_of(st.integers(0, 2), st.integers(0, 2), st.integers(0, 3), st.integers(0, 10))
# Mostly calm mornings, so that pauses also lift and resuming gets tested.
MORNING = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(0, 10))
SIGNS = st.one_of(
    st.just([]), st.just([]), st.lists(st.sampled_from(RED_FLAGS), max_size=2, unique=True)
)


class _Parts(tuple[int, int, float, int]):
    """A dose's parts, compared part by part (not as a tuple is)."""

    def __le__(self, other: tuple[int, int, float, int]) -> bool:  # type: ignore[override]
        return all(a <= b for a, b in zip(self, other, strict=True))


def _parts(rx: Prescription, ladder: tuple[str, ...]) -> _Parts:
    band = ladder.index(rx.band) if rx.band in ladder else -1
    return _Parts((rx.sets, _amount(rx), rx.load or 0.0, band))


def min_date(plan: Plan, week: int) -> dt.date:
    """The day a plan week starts."""
    return min(s.date for s in plan.sessions if s.week == week)


def _amount(rx: Prescription) -> int:
    return rx.seconds if rx.seconds is not None else (rx.reps or rx.steps or 0)


class SafetyDiary(RuleBasedStateMachine):
    """One person's diary against one saved plan."""

    store: Store
    folder: str
    # The template the diary is kept against (a subclass keeps one with training days).
    loaded = LOADED
    template_snapshot = SNAPSHOT
    phases = PHASES

    @initialize()
    def start(self) -> None:
        self.folder = tempfile.mkdtemp()
        store = open_store(Path(self.folder) / "plans.db")
        assert store is not None
        self.store = store
        self.options = PlanOptions(start=START, days=("mon", "wed", "fri"))
        plan = generate(self.loaded.slug, self.loaded.program, BY_ID, self.options)
        save_revision(
            self.store,
            NAME,
            self.loaded.slug,
            plan,
            CalendarOptions(),
            "first",
            snapshot=self.template_snapshot,
        )
        self.today = START
        self.entries_written = 0
        self.checkins_written = 0
        self.flags: set[tuple[dt.date, str]] = set()
        self.clinical: list[dt.date] = []
        self.cleared: list[dt.date] = []

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def plan(self) -> Plan:
        return self.store.latest(NAME).plan

    def _report(self) -> None:
        """What the CLI does after log, checkin and clear: hold the plan if it must."""
        safety_hold.guard(self.store, NAME, self.today)

    # --- the person ---------------------------------------------------------------

    @rule()
    def look_at_the_plan(self) -> None:
        """What show, export, publish and the printouts do: hold the plan first, saved."""
        safety_hold.guard(self.store, NAME, self.today)

    @rule(days=st.integers(1, 9))
    def time_passes(self, days: int) -> None:
        self.today = min(self.today + dt.timedelta(days=days), START + dt.timedelta(weeks=12))

    @rule(data=st.data())
    def log_a_session(self, data: st.DataObject) -> None:
        done = [s for s in self.plan.sessions if s.date <= self.today]
        if not done:
            return
        session = data.draw(st.sampled_from(done[-4:]), label="session")
        ladder = self.plan.band_ladder()
        entries = []
        for rx in session.exercises:
            if entries and data.draw(st.booleans(), label="skip"):
                continue
            short = data.draw(st.integers(0, 3), label="short")
            sets = prescribed(rx)[: max(1, rx.sets - data.draw(st.integers(0, 1)))]
            load = rx.load
            if load is not None and data.draw(st.booleans(), label="lighter load"):
                load = max(1.0, load - 5)
            band = rx.band
            if band in ladder and ladder.index(band) > 0 and data.draw(st.booleans()):
                band = ladder[ladder.index(band) - 1]
            pain = data.draw(PAIN, label="pain")
            entries.append(
                LogEntry(
                    slot=session.slot,
                    exercise=rx.exercise,
                    done=tuple(max(0, n - short) for n in sets),
                    load=load,
                    unit=rx.unit if load is not None else None,
                    band=band,
                    pain=pain,
                    rpe=data.draw(st.one_of(st.none(), st.integers(3, 10)), label="rpe"),
                    form_broke=data.draw(st.booleans(), label="form"),
                )
            )
            if pain >= self.plan.rules.red_flag_pain:
                self.flags.add((session.date, "pain"))
        self.store.log(NAME, entries)
        self.entries_written += len(entries)
        self._report()

    @rule(pain=st.integers(0, 2))
    def a_clean_week(self, pain: int) -> None:
        """Every session of the latest week that is over, logged in full as prescribed at
        low pain: what lifts a pause, so that resuming gets tested too."""
        over = [
            s.week
            for s in self.plan.sessions
            if all(x.date < self.today for x in self.plan.sessions if x.week == s.week)
        ]
        if not over:
            return
        week = max(over)
        for session in (s for s in self.plan.sessions if s.week == week):
            entries = [as_prescribed(session.slot, rx, pain) for rx in session.exercises]
            self.store.log(NAME, entries)
            self.entries_written += len(entries)
        self._report()

    @rule(pain=st.integers(0, 2))
    def recover(self, pain: int) -> None:
        """While paused, the way out the plan describes: a clinician's go-ahead when one is
        awaited, then the next whole week logged as prescribed at low pain, then adapt once
        that week is over. Random steps alone almost never line these up, and without them
        resuming would go untested."""
        state = safety_hold.state_of(self.store, NAME, self.plan, self.today)
        if not state.paused:
            return
        ahead = sorted(
            {s.week for s in self.plan.sessions if min_date(self.plan, s.week) > self.today}
        )
        if not ahead:
            return
        week = ahead[0]
        if state.needs_clearance:
            self.see_a_clinician()
        self.today = max(s.date for s in self.plan.sessions if s.week == week) + dt.timedelta(1)
        self.a_clean_week(pain)
        self.run_adapt()

    @rule(
        pain=MORNING,
        signs=SIGNS,
        back=st.integers(0, 3),
    )
    def check_in(self, pain: int, signs: list[str], back: int) -> None:
        day = max(START, self.today - dt.timedelta(days=back))
        checkin = Checkin.model_validate({"date": day, "morning_pain": pain, "red_flags": signs})
        self.store.checkin(NAME, checkin)
        self.checkins_written += 1
        if pain >= self.plan.rules.red_flag_morning_pain:
            self.flags.add((day, "morning-pain"))
        for sign in signs:
            self.flags.add((day, sign))
            self.clinical.append(day)
        self._report()

    @rule()
    def see_a_clinician(self) -> None:
        self.store.clear(NAME, Clearance(date=self.today, note="seen by the physio"))
        self.cleared.append(self.today)
        self._report()

    @rule(
        avoid=st.sampled_from([(), ("knee",), ("back",), ("knee", "hamstring")]),
        level=st.sampled_from(["beginner", "advanced"]),
        days=st.sampled_from([("mon", "wed", "fri"), ("tue", "thu", "sat")]),
    )
    def change_options(self, avoid: tuple[str, ...], level: str, days: tuple[str, ...]) -> None:
        """``generate --name`` again: what is done is kept, the adjustments carry over and
        the hold applies."""
        revision = self.store.latest(NAME)
        options = self.options.model_copy(update={"avoid": avoid, "level": level, "days": days})
        plan = generate(
            self.loaded.slug, self.loaded.program, BY_ID, options, revision.plan.adjustments
        )
        plan = plan.model_copy(update={"id": revision.plan.id})
        log = safety_hold.diary(self.store, NAME)
        plan = safety_hold.carried(self.store, NAME, plan, self.today, log)
        plan = safety_hold.held(self.store, NAME, self.template_snapshot, plan, self.today, log)
        save_revision(
            self.store,
            NAME,
            self.loaded.slug,
            plan,
            revision.calendar,
            "options",
            snapshot=self.template_snapshot,
        )

    @rule()
    def run_adapt(self) -> None:
        first = self._adapt()
        if first.changed:
            revision = self.store.latest(NAME)
            save_revision(
                self.store,
                NAME,
                revision.template,
                first.plan,
                revision.calendar,
                "adapt",
                snapshot=saved_template(self.store, NAME, revision),
            )
        again = self._adapt()
        assert not again.changed, [c.lines for c in again.changes]

    def _adapt(self):  # type: ignore[no-untyped-def]
        revision = self.store.latest(NAME)
        build = safety_hold.rebuilder(saved_template(self.store, NAME, revision), revision.plan)
        return adapt(
            revision.plan,
            build.regenerate,
            self.store.entries(NAME, include_replaced=True),
            self.store.checkins(NAME),
            self.store.clearances(NAME),
            build.library,
            build.settings,
            self.today,
        )

    # --- the promises ---------------------------------------------------------------

    @invariant()
    def promises_hold(self) -> None:
        if not hasattr(self, "store"):
            return
        # The plan as it goes out: export, publish and the printouts hold it first, since
        # a red flag can come with time alone (pain that has not eased), with no report.
        plan = safety_hold.guard(self.store, NAME, self.today, save=False).plan
        assert plan is not None
        state = safety_hold.state_of(self.store, NAME, plan, self.today)
        self._nothing_is_lost(state)
        self._recent_and_uncleared_flags_pause(state)
        if state.paused:
            self._nothing_gets_harder(plan)
            self._held_never_rises(plan)
        self._resume_never_rises(plan)
        # What the person was last given is the saved plan: every command that shows or
        # sends it holds it first and saves that (look_at_the_plan). A held plan that was
        # only worked out here, never shown, is not a promise the next step must keep.
        self.snapshot = self.plan

    def _resume_never_rises(self, plan: Plan) -> None:
        """The first week after a pause lifts asks for no more than the last held session
        of the same exercise."""
        resumes = [a.week for a in plan.adjustments if a.kind == "resume"]
        event("a pause lifted" if resumes else "no pause lifted")
        if not resumes:
            return
        week = max(resumes)
        logged = {e.slot for e in newest(self.store.entries(NAME))}
        ladder = plan.band_ladder()
        held = [s for s in plan.sessions if s.paused and s.week < week]
        full = [s for s in held if not s.deload] or held
        last = {rx.exercise: rx for s in full for rx in s.exercises}  # latest wins
        for session in plan.sessions:
            if session.week != week or session.slot in logged or session.date < self.today:
                continue
            for rx in session.exercises:
                if rx.exercise in last:
                    assert _parts(rx, ladder) <= _parts(last[rx.exercise], ladder), (
                        session.slot,
                        rx.exercise,
                    )

    def _held_never_rises(self, plan: Plan) -> None:
        """A session held in the plan as last saved asks for no more after the step,
        whatever the step (time passing, new options or level, more log, adapt)."""
        before = getattr(self, "snapshot", None)
        if before is None:
            return
        logged = {e.slot for e in newest(self.store.entries(NAME))}
        was = {s.slot: s for s in before.sessions if s.paused}
        ladder = plan.band_ladder()
        for session in plan.sessions:
            old = was.get(session.slot)
            if old is None or session.slot in logged or session.date < self.today:
                continue
            if old.phase != session.phase:
                continue
            earlier = {rx.exercise: rx for rx in old.exercises}
            for rx in session.exercises:
                if rx.exercise in earlier:
                    assert _parts(rx, ladder) <= _parts(earlier[rx.exercise], ladder), (
                        session.slot,
                        rx.exercise,
                    )

    def _nothing_is_lost(self, state: SafetyReport) -> None:
        assert len(self.store.entries(NAME, include_replaced=True)) == self.entries_written
        assert len(self.store.checkins(NAME)) == self.checkins_written
        kept = {(f.date, f.kind) for f in state.flags}
        assert {f for f in self.flags if f[0] <= self.today} <= kept

    def _recent_and_uncleared_flags_pause(self, state: SafetyReport) -> None:
        recent = any(self.today - dt.timedelta(days=2) <= d <= self.today for d, _ in self.flags)
        uncleared = any(
            not any(d <= c <= self.today for c in self.cleared)
            for d in self.clinical
            if d <= self.today
        )
        if recent or uncleared:
            assert state.paused, (self.today, sorted(self.flags), self.cleared)

    def _nothing_gets_harder(self, plan: Plan) -> None:
        entries = newest(self.store.entries(NAME))
        by_slot = {s.slot: s for s in plan.sessions}
        logged = {e.slot for e in entries}
        ladder = plan.band_ladder()
        # The last logged dose of each exercise: what was prescribed, lowered to what was
        # used, in session order.
        last: dict[str, tuple[int, int, float, int]] = {}
        for e in sorted(entries, key=lambda e: (by_slot[e.slot].date, by_slot[e.slot].index)):
            rx = next((r for r in by_slot[e.slot].exercises if r.exercise == e.exercise), None)
            if rx is None:
                continue
            load = min(rx.load or 0.0, e.load or rx.load or 0.0)
            band = ladder.index(rx.band) if rx.band in ladder else -1
            if e.band in ladder:
                band = min(band, ladder.index(e.band))
            last[e.exercise] = (rx.sets, _amount(rx), load, band)
        weeks_over = {
            w
            for w in {s.week for s in plan.sessions}
            if all(s.date < self.today for s in plan.sessions if s.week == w)
        }
        reached = max(
            (
                self.phases.index(s.phase)
                for s in plan.sessions
                if s.slot in logged or s.week in weeks_over
            ),
            default=0,
        )
        for session in plan.sessions:
            if session.slot in logged or session.date < self.today:
                continue
            assert self.phases.index(session.phase) <= reached, (session.slot, session.phase)
            for rx in session.exercises:
                if rx.exercise not in last:
                    continue
                sets, amount, load, band = last[rx.exercise]
                rank = ladder.index(rx.band) if rx.band in ladder else -1
                now = (rx.sets, _amount(rx), rx.load or 0.0, rank)
                assert all(a <= b for a, b in zip(now, (sets, amount, load, band), strict=True)), (
                    session.slot,
                    rx.exercise,
                    now,
                    last[rx.exercise],
                )


pytestmark = pytest.mark.slow  # about 45 s: many long diaries, each through a real store

SafetyDiary.TestCase.settings = DIARY_SETTINGS
test_safety_diary = SafetyDiary.TestCase


def test_a_lift_planned_ahead_falls_when_a_red_flag_comes_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found by a long run (seed 1818): adapt had decided a lift of the safety stop for a
    week ahead (its sessions logged early); a new red flag came before that week, and the
    held plan kept the planned lift, so the next phase began in the weeks to come while
    the stop stood. The steps of that diary, replayed."""
    monkeypatch.setattr(sys.modules[__name__], "event", lambda *_, **__: None)
    steps = (Path(__file__).parent / "data" / "diary-resume-planned-ahead.txt").read_text()
    diary = SafetyDiary()
    try:
        for step in steps.splitlines():
            name, _, args = step.partition("(")
            # The steps are our own data file, written as Hypothesis printed them.
            getattr(diary, name)(**eval(f"dict({args}"))
    finally:
        diary.teardown()
