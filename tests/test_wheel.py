"""The wheel installs compiled: no run of an installed planner recompiles its modules.

Where PYTHONDONTWRITEBYTECODE is set (containers often set it), Python never writes the
.pyc files it compiles on import, so a package installed without them compiles all of its
~130 modules again on every run. pip compiles a wheel's modules while installing it
(unless told --no-compile), whatever that variable says; this test holds it to that and
checks the wheel carries the templates. (An editable install runs the checkout's sources,
so there the variable does leave every run compiling: that is a development set-up.)
"""

import importlib.util
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _pip(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        check=True,
        capture_output=True,
        env=env,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Without build isolation when the backend is already here, so it builds offline.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    _pip("wheel", "--no-deps", *isolation, "-q", "-w", str(out), str(ROOT))
    (built,) = out.glob("planner-*.whl")
    return built


@pytest.fixture(scope="module")
def site_packages(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A fresh environment that sees none of this one's packages: only the wheel's files.
    target = tmp_path_factory.mktemp("env")
    venv.create(target, with_pip=False, system_site_packages=False)
    python = target / "bin" / "python"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    _pip("--python", str(python), "install", "--no-deps", "-q", str(wheel), env=env)
    (found,) = target.glob("lib/python3.*/site-packages")
    return found


def test_every_installed_module_has_an_up_to_date_pyc(site_packages: Path) -> None:
    sources = sorted((site_packages / "planner").rglob("*.py"))
    shipped = sorted(p.relative_to(site_packages) for p in sources)
    expected = sorted(p.relative_to(ROOT) for p in (ROOT / "planner").rglob("*.py"))
    assert shipped == expected
    stale = []
    for source in sources:
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists():
            stale.append(f"{source.name}: no {cached.name}")
            continue
        # A timestamp .pyc is fresh when its header holds the source's mtime and size
        # (the check import makes); a hash-based one when it is unchecked or matches.
        header = cached.read_bytes()[:16]
        assert header[:4] == importlib.util.MAGIC_NUMBER, source
        flags = int.from_bytes(header[4:8], "little")
        stat = source.stat()
        if flags == 0:
            mtime = int.from_bytes(header[8:12], "little")
            size = int.from_bytes(header[12:16], "little")
            if (mtime, size) != (int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF):
                stale.append(f"{source.name}: out of date")
        elif flags & 2 and header[8:16] != importlib.util.source_hash(source.read_bytes()):
            stale.append(f"{source.name}: hash out of date")
    assert not stale, stale
    assert len(sources) > 100  # the whole package, not a stub


def test_the_wheel_carries_every_template(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    templates = [p for p in (ROOT / "templates").rglob("*") if p.is_file()]
    assert templates
    missing = [
        str(p.relative_to(ROOT))
        for p in templates
        if f"planner/_templates/{p.relative_to(ROOT / 'templates').as_posix()}" not in names
    ]
    assert not missing, missing
    assert "planner/_templates/programs/hip-knee.toml" in names
