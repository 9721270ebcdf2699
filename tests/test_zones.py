"""planner.zones: the newer of the system and the bundled time-zone database wins.

A stale system database is made in a temp folder: the zone files it holds are TZif files
written here with rules that differ from the real ones (Europe/Berlin at a fixed +03:00), so
an event's UTC instant tells which database was read.
"""

import datetime as dt
import os
import struct
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest
import tzdata

from planner.zones import Database, bundled_version, choose, database, system_version, zone
from tests.ics_readers import read_icalendar

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = tzdata.IANA_VERSION


def fixed_tzif(hours: int, name: str) -> bytes:
    """A TZif version 2 file for a zone that has always been at UTC+``hours``."""
    chars = name.encode() + b"\0"
    counts = struct.pack(">6l", 0, 0, 0, 0, 1, len(chars))  # isut isstd leap time type char
    block = struct.pack(">lBB", hours * 3600, 0, 0) + chars
    header = b"TZif2" + b"\0" * 15 + counts
    sign = "-" if hours > 0 else "+"  # POSIX TZ strings count hours west of Greenwich
    footer = f"\n<{name}>{sign}{abs(hours)}\n".encode()
    return header + block + header + block + footer


def system_db(folder: Path, version: str | None, *, plus_version: bool = False) -> Path:
    """A system database in ``folder`` at IANA release ``version``, holding a Berlin that is
    always at +03:00 and a zone only it has (Mars/Olympus)."""
    (folder / "Europe").mkdir(parents=True)
    (folder / "Mars").mkdir()
    (folder / "Europe" / "Berlin").write_bytes(fixed_tzif(3, "+03"))
    (folder / "Mars" / "Olympus").write_bytes(fixed_tzif(-5, "-05"))
    if version is not None and plus_version:
        (folder / "+VERSION").write_text(f"{version}\n")
    elif version is not None:
        (folder / "tzdata.zi").write_text(
            f"# version {version}\n# This zic input file is in the public domain.\nR x 1 2 - 1 1\n"
        )
    return folder


WINTER = dt.datetime(2027, 1, 15, 18, 0)


def utc_hour(tz: dt.tzinfo) -> int:
    return WINTER.replace(tzinfo=tz).astimezone(dt.UTC).hour


class TestVersions:
    def test_tzdata_zi_version_line(self, tmp_path: Path) -> None:
        assert system_version([str(system_db(tmp_path, "2025b"))]) == "2025b"

    def test_plus_version_file(self, tmp_path: Path) -> None:
        folder = system_db(tmp_path, "2024a", plus_version=True)
        assert system_version([str(folder)]) == "2024a"

    def test_first_existing_folder_counts(self, tmp_path: Path) -> None:
        folder = system_db(tmp_path / "db", "2023c")
        assert system_version([str(tmp_path / "missing"), str(folder)]) == "2023c"

    def test_unknown_when_no_version_file(self, tmp_path: Path) -> None:
        assert system_version([str(system_db(tmp_path, None))]) is None

    def test_bundled_is_the_package_release(self) -> None:
        assert bundled_version() == BUNDLED


class TestChoose:
    def test_older_system_loses(self, tmp_path: Path) -> None:
        db = choose([str(system_db(tmp_path, "2025b"))], "2026a")
        assert (db.source, db.version) == ("bundled", "2026a")

    def test_newer_system_wins(self, tmp_path: Path) -> None:
        db = choose([str(system_db(tmp_path, "2026b"))], "2026a")
        assert (db.source, db.version) == ("system", "2026b")

    def test_letters_and_years_order(self, tmp_path: Path) -> None:
        folder = [str(system_db(tmp_path, "2025za"))]
        assert choose(folder, "2025z").source == "system"  # IANA follows z with za
        assert choose(folder, "2026a").source == "bundled"

    def test_equal_release_goes_to_the_package(self, tmp_path: Path) -> None:
        assert choose([str(system_db(tmp_path, "2026a"))], "2026a").source == "bundled"

    def test_system_of_unknown_release_loses(self, tmp_path: Path) -> None:
        assert choose([str(system_db(tmp_path, None))], "2020a").source == "bundled"

    def test_no_package_means_system(self, tmp_path: Path) -> None:
        db = choose([str(system_db(tmp_path, "2019c"))], None)
        assert (db.source, db.bundled) == ("system", False)

    def test_no_system_folder_means_package(self, tmp_path: Path) -> None:
        assert choose([str(tmp_path / "none")], "2026a").source == "bundled"

    def test_describe(self) -> None:
        assert Database("bundled", "2026a", (), True).describe() == "tzdata 2026a, bundled"
        assert Database("system", None, (), False).describe() == (
            "tzdata of unknown version, system"
        )


class TestZone:
    def test_stale_system_database_is_not_read(self, tmp_path: Path) -> None:
        db = choose([str(system_db(tmp_path, "2000a"))], BUNDLED)
        berlin = db.zone("Europe/Berlin")
        assert utc_hour(berlin) == 17  # CET from the package, not the stale +03:00
        assert berlin.key == "Europe/Berlin"

    def test_newer_system_database_is_read(self, tmp_path: Path) -> None:
        db = choose([str(system_db(tmp_path, "2999a"))], BUNDLED)
        assert utc_hour(db.zone("Europe/Berlin")) == 15

    def test_a_name_only_the_other_database_has(self, tmp_path: Path) -> None:
        stale = choose([str(system_db(tmp_path / "old", "2000a"))], BUNDLED)
        assert utc_hour(stale.zone("Mars/Olympus")) == 23  # only the system has it
        newer = choose([str(system_db(tmp_path / "new", "2999a"))], BUNDLED)
        assert utc_hour(newer.zone("Asia/Tokyo")) == 9  # only the package has it

    def test_cached_like_zoneinfo(self) -> None:
        # One object per name: same-zone datetimes then compare and subtract by wall time.
        assert zone("Europe/Berlin") is zone("Europe/Berlin")
        first = dt.datetime(2027, 10, 31, 2, 30, tzinfo=zone("Europe/Berlin"))
        assert first.replace(fold=1) == first  # intra-zone: fold ignored, as with ZoneInfo()
        assert zone("Europe/Berlin") is not zone("Europe/Dublin")

    @pytest.mark.parametrize("key", ["../etc/passwd", "/etc/localtime", "Europe//Berlin", ""])
    def test_keys_outside_a_database_are_refused(self, key: str) -> None:
        with pytest.raises(ValueError, match="relative"):
            zone(key)

    @pytest.mark.parametrize("key", ["Europe", "Nowhere/Town", "Europe/Berlin/x"])
    def test_unknown_names(self, key: str) -> None:
        with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
            zone(key)

    def test_this_process_uses_the_newer(self) -> None:
        db = database()
        if db.source == "bundled":
            assert db.version == BUNDLED
        else:
            assert db.version is not None and db.version > BUNDLED


def run_planner(args: list[str], tzpath: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONTZPATH": str(tzpath),
        "PYTHONPATH": str(ROOT),
        "PLANNER_DB": str(tmp_path / "plans.db"),
    }
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


GENERATE = ["generate", "hip-knee", "--start", "2027-01-11", "--days", "mon,wed,fri"]
TIMED = ["--time", "18:00", "--tz", "Europe/Berlin", "--duration", "45"]


@pytest.mark.slow
class TestCommandLine:
    """The real command in a process whose system database (PYTHONTZPATH) is a temp copy."""

    def test_stale_system_database_gives_bundled_times(self, tmp_path: Path) -> None:
        folder = system_db(tmp_path / "zoneinfo", "2000a")
        version = run_planner(["--version"], folder, tmp_path)
        assert version.returncode == 0
        assert f"(time zones: tzdata {BUNDLED}, bundled)" in version.stdout
        for extra, name in (([], "zoned.ics"), (["--utc"], "utc.ics")):
            out = tmp_path / name
            done = run_planner([*GENERATE, *TIMED, *extra, "--out", str(out)], folder, tmp_path)
            assert done.returncode == 0, done.stderr
            start, end = read_icalendar(out.read_bytes())[0]
            assert (start, end - start) == (
                dt.datetime(2027, 1, 11, 17, 0, tzinfo=dt.UTC),  # CET, not the stale +03
                dt.timedelta(minutes=45),
            )
        assert b"DTSTART:20270111T170000Z" in (tmp_path / "utc.ics").read_bytes()

    def test_newer_system_database_wins(self, tmp_path: Path) -> None:
        folder = system_db(tmp_path / "zoneinfo", "2999a")
        version = run_planner(["--version"], folder, tmp_path)
        assert "(time zones: tzdata 2999a, system)" in version.stdout
        out = tmp_path / "plan.ics"
        done = run_planner([*GENERATE, *TIMED, "--utc", "--out", str(out)], folder, tmp_path)
        assert done.returncode == 0, done.stderr
        assert b"DTSTART:20270111T150000Z" in out.read_bytes()

    def test_tz_check_reads_the_chosen_database(self, tmp_path: Path) -> None:
        folder = system_db(tmp_path / "zoneinfo", "2999a")
        out = tmp_path / "plan.ics"
        args = [*GENERATE, "--time", "18:00", "--tz", "Mars/Olympus", "--out", str(out)]
        done = run_planner(args, folder, tmp_path)
        # Found in the system database (so not "unknown"), then refused as no place's zone.
        assert done.returncode == 1
        assert done.stderr.startswith("error: --tz: 'Mars/Olympus' is not a place's time zone")


def test_a_zone_is_one_object_even_when_threads_race() -> None:
    import threading

    names = [n for n in sorted(zoneinfo.available_timezones()) if n.startswith("America/")][:40]
    barrier = threading.Barrier(4)
    seen: list[list[object]] = [[] for _ in range(4)]

    def load(slot: int) -> None:
        barrier.wait()
        seen[slot] = [zone(name) for name in names]

    threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i, name in enumerate(names):
        assert all(got[i] is zone(name) for got in seen), name


def test_a_zone_survives_pickling_and_copying() -> None:
    import copy
    import pickle

    moment = dt.datetime(2027, 10, 31, 2, 30, tzinfo=zone("Europe/Berlin"))
    assert pickle.loads(pickle.dumps(moment)) == moment
    assert copy.deepcopy(moment).tzinfo is moment.tzinfo
