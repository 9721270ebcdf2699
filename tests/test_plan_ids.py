"""Plan ids and so event UIDs (issue 16, defect 1): every saved plan gets an id no other
saved plan has, a saved plan keeps its id for good, an unsaved plan's id is reproducible,
and no id claims another's UIDs (publish deletes what starts with ``<plan id>-``)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import TemplateError
from planner.models.plan import PlanOptions
from planner.plan.generate import plan_id
from planner.store.database import open_store
from tests.helpers import assert_one_line_error, ics_text, run

START = ["generate", "hip-knee", "--start", "2026-12-07"]
ANNA = [*START, "--days", "mon,wed,fri", "--name", "anna", "--avoid", "knee"]
BEN = [*START, "--days", "tue,thu,sat", "--weeks", "6", "--name", "ben"]
OPTIONS = PlanOptions(start=dt.date(2026, 12, 7), days=("mon",))
# The id every version before this one gave hip-knee from 2026-12-07 (issue 16).
LEGACY = "hip-knee-2507608acf"


def uids(path: Path) -> set[str]:
    return set(re.findall(r"^UID:(.+)$", ics_text(path), flags=re.MULTILINE))


def stored_ids(db: Path) -> dict[str, str | None]:
    store = open_store(db)
    assert store is not None
    with store:
        return {name: store.plan_id(name) for name in ("anna", "ben")}


def owns(plan: str, uid: str) -> bool:
    """The claim publish makes on a server's objects (planner.service.calendar)."""
    return uid.startswith(f"{plan}-")


class TestTwoPatients:
    def test_two_plans_from_one_template_and_day_get_apart_uids(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        anna_ics, ben_ics = tmp_path / "anna.ics", tmp_path / "ben.ics"
        assert run(*ANNA, "--out", anna_ics)[0] == 0
        assert run(*BEN, "--out", ben_ics)[0] == 0
        ids = stored_ids(_isolated_store)
        anna, ben = ids["anna"], ids["ben"]
        assert anna is not None and ben is not None
        assert anna != ben and LEGACY not in (anna, ben)
        assert re.fullmatch(r"hip-knee-[0-9a-f]{10}", anna)
        anna_uids, ben_uids = uids(anna_ics), uids(ben_ics)
        assert len(anna_uids) == 24 and len(ben_uids) == 18
        assert not anna_uids & ben_uids
        # Publishing one never claims (and so deletes) the other's events.
        assert all(owns(anna, uid) for uid in anna_uids)
        assert not any(owns(anna, uid) for uid in ben_uids)
        assert not any(owns(ben, uid) for uid in anna_uids)

    def test_a_revision_keeps_the_first_id(self, tmp_path: Path, _isolated_store: Path) -> None:
        out = tmp_path / "anna.ics"
        assert run(*ANNA, "--out", out)[0] == 0
        first = uids(out)
        before = stored_ids(_isolated_store)["anna"]
        code, _, err = run(*START, "--days", "tue,thu,sat", "--name", "anna", "--out", out)
        assert code == 0, err
        assert stored_ids(_isolated_store)["anna"] == before
        assert uids(out) == first  # moved days: the same events update

    def test_a_plan_saved_with_the_old_id_keeps_it(
        self, tmp_path: Path, _isolated_store: Path
    ) -> None:
        # A store from before this change holds the id of template and start alone:
        # calendars already hold its UIDs, so it must never change.
        out = tmp_path / "anna.ics"
        assert run(*ANNA, "--out", out)[0] == 0
        store = open_store(_isolated_store)
        assert store is not None
        with store:
            store._db.execute("UPDATE plans SET plan_id = ? WHERE name = 'anna'", (LEGACY,))
            store._db.commit()
        code, _, err = run(*ANNA[:-2], "--out", out)  # a new revision: --avoid dropped
        assert code == 0, err
        assert stored_ids(_isolated_store)["anna"] == LEGACY
        assert all(uid.startswith(f"{LEGACY}-") for uid in uids(out))
        # A new plan on the same day does not take the old id either.
        assert run(*BEN, "--out", tmp_path / "ben.ics")[0] == 0
        assert stored_ids(_isolated_store)["ben"] not in (None, LEGACY)

    def test_a_refused_plan_reserves_no_id(self, tmp_path: Path, _isolated_store: Path) -> None:
        code, _, err = run(*ANNA, "--weeks", "0", "--out", tmp_path / "a.ics")
        assert_one_line_error(code, err, "--weeks")
        assert not _isolated_store.exists()


class TestUnsaved:
    def test_the_same_command_gives_the_same_uids(self, tmp_path: Path) -> None:
        one, two = tmp_path / "1.ics", tmp_path / "2.ics"
        assert run(*START, "--days", "mon,wed,fri", "--out", one)[0] == 0
        assert run(*START, "--days", "tue,thu,sat", "--out", two)[0] == 0
        assert uids(one) == uids(two)
        assert all(uid.startswith(f"{LEGACY}-") for uid in uids(one))  # as before

    def test_a_calendar_name_keeps_two_files_apart(self, tmp_path: Path) -> None:
        anna, ben, again = tmp_path / "a.ics", tmp_path / "b.ics", tmp_path / "c.ics"
        days = ["--days", "mon,wed,fri"]
        assert run(*START, *days, "--calendar-name", "Anna", "--out", anna)[0] == 0
        assert run(*START, *days, "--calendar-name", "Ben", "--out", ben)[0] == 0
        assert run(*START, *days, "--calendar-name", "Anna", "--out", again)[0] == 0
        assert not uids(anna) & uids(ben)
        assert uids(anna) == uids(again)
        assert anna.read_bytes() == again.read_bytes()


class TestPlanId:
    def test_without_owner_it_is_the_old_id(self) -> None:
        assert plan_id("hip-knee", OPTIONS) == LEGACY

    def test_an_owner_changes_it(self) -> None:
        assert plan_id("hip-knee", OPTIONS, "name:anna") != plan_id("hip-knee", OPTIONS)
        assert plan_id("hip-knee", OPTIONS, "name:anna") != plan_id("hip-knee", OPTIONS, "name:ben")
        # A saved plan and a file named alike are different owners.
        assert plan_id("hip-knee", OPTIONS, "name:x") != plan_id("hip-knee", OPTIONS, "calendar:x")

    def test_a_taken_id_is_made_again_in_the_same_shape(self) -> None:
        first = plan_id("hip-knee", OPTIONS, "name:anna")
        second = plan_id("hip-knee", OPTIONS, "name:anna", {first})
        assert second != first
        assert re.fullmatch(r"hip-knee-[0-9a-f]{10}", second)
        assert plan_id("hip-knee", OPTIONS, "name:anna", {first, second}) not in (first, second)

    def test_an_id_that_would_claim_another_is_made_again(self) -> None:
        # A template whose slug ends like a plan id: 'hip-knee-<hex>'. Its plans' UIDs
        # start with '<LEGACY>-', so a plan with the id LEGACY would claim them.
        other = plan_id(LEGACY, OPTIONS)
        assert owns(LEGACY, f"{other}-w1s1@planner")
        assert plan_id("hip-knee", OPTIONS, taken={other}) != LEGACY
        # The other way round no hash helps: the slug itself starts with the saved id.
        with pytest.raises(TemplateError, match="rename the template file"):
            plan_id(LEGACY, OPTIONS, taken={LEGACY})

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["hip-knee", "glute", "glute-x", "a", "a-b"]),
                st.text(min_size=0, max_size=8),
            ),
            min_size=1,
            max_size=12,
        )
    )
    def test_ids_made_one_after_another_never_claim_each_other(
        self, wanted: list[tuple[str, str]]
    ) -> None:
        taken: set[str] = set()
        for slug, owner in wanted:
            taken.add(plan_id(slug, OPTIONS, f"name:{owner}", taken))
        for one in taken:
            for other in taken - {one}:
                assert not owns(one, f"{other}-w1s1@planner")


def test_plans_sharing_an_id_from_an_older_store_are_warned_about(
    tmp_path: Path, _isolated_store: Path
) -> None:
    import sqlite3

    base = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri"]
    for name in ("anna", "ben"):
        assert run(*base, "--name", name, "--out", tmp_path / f"{name}.ics")[0] == 0
    code, _, err = run("export", "anna", "--out", tmp_path / "a.ics")
    assert code == 0 and "same calendar event ids" not in err
    # What an older version saved: one id for both (ids came from template + start only).
    with sqlite3.connect(_isolated_store) as db:
        db.execute("UPDATE plans SET plan_id = (SELECT plan_id FROM plans WHERE name = 'anna')")
    code, _, err = run("export", "anna", "--out", tmp_path / "a.ics")
    assert code == 0, err
    assert "'anna' has the same calendar event ids as 'ben'" in err
