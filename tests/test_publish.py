"""CalDAV publishing against real servers (Radicale and Xandikos) started on 127.0.0.1."""

import itertools
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest

from planner.caldav import check_url
from planner.caldav.urls import collection_id, collection_key
from planner.errors import OptionError
from planner.store.database import Store
from tests.caldav_server import PASSWORD, SERVERS, USER, Radicale, Server, free_port
from tests.helpers import GEN, assert_one_line_error, run

_names = itertools.count()
APPLE_COLOR = "{http://apple.com/ns/ical/}calendar-color"


@pytest.fixture
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """Radicale alone: the server of these tests that checks passwords."""
    running = Radicale(tmp_path_factory.mktemp("radicale-auth")).start()
    yield running
    running.stop()


@pytest.fixture
def calendar_name() -> str:
    """A calendar of its own for each test, on the shared server."""
    return f"Test plan {next(_names)}"


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)


def publish(server: Server, calendar: str, *extra: str, plan: str = "knee") -> tuple[int, str, str]:
    return run("publish", plan, "--caldav-url", server.url, "--username", USER,
               "--calendar-name", calendar, *extra)  # fmt: skip


def publish_to(url: str, *extra: str, plan: str = "knee") -> tuple[int, str, str]:
    return run("publish", plan, "--caldav-url", url, "--username", USER, *extra)


def save(tmp_path: Path, *extra: str, name: str = "knee") -> Path:
    out = tmp_path / f"{name}.ics"
    code, _, err = run(*GEN, "--name", name, "--out", out, *extra)
    assert code == 0, err
    return out


def collection(out: str) -> str:
    return out.split(" to ", 1)[1].split(" ", 1)[0].rstrip(":")


def sequences(objects: dict[str, bytes]) -> dict[str, int]:
    found = {}
    for data in objects.values():
        [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
        found[str(event["UID"])] = int(event["SEQUENCE"])
    return found


def new_calendar(server: Server) -> str:
    """An empty calendar made by another client, in the account's calendar home."""
    url = f"{server.home_url}other-{uuid.uuid4().hex[:8]}/"
    body = b'<?xml version="1.0"?><mkcalendar xmlns="urn:ietf:params:xml:ns:caldav"/>'
    server.request("MKCALENDAR", url, body, **{"Content-Type": "application/xml"})
    return url


def import_file(server: Server, ics: Path, url: str) -> list[str]:
    """Put each event of ``ics`` into ``url`` the way a calendar app imports a file: one
    object per event, under a file name of the app's own; returns those names."""
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    names = []
    for event in calendar.walk("VEVENT"):
        one = icalendar.Calendar()
        for key in ("VERSION", "PRODID"):
            one.add(key, calendar[key])
        for zone in calendar.walk("VTIMEZONE"):
            one.add_component(zone)
        one.add_component(event)
        name = f"{uuid.uuid4()}.ics"
        assert server.put(f"{url}{name}", one.to_ical()) in (200, 201, 204)
        names.append(name)
    return names


def calendar_color(server: Server, url: str) -> str | None:
    from xml.etree import ElementTree

    body = (
        b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop>'
        b'<calendar-color xmlns="http://apple.com/ns/ical/"/></prop></propfind>'
    )
    answer = server.request("PROPFIND", url, body, Depth="0", **{"Content-Type": "application/xml"})
    found = ElementTree.fromstring(answer).find(f".//{APPLE_COLOR}")
    return None if found is None or not found.text else found.text


@pytest.mark.slow
class TestPublish:
    def test_creates_then_changes_nothing(
        self, server: Server, calendar_name: str, tmp_path: Path
    ) -> None:
        save(tmp_path)
        code, out, err = publish(server, calendar_name)
        assert code == 0, err
        assert f"(created calendar '{calendar_name}')" in out
        assert "created 24, updated 0, deleted 0, unchanged 0" in out
        url = collection(out)
        assert url.startswith(server.home_url)
        first = server.objects(url)
        assert len(first) == 24 and set(sequences(first).values()) == {0}
        code, out, _ = publish(server, calendar_name)
        assert code == 0 and "created 0, updated 0, deleted 0, unchanged 24" in out
        assert "created calendar" not in out
        assert server.objects(url) == first

    def test_moved_days_update_the_same_objects(
        self, server: Server, calendar_name: str, tmp_path: Path
    ) -> None:
        save(tmp_path)
        url = collection(publish(server, calendar_name)[1])
        before = server.objects(url)
        save(tmp_path, "--days", "tue,thu,sat")
        code, out, _ = publish(server, calendar_name)
        assert code == 0 and "created 0, updated 24, deleted 0, unchanged 0" in out
        after = server.objects(url)
        assert after.keys() == before.keys()
        assert set(sequences(after).values()) == {1}
        assert sequences(after).keys() == sequences(before).keys()

    def test_shorter_plan_deletes_dropped_sessions(
        self, server: Server, calendar_name: str, tmp_path: Path
    ) -> None:
        save(tmp_path)
        url = collection(publish(server, calendar_name)[1])
        save(tmp_path, "--weeks", "6")
        code, out, _ = publish(server, calendar_name)
        assert code == 0 and "deleted 6" in out and "created 0" in out
        left = server.objects(url)
        assert len(left) == 18 and not any("-w7s" in name or "-w8s" in name for name in left)

    def test_only_changed_sessions_are_sent_and_colour_is_the_calendars(
        self, server: Server, calendar_name: str, tmp_path: Path
    ) -> None:
        save(tmp_path)
        code, out, _ = publish(server, calendar_name, "--color", "teal")
        assert code == 0 and "(created calendar" in out
        url = collection(out)
        assert (calendar_color(server, url) or "").upper().startswith("#008080")
        code, out, _ = publish(server, calendar_name, "--remind", "30m")
        assert code == 0 and "updated 24" in out and "colour" not in out
        code, out, _ = publish(server, calendar_name, "--remind", "30m", "--color", "navy")
        assert code == 0 and "unchanged 24" in out  # colour is not event content
        assert "(calendar colour set to navy)" in out
        assert (calendar_color(server, url) or "").upper().startswith("#000080")
        code, out, _ = publish(server, calendar_name, "--remind", "30m", "--color", "navy")
        assert code == 0 and "colour" not in out

    def test_refresh_is_said_to_do_nothing(
        self, server: Server, calendar_name: str, tmp_path: Path
    ) -> None:
        save(tmp_path)
        code, out, err = publish(server, calendar_name, "--refresh", "1h")
        assert code == 0 and "created 24" in out
        assert "--refresh does nothing on publish" in err

    def test_two_plans_in_one_calendar_keep_to_their_own(
        self, server: Server, calendar_name: str, tmp_path: Path
    ) -> None:
        save(tmp_path)
        url = collection(publish(server, calendar_name)[1])
        # The physio's case: a second person on the same template from the same Monday
        # (other weekdays). Their events must not claim each other's.
        save(tmp_path, "--days", "tue,thu,sat", name="other")
        code, out, _ = publish_to(url, plan="other")
        assert code == 0 and "created 24" in out and "created calendar" not in out
        save(tmp_path, "--weeks", "4")
        assert "deleted 12" in publish(server, calendar_name)[1]
        assert len(server.objects(url)) == 12 + 24
        code, out, _ = publish_to(url, plan="other")
        assert code == 0 and "created 0, updated 0, deleted 0, unchanged 24" in out

    def test_import_then_publish_updates_the_imported_events_in_place(
        self, server: Server, tmp_path: Path
    ) -> None:
        ics = save(tmp_path)
        url = new_calendar(server)
        names = import_file(server, ics, url)
        assert len(names) == 24
        code, out, err = publish_to(url)
        assert code == 0, err
        assert "created 0, updated 24, deleted 0, unchanged 0" in out
        held = server.objects(url)
        assert sorted(held) == sorted(names)  # updated where the app put them
        assert len(sequences(held)) == 24
        code, out, _ = publish_to(url)
        assert code == 0 and "unchanged 24" in out
        save(tmp_path, "--weeks", "6")
        code, out, err = publish_to(url)
        assert code == 0, err
        assert "created 0," in out and "deleted 6," in out  # found by UID, not file name
        left = server.objects(url)
        assert len(left) == 18 and set(left) < set(names)

    def test_a_calendar_url_that_does_not_exist_yet_is_made(
        self, server: Server, tmp_path: Path
    ) -> None:
        save(tmp_path)
        url = f"{server.home_url}newcal-{uuid.uuid4().hex[:6]}/"
        code, out, err = publish_to(url, "--calendar-name", "Knee rehab", "--color", "red")
        assert code == 0, err
        assert "(created calendar 'Knee rehab')" in out and "created 24" in out
        assert collection(out) == url
        assert len(server.objects(url)) == 24
        assert (calendar_color(server, url) or "").upper().startswith("#FF0000")
        code, out, _ = publish_to(url)
        assert code == 0 and "unchanged 24" in out and "created calendar" not in out

    def test_a_missing_url_outside_the_calendar_home_is_refused(
        self, server: Server, tmp_path: Path
    ) -> None:
        save(tmp_path)
        url = f"{server.home_url}nothing-{uuid.uuid4().hex[:6]}/deeper/"
        code, _, err = publish_to(url)
        assert_one_line_error(code, err, "404 Not Found")
        assert "only in your calendar home" in err and "check --caldav-url" in err

    @pytest.mark.parametrize("hidden", ["..%2Fbob%2Fnew", "a%2Fb", "a%5Cb"])
    def test_a_new_calendar_url_that_hides_another_folder_is_refused(
        self, hidden: str, server: Server, tmp_path: Path
    ) -> None:
        # The server decodes %2F and resolves "..": the calendar could land in another
        # person's folder, which only the server's access rules would stop.
        save(tmp_path)
        code, _, err = publish_to(f"{server.home_url}{hidden}/")
        assert_one_line_error(code, err, "error: ")
        # Refused by planner, or already by the server's own access rules (Radicale).
        assert "only in your calendar home" in err or "(403 Forbidden)" in err

    def test_names_map_to_distinct_short_calendars(self, server: Server, tmp_path: Path) -> None:
        save(tmp_path)
        tag = uuid.uuid4().hex[:6]
        names = [f"Knee, hips {tag}", f"Knee hips {tag}", f"🏋️ {tag}", f"💪 {tag}", "ü" * 190 + tag]
        urls = set()
        for name in names:
            code, out, err = publish(server, name)
            assert code == 0, err
            assert "created 24" in out
            urls.add(collection(out))
            code, out, _ = publish(server, name)
            assert code == 0 and "unchanged 24" in out  # non-ASCII names keep their memory
        assert len(urls) == len(names)
        assert all(len(url) - len(server.home_url) < 64 for url in urls)

    def test_localhost_and_127_0_0_1_share_one_memory(
        self, server: Server, calendar_name: str, tmp_path: Path
    ) -> None:
        save(tmp_path)
        publish(server, calendar_name)
        local = server.url.replace("127.0.0.1", "localhost")
        code, out, _ = run("publish", "knee", "--caldav-url", local, "--username", USER,
                           "--calendar-name", calendar_name)  # fmt: skip
        assert code == 0 and "created 0, updated 0, deleted 0, unchanged 24" in out

    def test_memory_kept_by_an_older_planner_still_counts(
        self, server: Server, tmp_path: Path
    ) -> None:
        """Older planners keyed the memory by the URL as typed: after an upgrade nothing
        is sent again, and the memory moves to the new key."""
        save(tmp_path)
        typed = f"{server.home_url}cal-{uuid.uuid4().hex[:6]}".replace("127.0.0.1", "localhost")
        code, out, _ = publish_to(typed)
        assert code == 0 and "created 24" in out
        db = os.environ["PLANNER_DB"]
        with sqlite3.connect(db) as connection:
            connection.execute("UPDATE published SET collection = ?", (typed,))
        connection.close()
        code, out, _ = publish_to(typed)
        assert code == 0 and "created 0, updated 0, deleted 0, unchanged 24" in out
        with sqlite3.connect(db) as connection:
            keys = {row[0] for row in connection.execute("SELECT collection FROM published")}
        connection.close()
        assert keys == {collection_key(typed + "/")}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(SERVERS))
def test_server_lost_mid_publish_then_next_publish_finishes(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = SERVERS[kind](tmp_path / "server").start()
    try:
        save(tmp_path)
        original = Store.record_published
        calls = []

        def stop_after_five(self: Store, *args: object) -> None:
            original(self, *args)  # type: ignore[arg-type]
            calls.append(1)
            if len(calls) == 5:
                running.stop()

        monkeypatch.setattr(Store, "record_published", stop_after_five)
        code, _, err = publish(running, "Rehab")
        assert_one_line_error(code, err, f"cannot reach {running.url}")
        done = re.search(r"after (\d+) of 24 changes; run publish again to finish", err)
        assert done, err
        # What finished while the first failure was reported is recorded too.
        recorded = int(done.group(1))
        assert recorded == len(calls) >= 5
        monkeypatch.setattr(Store, "record_published", original)
        running.start()
        code, out, err = publish(running, "Rehab")
        assert code == 0, err
        counts = dict(re.findall(r"(created|updated|deleted|unchanged) (\d+)", out))
        assert int(counts["unchanged"]) == recorded and counts["deleted"] == "0"
        # An object the server stored but whose answer was lost is updated, not duplicated.
        assert int(counts["created"]) + int(counts["updated"]) == 24 - recorded
        objects = running.objects(collection(out))
        assert len(objects) == 24 and len(sequences(objects)) == 24
        code, out, _ = publish(running, "Rehab")
        assert "unchanged 24" in out
    finally:
        running.stop()


def test_wrong_password(
    radicale: Radicale, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(tmp_path)
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", "wrong-horse")
    code, out, err = publish(radicale, "Never made")
    assert_one_line_error(code, err, "wrong username or password (401 Unauthorized)")
    assert "wrong-horse" not in out + err


def test_no_username_where_the_server_asks_for_one(radicale: Radicale, tmp_path: Path) -> None:
    save(tmp_path)
    code, out, err = run("publish", "knee", "--caldav-url", radicale.url)
    assert_one_line_error(code, err, "the server asks for a user name: give --username")
    assert "wrong username" not in err and PASSWORD not in out + err


def test_someone_elses_calendar_is_forbidden(radicale: Radicale, tmp_path: Path) -> None:
    save(tmp_path)
    code, _, err = publish_to(f"{radicale.url}bob/")
    assert_one_line_error(code, err, f"the server does not let '{USER}' read the URL (403")


def test_unreachable_server(tmp_path: Path) -> None:
    save(tmp_path)
    url = f"http://127.0.0.1:{free_port()}/"
    code, _, err = publish_to(url)
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
    radicale: Radicale, calendar_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save(tmp_path)
    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD")
    code, out, err = run("publish", "knee", "--caldav-url", radicale.url, "--username", USER,
                         "--calendar-name", calendar_name, stdin=f"{PASSWORD}\n")  # fmt: skip
    assert code == 0, err
    assert "created 24" in out and PASSWORD not in out + err
    code, _, err = run("publish", "knee", "--caldav-url", radicale.url, "--username", USER,
                       stdin="")  # fmt: skip
    assert_one_line_error(code, err, "no CalDAV password: set PLANNER_CALDAV_PASSWORD")


def test_unknown_plan_name(tmp_path: Path) -> None:
    save(tmp_path)
    code, _, err = publish_to(f"http://127.0.0.1:{free_port()}/", plan="nope")
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
    code, _, err = publish_to(url)
    assert_one_line_error(code, err, needle)
    assert "bob:pw" not in err  # credentials are never echoed


def test_url_rules() -> None:
    assert check_url("http://localhost:5232/", False)
    assert check_url("http://[::1]:5232/", False)
    assert check_url("http://cal.example.com/", True)
    with pytest.raises(OptionError):
        check_url("http://10.0.0.2/", False)


class TestCollectionIds:
    def test_names_differing_in_punctuation_case_or_script_get_their_own(self) -> None:
        names = ["Knee, hips", "Knee hips", "knee hips", "🏋️", "💪", "Knie", "Knié"]
        assert len({collection_id(name) for name in names}) == len(names)

    def test_ids_are_short_readable_ascii(self) -> None:
        assert re.fullmatch(r"planner-knee-hips-[0-9a-f]{10}", collection_id("Knee, hips!"))
        assert re.fullmatch(r"planner-[0-9a-f]{10}", collection_id("💪"))
        long = collection_id("Übung " * 100)
        assert long.isascii() and len(long) <= 60 and long.startswith("planner-ubung-ubung")

    def test_the_same_name_gives_the_same_id(self) -> None:
        assert collection_id("Rehab") == collection_id("Rehab")


class TestCollectionKeys:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1:5232/alice/%c3%bc/",
            "HTTP://LOCALHOST:5232/alice/%C3%BC",
            "http://[::1]:5232/alice/ü/",
            "http://localhost:5232/alice/%C3%BC//",
        ],
    )
    def test_spellings_of_one_calendar_are_one_key(self, url: str) -> None:
        assert collection_key(url) == "http://localhost:5232/alice/%C3%BC/"

    def test_default_ports_and_other_hosts(self) -> None:
        assert collection_key("https://Cal.Example.com:443/a/") == "https://cal.example.com/a/"
        assert collection_key("https://cal.example.com:8443/a/") != collection_key(
            "https://other.example.com:8443/a/"
        )
        assert collection_key("http://h/%7Ealice/") == "http://h/~alice/"
