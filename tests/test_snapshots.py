"""Saved revisions keep the template they were built from, so a saved plan is rebuilt the
same way whatever happens to the template files later."""

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from planner import templates
from planner.models import Plan
from planner.models.calendar import CalendarOptions
from planner.models.snapshot import TemplateSnapshot
from planner.plan.generate import generate
from planner.store.database import Store, open_store
from planner.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from planner.templates import load_snapshot, program_slugs, templates_root
from tests.conftest import PlanFactory
from tests.helpers import assert_one_line_error, run

TITLE = 'title = "Hip strength for knee pain (staged)"'
WARMUP = '{ exercise = "glute-bridge", sets = 1, reps = 10 }'
ACTIVATION = 6  # exercises in a hip-knee activation session


def edit(path: Path) -> None:
    """Change the template's title and its warm-up dose, both visible in every plan."""
    text = path.read_text()
    assert TITLE in text and WARMUP in text
    text = text.replace(TITLE, 'title = "Edited later"')
    path.write_text(text.replace(WARMUP, WARMUP.replace("reps = 10", "reps = 14")))


def ok(*args: str | Path, stdin: str | None = None) -> tuple[str, str]:
    code, out, err = run(*args, stdin=stdin)
    assert code == 0, err
    return out, err


def latest(db: Path, name: str) -> Plan:
    with open_store(db) as store:  # type: ignore[union-attr]
        return store.latest(name).plan


def generate_saved(template: str | Path, name: str, db: Path, *extra: str) -> tuple[str, str]:
    return ok("generate", template, "--start", "2026-11-02", "--days", "mon,wed,fri",
              "--name", name, "--db", db, "--out", db.parent / f"{name}.ics", *extra)  # fmt: skip


def own_template(folder: Path) -> Path:
    """A person's own template file, ``my-knee.toml`` (a copy of hip-knee to start from)."""
    mine = folder / "my-knee.toml"
    shutil.copy(templates_root() / "programs" / "hip-knee.toml", mine)
    return mine


def own_plan(folder: Path) -> tuple[Path, Path]:
    """The plan 'k' saved from the person's own template; returns the file and the store."""
    mine, db = own_template(folder), folder / "p.db"
    generate_saved(mine, "k", db)
    return mine, db


def adapt_after_week_one(name: str, db: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Log week 1 as prescribed without pain and adapt: progress, so a new revision."""
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-06")
    for slot in ("W1S1", "W1S2", "W1S3"):
        ok("log", name, "--session", slot, "--db", db, stdin="\n0\n\n\n\n" * ACTIVATION)
    monkeypatch.setenv("PLANNER_TODAY", "2026-11-09")
    out, _ = ok("adapt", name, "--db", db)
    assert "saved as revision" in out  # adapt rebuilt the plan, from something
    return out


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped templates that the test may edit, used as the shipped ones."""
    root = tmp_path / "shipped"
    shutil.copytree(templates_root(), root)
    monkeypatch.setattr(templates, "templates_root", lambda: root)
    return root


class TestSnapshot:
    def test_every_shipped_template_replays_exactly(self, make_plan: PlanFactory) -> None:
        for slug in program_slugs():
            snapshot = load_snapshot(slug)
            again = TemplateSnapshot.model_validate_json(snapshot.model_dump_json())
            assert again == snapshot and again.digest() == snapshot.digest()
            rebuilt = generate(slug, again.program, again.library.by_id(), make_plan(slug).options)
            assert rebuilt == make_plan(slug)

    def test_the_same_plan_and_template_save_no_new_revision(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        snapshot = load_snapshot("hip-knee")
        plan = make_plan()
        with open_store(tmp_path / "p.db") as store:  # type: ignore[union-attr]
            assert store.save("k", "hip-knee", plan, CalendarOptions(), "", snapshot) == (1, True)
            read_back = store.snapshot(store.latest("k").snapshot or "")
            assert store.save("k", "hip-knee", plan, CalendarOptions(), "", read_back) == (
                1,
                False,
            )
            other = snapshot.model_copy(update={"template": "other"})
            assert store.save("k", "hip-knee", plan, CalendarOptions(), "", other) == (2, True)

    def test_deleting_a_plan_drops_the_copies_no_one_uses(
        self, tmp_path: Path, make_plan: PlanFactory
    ) -> None:
        snapshot = load_snapshot("hip-knee")
        path = tmp_path / "p.db"
        with open_store(path) as store:  # type: ignore[union-attr]
            store.save("a", "hip-knee", make_plan(), CalendarOptions(), "", snapshot)
            store.save("b", "hip-knee", make_plan(), CalendarOptions(), "", snapshot)
            store.delete("a")
            assert store.snapshot(snapshot.digest()) == snapshot  # b still uses it
            store.delete("b")
        count = sqlite3.connect(path).execute("SELECT count(*) FROM snapshots").fetchone()[0]
        assert count == 0


class TestOwnTemplate:
    def test_adapt_works_after_the_file_is_deleted(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        mine, db = own_plan(tmp_path)
        mine.unlink()
        adapt_after_week_one("k", db, monkeypatch)
        assert latest(db, "k").template == "my-knee"

    def test_an_edit_to_the_file_has_no_effect(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        mine, db = own_plan(tmp_path)
        edit(mine)
        adapt_after_week_one("k", db, monkeypatch)
        plan = latest(db, "k")
        assert plan.title == "Hip strength for knee pain (staged)"
        assert plan.warmup.exercises[0].reps == 10

    def test_generating_again_keeps_the_copy_and_says_the_file_changed(
        self, tmp_path: Path
    ) -> None:
        mine, db = own_plan(tmp_path)
        edit(mine)
        out, _ = generate_saved(mine, "k", db)
        assert "it has changed since: add --update-template" in out
        assert "no change to 'k' (revision 1)" in out
        out, _ = generate_saved(mine, "k", db, "--update-template")
        assert "saved as 'k' (revision 2)" in out
        assert latest(db, "k").title == "Edited later"


class TestShippedTemplateEdited:
    def test_export_and_adapt_keep_the_saved_template_until_asked(
        self, tmp_path: Path, shipped: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        db = tmp_path / "p.db"
        generate_saved("hip-knee", "k", db)
        ok("export", "k", "--db", db, "--out", tmp_path / "before.ics")
        edit(shipped / "programs" / "hip-knee.toml")
        ok("export", "k", "--db", db, "--out", tmp_path / "after.ics")
        assert (tmp_path / "after.ics").read_bytes() == (tmp_path / "before.ics").read_bytes()
        adapt_after_week_one("k", db, monkeypatch)
        assert latest(db, "k").title == "Hip strength for knee pain (staged)"
        assert latest(db, "k").warmup.exercises[0].reps == 10

        out, _ = generate_saved("hip-knee", "k", db, "--update-template")
        plan = latest(db, "k")
        assert plan.title == "Edited later" and plan.warmup.exercises[0].reps == 14
        assert plan.adjustments  # what adapt decided carries over the update
        out, _ = ok("plans", "show", "k", "--db", db)
        assert "template updated: hip-knee" in out
        ok("export", "k", "--db", db, "--out", tmp_path / "updated.ics")
        assert "Edited later" in (tmp_path / "updated.ics").read_text()

    def test_updating_an_unchanged_template_saves_nothing(self, tmp_path: Path) -> None:
        db = tmp_path / "p.db"
        generate_saved("hip-knee", "k", db)
        out, _ = generate_saved("hip-knee", "k", db, "--update-template")
        assert "template 'hip-knee' has not changed; nothing to update" in out
        assert "no change to 'k' (revision 1)" in out

    def test_another_template_is_a_deliberate_change(self, tmp_path: Path) -> None:
        db = tmp_path / "p.db"
        generate_saved("hip-knee", "k", db)
        generate_saved("runner-knee", "k", db)
        out, _ = ok("plans", "show", "k", "--db", db)
        assert "template: hip-knee -> runner-knee" in out
        assert latest(db, "k").template == "runner-knee"


class TestUpdateTemplateRefused:
    def test_without_a_name(self, tmp_path: Path) -> None:
        code, _, err = run("generate", "hip-knee", "--start", "2026-11-02", "--days", "mon",
                           "--out", tmp_path / "x.ics", "--update-template")  # fmt: skip
        assert_one_line_error(code, err, "--update-template needs --name")
        assert not (tmp_path / "x.ics").exists()

    def test_for_a_plan_not_saved(self, tmp_path: Path) -> None:
        db = tmp_path / "p.db"
        code, _, err = run("generate", "hip-knee", "--start", "2026-11-02", "--days", "mon",
                           "--name", "k", "--db", db, "--update-template")  # fmt: skip
        assert_one_line_error(code, err, "no saved plan named 'k' to update")
        assert not db.exists()

    def test_with_a_template_that_cannot_be_read(self, tmp_path: Path) -> None:
        mine, db = own_plan(tmp_path)
        mine.unlink()
        code, _, err = run("generate", mine, "--start", "2026-11-02", "--days", "mon,wed,fri",
                           "--name", "k", "--db", db, "--update-template")  # fmt: skip
        assert_one_line_error(code, err, "no such file")
        with open_store(db) as store:  # type: ignore[union-attr]
            assert len(store.revisions("k")) == 1


def schema_4_store(path: Path, plans: dict[str, tuple[str, Plan]]) -> None:
    """A store as planner wrote it at schema version 4: revisions name their template only."""
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:
        db.executescript(script)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 4")
    for key, (name, (template, plan)) in enumerate(plans.items(), 1):
        db.execute(
            "INSERT INTO plans (id, name, plan_id, created) VALUES (?, ?, ?, ?)",
            (key, name, plan.id, "2026-11-01T08:00:00+00:00"),
        )
        db.execute(
            "INSERT INTO revisions (plan, number, created, template, calendar, plan_json, "
            "reason) VALUES (?, 1, ?, ?, ?, ?, 'first version')",
            (key, "2026-11-01T08:00:00+00:00", template, CalendarOptions().model_dump_json(),
             plan.model_dump_json()),
        )  # fmt: skip
    db.commit()
    db.close()


class TestSchema4Store:
    @pytest.fixture
    def old(self, tmp_path: Path, make_plan: PlanFactory) -> Path:
        path = tmp_path / "old.db"
        plan = make_plan(start=dt.date(2026, 11, 2))
        schema_4_store(path, {"k": ("hip-knee", plan), "mine": ("my-knee", plan)})
        return path

    def test_is_upgraded_with_snapshots_of_the_shipped_templates(self, old: Path) -> None:
        with open_store(old) as store:  # type: ignore[union-attr]
            assert isinstance(store, Store)
            shipped = store.latest("k")
            assert shipped.snapshot == load_snapshot("hip-knee").digest()
            assert store.snapshot(shipped.snapshot) == load_snapshot("hip-knee")
            assert store.latest("mine").snapshot is None  # a person's own file: no copy
        version = sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION >= 5  # migrated to this planner's version

    def test_a_refused_generate_leaves_it_as_it_was(self, old: Path, tmp_path: Path) -> None:
        """A command that refuses its output changes nothing: not even the store's version
        (an upgraded store can no longer be opened by the older planner)."""
        before = old.read_bytes()
        code, _, err = run(
            "generate", "hip-knee", "--start", "2026-11-02", "--days", "mon,wed,fri",
            "--name", "k", "--db", old, "--out", tmp_path / "no-such-folder" / "k.ics",
        )  # fmt: skip
        assert_one_line_error(code, err, "--out")
        assert old.read_bytes() == before
        assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 4

    def test_its_plans_still_adapt(self, old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        adapt_after_week_one("k", old, monkeypatch)
        with open_store(old) as store:  # type: ignore[union-attr]
            assert store.latest("k").snapshot == load_snapshot("hip-knee").digest()

    def test_a_plan_whose_template_is_gone_says_what_to_do_only_when_rebuilt(
        self, old: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        ok("export", "mine", "--db", old, "--out", tmp_path / "mine.ics")  # no rebuild: fine
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-09")
        code, _, err = run("adapt", "mine", "--db", old)
        assert_one_line_error(code, err, "older planner did not keep with the plan")
        assert "planner generate my-knee.toml --name mine" in err
        mine = own_template(tmp_path)
        out, _ = generate_saved(mine, "mine", old)
        assert "saved as 'mine' (revision 2)" in out
        out, _ = ok("plans", "show", "mine", "--db", old)
        assert "template my-knee now kept with the plan" in out
        mine.unlink()
        ok("adapt", "mine", "--db", old)

    def test_a_red_flag_still_holds_a_plan_that_cannot_be_rebuilt(
        self, old: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("PLANNER_TODAY", "2026-11-02")
        _, err = ok("log", "mine", "--db", old, "--exercise", "clamshell", "--pain", "8")
        assert "cannot be rebuilt" in err and "older planner did not keep" in err
        later = [s for s in latest(old, "mine").sessions if s.date.isoformat() > "2026-11-02"]
        assert later and all(s.paused for s in later)


class TestCopyKeptByAnOlderVersion:
    """A template copy saved before later template keys existed lacks them (so its digest
    differs), yet it builds the same plan: saving that plan again is no new revision."""

    def test_same_plan_again_adds_no_revision(self, tmp_path: Path) -> None:
        db = tmp_path / "plans.db"
        generate_saved("hip-knee", "anna", db)
        con = sqlite3.connect(db)
        ((kept,),) = con.execute("SELECT snapshot_json FROM snapshots").fetchall()
        # What an older version wrote: no key that only has its default value today.
        older = TemplateSnapshot.model_validate_json(kept).model_dump_json(exclude_defaults=True)
        assert older != kept
        with con:
            con.execute("UPDATE snapshots SET digest = 'older', snapshot_json = ?", (older,))
            con.execute("UPDATE revisions SET snapshot = 'older'")
        con.close()
        out, _ = generate_saved("hip-knee", "anna", db)
        with open_store(db) as store:  # type: ignore[union-attr]
            assert [r.number for r in store.revisions("anna")] == [1]
        assert "revision 2" not in out
