"""CalDAV publishing against a real Radicale server started on 127.0.0.1."""

import itertools
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from planner.caldav import check_url
from planner.errors import OptionError
from planner.store.database import Store
from tests.caldav_server import PASSWORD, USER, Radicale, free_port
from tests.helpers import GEN, assert_one_line_error, run

_names = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    radicale = Radicale(tmp_path_factory.mktemp("radicale")).start()
    yield radicale
    radicale.stop()


@pytest.fixture
def calendar_name() -> str:
    """A calendar of its own for each test, on the shared server."""
    return f"Test plan {next(_names)}"


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)


def publish(server: Radicale, calendar: str, *extra: str) -> tuple[int, str, str]:
    return run("publish", "knee", "--caldav-url", server.url, "--username", USER,
               "--calendar-name", calendar, *extra)  # fmt: skip


def save(tmp_path: Path, *extra: str) -> None:
    code, _, err = run(*GEN, "--name", "knee", "--out", tmp_path / "k.ics", *extra)
    assert code == 0, err


def collection(server: Radicale, out: str) -> str:
    return out.split(" to ", 1)[1].split(" ", 1)[0].rstrip(":")


def sequences(objects: dict[str, bytes]) -> dict[str, int]:
    found = {}
    for data in objects.values():
        [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
        found[str(event["UID"])] = int(event["SEQUENCE"])
    return found


@pytest.mark.slow
def test_publish_creates_then_changes_nothing(
    server: Radicale, calendar_name: str, tmp_path: Path
) -> None:
    save(tmp_path)
    code, out, err = publish(server, calendar_name)
    assert code == 0, err
    assert f"(created calendar '{calendar_name}')" in out
    assert "created 24, updated 0, deleted 0, unchanged 0" in out
    url = collection(server, out)
    first = server.objects(url)
    assert len(first) == 24 and set(sequences(first).values()) == {0}
    code, out, _ = publish(server, calendar_name)
    assert code == 0 and "created 0, updated 0, deleted 0, unchanged 24" in out
    assert "created calendar" not in out
    assert server.objects(url) == first


@pytest.mark.slow
def test_moved_days_update_the_same_objects(
    server: Radicale, calendar_name: str, tmp_path: Path
) -> None:
    save(tmp_path)
    url = collection(server, publish(server, calendar_name)[1])
    before = server.objects(url)
    save(tmp_path, "--days", "tue,thu,sat")
    code, out, _ = publish(server, calendar_name)
    assert code == 0 and "created 0, updated 24, deleted 0, unchanged 0" in out
    after = server.objects(url)
    assert after.keys() == before.keys()
    assert set(sequences(after).values()) == {1}
    assert sequences(after).keys() == sequences(before).keys()


@pytest.mark.slow
def test_shorter_plan_deletes_dropped_sessions(
    server: Radicale, calendar_name: str, tmp_path: Path
) -> None:
    save(tmp_path)
    url = collection(server, publish(server, calendar_name)[1])
    save(tmp_path, "--weeks", "6")
    code, out, _ = publish(server, calendar_name)
    assert code == 0 and "deleted 6" in out and "created 0" in out
    left = server.objects(url)
    assert len(left) == 18 and not any("-w7s" in name or "-w8s" in name for name in left)


@pytest.mark.slow
def test_only_changed_sessions_are_sent(
    server: Radicale, calendar_name: str, tmp_path: Path
) -> None:
    save(tmp_path)
    publish(server, calendar_name)
    code, out, _ = publish(server, calendar_name, "--remind", "30m")
    assert code == 0 and "updated 24" in out
    code, out, _ = publish(server, calendar_name, "--remind", "30m", "--color", "navy")
    assert code == 0 and "unchanged 24" in out  # colour is not event content


@pytest.mark.slow
def test_other_objects_in_the_calendar_are_left_alone(
    server: Radicale, calendar_name: str, tmp_path: Path
) -> None:
    save(tmp_path)
    url = collection(server, publish(server, calendar_name)[1])
    code, _, err = run(*GEN, "--name", "other", "--start", "2027-02-01",
                       "--out", tmp_path / "o.ics")  # fmt: skip
    assert code == 0, err
    code, out, _ = run("publish", "other", "--caldav-url", url, "--username", USER)
    assert code == 0 and "created 24" in out and "created calendar" not in out
    save(tmp_path, "--weeks", "4")
    assert "deleted 12" in publish(server, calendar_name)[1]
    assert len(server.objects(url)) == 12 + 24


@pytest.mark.slow
def test_server_lost_mid_publish_then_next_publish_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    radicale = Radicale(tmp_path / "server").start()
    try:
        save(tmp_path)
        original = Store.record_published
        calls = []

        def stop_after_five(self: Store, *args: object) -> None:
            original(self, *args)  # type: ignore[arg-type]
            calls.append(1)
            if len(calls) == 5:
                radicale.stop()

        monkeypatch.setattr(Store, "record_published", stop_after_five)
        code, _, err = publish(radicale, "Rehab")
        assert_one_line_error(code, err, f"cannot reach {radicale.url}")
        assert "after 5 of 24 changes; run publish again" in err
        monkeypatch.setattr(Store, "record_published", original)
        radicale.start()
        code, out, err = publish(radicale, "Rehab")
        assert code == 0, err
        assert "created 19, updated 0, deleted 0, unchanged 5" in out
        objects = radicale.objects(collection(radicale, out))
        assert len(objects) == 24 and len(sequences(objects)) == 24
    finally:
        radicale.stop()


def test_wrong_password(server: Radicale, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save(tmp_path)
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", "wrong-horse")
    code, out, err = publish(server, "Never made")
    assert_one_line_error(code, err, "wrong username or password (401 Unauthorized)")
    assert "wrong-horse" not in out + err


def test_someone_elses_calendar_is_forbidden(server: Radicale, tmp_path: Path) -> None:
    save(tmp_path)
    url = f"{server.url}bob/"
    code, _, err = run("publish", "knee", "--caldav-url", url, "--username", USER)
    assert_one_line_error(code, err, f"the server does not let '{USER}' read the URL (403")


def test_missing_calendar_url(server: Radicale, tmp_path: Path) -> None:
    save(tmp_path)
    url = f"{server.url}{USER}/no-such-calendar/"
    code, _, err = run("publish", "knee", "--caldav-url", url, "--username", USER)
    assert_one_line_error(code, err, "404 Not Found")
    assert "check --caldav-url" in err


def test_unreachable_server(tmp_path: Path) -> None:
    save(tmp_path)
    url = f"http://127.0.0.1:{free_port()}/"
    code, _, err = run("publish", "knee", "--caldav-url", url, "--username", USER)
    assert_one_line_error(code, err, f"cannot reach {url} (connection refused)")


def test_server_refusing_an_object_shows_its_reason(tmp_path: Path) -> None:
    radicale = Radicale(tmp_path / "small", max_body=2000).start()
    try:
        save(tmp_path)
        code, _, err = publish(radicale, "Too big")
        assert_one_line_error(code, err, "the server refused to store session")
        assert "413" in err
    finally:
        radicale.stop()


def test_password_is_asked_when_not_in_the_environment(
    server: Radicale, calendar_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(tmp_path)
    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD")
    code, out, err = run("publish", "knee", "--caldav-url", server.url, "--username", USER,
                         "--calendar-name", calendar_name, stdin=f"{PASSWORD}\n")  # fmt: skip
    assert code == 0, err
    assert "created 24" in out and PASSWORD not in out + err
    code, _, err = run("publish", "knee", "--caldav-url", server.url, "--username", USER, stdin="")
    assert_one_line_error(code, err, "no CalDAV password: set PLANNER_CALDAV_PASSWORD")


def test_unknown_plan_name(server: Radicale, tmp_path: Path) -> None:
    save(tmp_path)
    code, _, err = run("publish", "nope", "--caldav-url", server.url, "--username", USER)
    assert_one_line_error(code, err, "no saved plan named 'nope'")
    assert "saved plans: knee" in err


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("not a url", "is not an http(s) URL"),
        ("ftp://cal.example.com/", "is not an http(s) URL"),
        ("https://bob:pw@cal.example.com/", "leave credentials out of the URL"),
        ("http://cal.example.com/dav/", "would send your password unencrypted"),
        ("https://cal.example.com:99999/", "invalid port"),
    ],
)
def test_bad_urls_are_refused_before_any_request(url: str, needle: str, tmp_path: Path) -> None:
    save(tmp_path)
    code, _, err = run("publish", "knee", "--caldav-url", url, "--username", USER)
    assert_one_line_error(code, err, needle)
    assert "bob:pw" not in err  # credentials are never echoed


def test_url_rules() -> None:
    assert check_url("http://localhost:5232/", False)
    assert check_url("http://[::1]:5232/", False)
    assert check_url("http://cal.example.com/", True)
    with pytest.raises(OptionError):
        check_url("http://10.0.0.2/", False)
