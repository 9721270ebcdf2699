"""The template cache: a hit gives what the slow path gives, reads no TOML, and any change
to what a result came from (a byte of a file, a version) is a miss; damage and an
unwritable folder never break a command."""

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest

from planner import exercise_sources, template_cache, templates, validation_key
from planner.errors import TemplateError
from planner.models import ExerciseLibrary
from planner.templates import (
    LoadedProgram,
    base_library,
    load_library,
    load_program,
    shipped_library_path,
    templates_root,
)
from tests.conftest import SLUGS
from tests.helpers import run
from tests.test_construct import same_types
from tests.test_user_exercises import HIP_HIKE, MONSTER_WALK

ROOT = Path(__file__).resolve().parent.parent
HIP_KNEE = (templates_root() / "programs" / "hip-knee.toml").read_text()

BRIDGE = """\
[[exercise]]
id = "hip-bridge-march"
name = "Bridge march"
muscles = ["gluteus maximus"]
dose = "reps"
provokes = []
difficulty = 3
cues = ["Lift the hips.", "March one knee up at a time."]
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every TOML file read from now on."""
    seen: list[Path] = []
    real = templates.read_toml

    def counted(path: Path) -> dict[str, Any]:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(templates, "read_toml", counted)
    monkeypatch.setattr(exercise_sources, "read_toml", counted)
    return seen


def same(a: LoadedProgram, b: LoadedProgram) -> None:
    """Two loads gave the same result, down to field types and the fields set."""
    assert (a.slug, a.path) == (b.slug, b.path)
    assert a.program == b.program
    assert a.library == b.library
    same_types(a.program, b.program, "program", fields_set=True)
    same_types(a.library, b.library, "library", fields_set=True)


def uncached(load: Callable[[], Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """What ``load()`` gives with no cache at all (a file where the folder would be)."""
    blocker = tmp_path / "no-cache"
    blocker.write_text("")
    with monkeypatch.context() as patch:
        patch.setenv("PLANNER_CACHE_DIR", str(blocker))
        return load()


def entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.json"))


@pytest.mark.parametrize("slug", SLUGS)
def test_a_hit_gives_what_the_slow_path_gives_and_reads_no_toml(
    slug: str, cache: Path, reads: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cold_library = load_library()
    cold = load_program(slug, cold_library)
    assert reads  # the miss read the files
    assert entries(cache, "library") and entries(cache, "program")
    reads.clear()
    warm_library = load_library()
    warm = load_program(slug, warm_library)
    assert reads == []
    assert warm_library == cold_library
    same_types(warm_library, cold_library, "library", fields_set=True)
    same(warm, cold)
    # A program that adds no exercises is checked against the library given, itself.
    assert warm.library is warm_library
    slow = uncached(lambda: load_program(slug, load_library()), monkeypatch, tmp_path)
    same(warm, slow)


def _mine(folder: Path) -> dict[str, Path]:
    """A template with an exercise file, its own exercise table and a personal library."""
    folder.mkdir(exist_ok=True)
    files = {
        "exercises": folder / "my-exercises.toml",
        "personal": folder / "personal.toml",
        "template": folder / "mine.toml",
    }
    files["exercises"].write_text(HIP_HIKE)
    files["personal"].write_text(BRIDGE)
    text = HIP_KNEE.replace(
        "knee_focus = true", 'knee_focus = true\nexercise_files = ["my-exercises.toml"]'
    )
    text = text.replace('exercise = "step-down"', 'exercise = "hip-hike"', 1)
    files["template"].write_text(text + MONSTER_WALK)
    return files


def _load_mine(files: dict[str, Path]) -> LoadedProgram:
    return load_program(str(files["template"]), base_library())


@pytest.mark.parametrize("changed", ["template", "exercises", "personal", None])
def test_a_changed_byte_in_any_file_is_a_miss(
    changed: str | None,
    cache: Path,
    reads: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = _mine(tmp_path / "t")
    monkeypatch.setenv("PLANNER_EXERCISES", str(files["personal"]))
    cold = _load_mine(files)
    assert {"hip-hike", "monster-walk", "hip-bridge-march"} <= set(cold.library.by_id())
    reads.clear()
    warm = _load_mine(files)
    assert reads == []
    same(warm, cold)
    if changed is None:
        return
    # One byte that changes nothing the planner reads: still a new file.
    path = files[changed]
    path.write_bytes(path.read_bytes().replace(b"Hip", b"Hip", 1) + b"#")
    reads.clear()
    again = _load_mine(files)
    assert path in reads
    same(again, uncached(lambda: _load_mine(files), monkeypatch, tmp_path))
    # And the new result is cached in turn.
    reads.clear()
    same(_load_mine(files), again)
    assert reads == []


def test_a_changed_library_file_is_a_miss_for_it_and_its_programs(
    cache: Path, reads: list[Path], tmp_path: Path
) -> None:
    copy = tmp_path / "exercises.toml"
    copy.write_bytes(shipped_library_path().read_bytes())
    load_program("hip-knee", load_library(copy))
    reads.clear()
    load_program("hip-knee", load_library(copy))
    assert reads == []
    text = copy.read_text()
    copy.write_text(text.replace('name = "Clamshell"', 'name = "Clam shell"', 1))
    library = load_library(copy)
    loaded = load_program("hip-knee", library)
    assert [p.name for p in reads] == ["exercises.toml", "hip-knee.toml"]
    assert library.by_id()["clamshell"].name == "Clam shell"
    assert loaded.library is library


def test_a_library_it_did_not_read_is_never_cached_against(cache: Path, reads: list[Path]) -> None:
    # A library built in code has no files to key on: the slow path every time.
    library = ExerciseLibrary.model_validate(load_library().model_dump())
    load_program("hip-knee", library)
    reads.clear()
    load_program("hip-knee", library)
    assert [p.name for p in reads] == ["hip-knee.toml"]
    assert not entries(cache, "program")


@pytest.mark.parametrize("what", ["planner", "pydantic", "format", "no key"])
def test_another_version_is_a_miss(
    what: str, cache: Path, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_program("hip-knee", load_library())
    reads.clear()
    if what == "planner":  # another version, or other models: another validation key
        monkeypatch.setattr(validation_key, "template_key", lambda: "another planner")
    elif what == "no key":  # the planner cannot tell what it is made of: no cache at all
        monkeypatch.setattr(validation_key, "template_key", lambda: None)
        second = load_program("hip-knee", load_library())
        assert [p.name for p in reads] == ["exercises.toml", "hip-knee.toml"]
        same(second, first)
        return
    elif what == "pydantic":
        monkeypatch.setattr(pydantic, "VERSION", "2.99.0")
    else:
        monkeypatch.setattr(template_cache, "FORMAT", template_cache.FORMAT + 1)
    second = load_program("hip-knee", load_library())
    assert [p.name for p in reads] == ["exercises.toml", "hip-knee.toml"]
    same(second, first)
    # One entry per file still: the new one replaced the old.
    assert len(entries(cache, "program")) == len(entries(cache, "library")) == 1


def _rewrite(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Change an entry's data and write it back with a checksum that fits."""
    body = path.read_bytes().partition(b"\n")[2]
    entry = json.loads(body)
    change(entry)
    body = json.dumps(entry).encode()
    path.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


def _flip(path: Path) -> None:
    """One bit of the entry's body changed (the checksum no longer fits)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def _model(entry: dict[str, Any]) -> dict[str, Any]:
    """The model's data in an entry: a program's (with its library) or a library's."""
    data: dict[str, Any] = entry["data"]
    return data.get("program", data)


DAMAGE: dict[str, Callable[[Path], object]] = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "garbage": lambda p: p.write_bytes(os.urandom(3000)),
    "not json": lambda p: p.write_bytes(b"x" * 64 + b"\n{not json"),
    "a byte changed": _flip,
    "json of another shape": lambda p: _rewrite(p, lambda e: e.update(data=[1, 2])),
    "no data": lambda p: _rewrite(p, lambda e: e.pop("data")),
    "reads of another shape": lambda p: _rewrite(p, lambda e: e.update(reads={"a": 1})),
    "no reads": lambda p: _rewrite(p, lambda e: e.update(reads=[])),
    "a read of another file": lambda p: _rewrite(
        p, lambda e: e["reads"].__setitem__(0, [str(shipped_library_path()), "0" * 64])
    ),
    "an unknown key": lambda p: _rewrite(p, lambda e: _model(e).update(colour="red")),
    "a wrong type": lambda p: _rewrite(p, lambda e: _model(e).update(title=7)),
    "a required key gone": lambda p: _rewrite(p, lambda e: _model(e).pop(next(iter(_model(e))))),
    "an unknown rule kind": lambda p: _rewrite(
        p,
        lambda e: [
            r.update(kind="magic")
            for ph in _model(e)["phases"]
            for x in ph["exercises"]
            for r in x.get("progression", [])
        ],
    ),
    "a folder": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.parametrize(
    ("kind", "damage"),
    # A library has no progression rules to damage.
    [
        (kind, damage)
        for kind in ("library", "program")
        for damage in sorted(DAMAGE)
        if (kind, damage) != ("library", "an unknown rule kind")
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_rewritten(
    damage: str,
    kind: str,
    cache: Path,
    reads: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = load_program("hip-knee", load_library())
    (entry,) = entries(cache, kind)
    DAMAGE[damage](entry)
    reads.clear()
    second = load_program("hip-knee", load_library())
    assert reads, "the damaged entry was used"
    same(second, first)
    same(second, uncached(lambda: load_program("hip-knee", load_library()), monkeypatch, tmp_path))
    if damage != "a folder":  # a folder in its place cannot be replaced by a file
        reads.clear()
        same(load_program("hip-knee", load_library()), first)
        assert reads == []


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_unwritable_cache_folder_is_no_cache(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[Path]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("mine")
    folder = blocker if where == "a file" else blocker / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    first = load_program("hip-knee", load_library())
    second = load_program("hip-knee", load_library())
    same(second, first)
    assert len(reads) == 4  # nothing cached
    assert blocker.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_read_only_cache_folder_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    # (Root may write into a folder without write permission: refuse at the call.)
    monkeypatch.setattr(template_cache.tempfile, "mkstemp", refuse)
    first = load_program("hip-knee", load_library())
    assert first == load_program("hip-knee", load_library())
    assert list(folder.iterdir()) == []


def test_no_home_folder_is_no_cache(monkeypatch: pytest.MonkeyPatch, reads: list[Path]) -> None:
    for name in ("PLANNER_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(template_cache.Path, "home", staticmethod(no_home))
    assert template_cache.cache_folder() is None
    first = load_program("hip-knee", load_library())
    assert first == load_program("hip-knee", load_library())
    assert len(reads) == 4


def test_the_cache_folder_follows_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(template_cache.Path, "home", staticmethod(lambda: tmp_path / "home"))
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert template_cache.cache_folder() == tmp_path / "mine"
    load_library()
    assert entries(tmp_path / "mine", "library")
    monkeypatch.delenv("PLANNER_CACHE_DIR")
    assert template_cache.cache_folder() == tmp_path / "xdg" / "planner"
    load_library()
    assert entries(tmp_path / "xdg" / "planner", "library")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as XDG says
    assert template_cache.cache_folder() == tmp_path / "home" / ".cache" / "planner"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert template_cache.cache_folder() == tmp_path / "home" / ".cache" / "planner"
    monkeypatch.setattr(template_cache.sys, "platform", "darwin")
    assert template_cache.cache_folder() == tmp_path / "home" / "Library" / "Caches" / "planner"
    monkeypatch.setattr(template_cache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert template_cache.cache_folder() == tmp_path / "local" / "planner" / "Cache"


def test_a_cache_folder_in_a_home_that_does_not_exist_is_no_cache(
    monkeypatch: pytest.MonkeyPatch, reads: list[Path]
) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", "~no-such-user-here/cache")
    assert template_cache.cache_folder() is None
    assert load_program("hip-knee", load_library()) == load_program("hip-knee", load_library())
    assert len(reads) == 4


def test_the_test_session_never_uses_the_real_cache() -> None:
    assert Path(os.environ["PLANNER_CACHE_DIR"]).name.startswith("planner-test-cache-")


BROKEN = HIP_KNEE.replace("sessions_per_week = 3", "sessions_per_week = 9", 1)


def test_invalid_files_are_never_cached_and_report_as_ever(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HIP_KNEE)
    load_program(str(path), load_library())  # cached while valid
    path.write_text(BROKEN)
    with pytest.raises(TemplateError) as cached_error:
        load_program(str(path), load_library())
    with pytest.raises(TemplateError) as plain_error:
        uncached(lambda: load_program(str(path), load_library()), monkeypatch, tmp_path)
    assert str(cached_error.value) == str(plain_error.value)
    assert f"{path}:" in str(cached_error.value)
    entry = json.loads(entries(cache, "program")[0].read_bytes().partition(b"\n")[2])
    assert "9" not in json.dumps(entry["data"]["program"]["phases"][0]["sessions_per_week"])


OLD_REF = '\n[[sources]]\nref = "My physio, 2024"\nsupports = "all"\n'


def test_notes_and_outputs_are_the_same_from_a_warm_cache(cache: Path, tmp_path: Path) -> None:
    # The older one-line 'ref' of a source still reads, and validate notes it.
    path = tmp_path / "old.toml"
    path.write_text(HIP_KNEE + OLD_REF)
    gen = ("generate", path, "--start", "2026-12-07", "--days", "mon,wed,fri", "--out")
    (tmp_path / "cold").mkdir()
    (tmp_path / "warm").mkdir()
    cold = [run("validate", path), run(*gen, tmp_path / "cold" / "p.ics")]
    assert entries(cache, "program")
    warm = [run("validate", path), run(*gen, tmp_path / "warm" / "p.ics")]
    assert cold[0][0] == cold[1][0] == 0, cold
    assert "uses the older one-line 'ref'" in cold[0][1]
    assert warm[0] == cold[0]
    assert warm[1][0] == 0
    assert warm[1][1] == cold[1][1].replace(str(tmp_path / "cold"), str(tmp_path / "warm"))
    assert warm[1][2] == cold[1][2]
    assert (tmp_path / "cold" / "p.ics").read_bytes() == (tmp_path / "warm" / "p.ics").read_bytes()


def test_generate_writes_the_same_calendar_cold_warm_and_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri")
    out = {}
    for name, folder in (("cold", "c"), ("warm", "c"), ("none", "blocked/x")):
        monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / folder))
        if name == "none":
            (tmp_path / "blocked").write_text("")
        target = tmp_path / name / "plan.ics"
        target.parent.mkdir()
        code, stdout, err = run(*args, "--weeks", "12", "--out", target)
        assert code == 0, err
        out[name] = (target.read_bytes(), stdout.replace(str(target), "X"), err)
    assert out["cold"] == out["warm"] == out["none"]
    assert entries(tmp_path / "c", "program")


PROBE = """
import importlib, pkgutil, sys
from pydantic import BaseModel
import planner.models
from planner.templates import load_library, load_program
loaded = load_program("hip-knee", load_library())
built = [
    name
    for info in pkgutil.iter_modules(planner.models.__path__)
    for name, obj in vars(importlib.import_module("planner.models." + info.name)).items()
    if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__pydantic_complete__
]
print("tomllib" in sys.modules, bool(built), ",".join(built) or "-", loaded.program.title)
"""


def test_a_fresh_process_on_a_hit_parses_no_toml_and_builds_no_validator(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLANNER_CACHE_DIR": str(tmp_path / "c")}

    def probe() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.split(maxsplit=3)

    cold, warm = probe(), probe()
    assert cold[:2] == ["True", "True"]
    assert "ProgramTemplate" in cold[2].split(",")
    assert warm[:3] == ["False", "False", "-"]  # no model of the planner built a validator
    assert cold[3] == warm[3]


def test_a_template_edited_again_and_again_keeps_one_entry(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    for i in range(5):
        path.write_text(HIP_KNEE + f"\n# edit {i}\n")
        load_program(str(path), load_library())
    assert len(entries(cache, "program")) == 1
    assert not list(cache.glob(".tmp-*"))


def test_processes_at_once_all_get_the_same_result(tmp_path: Path) -> None:
    # Each writes its entry whole and renames it into place: none reads half of another's.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLANNER_CACHE_DIR": str(tmp_path / "c")}
    procs = [
        subprocess.Popen([sys.executable, "-c", PROBE], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = {proc.communicate()[0].split(maxsplit=3)[3] for proc in procs}
    assert all(proc.returncode == 0 for proc in procs)
    assert len(outputs) == 1
    assert len(entries(tmp_path / "c", "program")) == 1
    assert not list((tmp_path / "c").glob(".tmp-*"))


def test_temporary_files_left_behind_are_swept(cache: Path, tmp_path: Path) -> None:
    cache.mkdir()
    old, new = cache / ".tmp-old.json", cache / ".tmp-new.json"
    old.write_text("half")
    new.write_text("being written")
    os.utime(old, (1, 1))
    load_library()  # a miss: writes an entry
    assert not old.exists()
    assert new.exists()  # another process may be writing it now


def test_a_change_to_a_template_check_is_a_miss(tmp_path: Path) -> None:
    # A cached template was accepted by the checks of its day: another check (the same
    # version number, as in a checkout) must read it again.
    import shutil

    from planner.validation_key import PLANNER, TEMPLATE_SOURCES, key_of

    copy = tmp_path / "planner"
    for source in TEMPLATE_SOURCES:
        if (PLANNER / source).is_dir():
            shutil.copytree(PLANNER / source, copy / source)
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy(PLANNER / source, copy / source)
    before = key_of(copy, TEMPLATE_SOURCES)
    assert before == validation_key.template_key()
    with (copy / "template_checks.py").open("a") as file:
        file.write("\n# a new rule\n")
    assert key_of(copy, TEMPLATE_SOURCES) != before
    # The seals of the store do not depend on the template checks.
    assert key_of(copy) == validation_key.validation_key()


def test_a_path_that_is_not_utf8_is_cached_like_any(
    cache: Path, tmp_path: Path, reads: list[Path]
) -> None:
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/d\xe9"))
    folder.mkdir()
    (folder / "mine.toml").write_text(HIP_KNEE)
    first = load_program(str(folder / "mine.toml"), load_library())
    reads.clear()
    second = load_program(str(folder / "mine.toml"), load_library())
    assert reads == []  # the second came from the cache
    same(second, first)
