"""Shared fixtures: the shipped library and programs, and a plan factory."""

import atexit
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner.models import ExerciseLibrary, Plan, PlanOptions
from planner.plan.generate import generate
from planner.templates import LoadedProgram, load_library, load_program, program_slugs
from tests import fuzzing  # noqa: F401  (registers and loads the hypothesis profiles)
from tests.caldav_server import SERVERS, Server

# The template cache of the whole test session, in a folder of its own so no test reads or
# writes the real user cache. Set on import, before any test module loads a template at
# collection (the folder is looked up at each use); subprocesses inherit it. Removed at
# exit: the process that only hands tests to workers runs no fixture.
CACHE_DIR = Path(tempfile.mkdtemp(prefix="planner-test-cache-"))
os.environ["PLANNER_CACHE_DIR"] = str(CACHE_DIR)
atexit.register(shutil.rmtree, CACHE_DIR, ignore_errors=True)

STAMP = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
SLUGS = program_slugs()
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache() -> Iterator[Path]:
    """The session's template cache folder (see CACHE_DIR), which every test uses unless
    it sets PLANNER_CACHE_DIR itself; a test that changed it is caught here."""
    yield CACHE_DIR
    assert os.environ.get("PLANNER_CACHE_DIR") == str(CACHE_DIR)


@pytest.fixture(scope="session")
def library() -> ExerciseLibrary:
    return load_library()


@pytest.fixture(scope="session")
def programs(library: ExerciseLibrary) -> dict[str, LoadedProgram]:
    return {slug: load_program(slug, library) for slug in SLUGS}


PlanFactory = Callable[..., Plan]


@pytest.fixture(scope="session")
def make_plan(library: ExerciseLibrary, programs: dict[str, LoadedProgram]) -> PlanFactory:
    def build(slug: str = "hip-knee", **kwargs: object) -> Plan:
        fields: dict[str, object] = {"start": dt.date(2026, 12, 7), "days": ("mon", "wed", "fri")}
        fields.update(kwargs)
        options = PlanOptions(**fields)  # type: ignore[arg-type]
        return generate(slug, programs[slug].program, library.by_id(), options)

    return build


@pytest.fixture(autouse=True)
def _isolated_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own plan store, so none touches the real user data folder."""
    folder = tmp_path_factory.mktemp("store")
    path = folder / "plans.db"
    monkeypatch.setenv("PLANNER_DB", str(path))
    # Second guard: even without PLANNER_DB the default location is inside the test folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data"))
    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD", raising=False)
    monkeypatch.delenv("PLANNER_EXERCISES", raising=False)  # the personal library: none
    return path


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """Each real CalDAV server once per module, shared by its tests (each test in a
    calendar of its own)."""
    running = SERVERS[request.param](tmp_path_factory.mktemp(request.param)).start()
    yield running
    running.stop()
