"""A moved or paused session updates its own event in place on a real CalDAV server
(Radicale and Xandikos on 127.0.0.1): the same UID, the new day, a higher SEQUENCE, and no
event added twice."""

import itertools
from pathlib import Path

import icalendar
import pytest

from tests.caldav_server import PASSWORD, USER, Server
from tests.helpers import GEN, run

_names = itertools.count()


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-06")  # the day before the plan starts


def publish(server: Server, calendar: str) -> str:
    code, out, err = run(
        "publish", "knee", "--caldav-url", server.url, "--username", USER,
        "--calendar-name", calendar,
    )  # fmt: skip
    assert code == 0, err
    return out


def events(server: Server, url: str) -> dict[str, tuple[str, int]]:
    """Each event's UID with its start day and SEQUENCE."""
    found = {}
    for data in server.objects(url).values():
        [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
        day = event.decoded("DTSTART")
        found[str(event["UID"])] = (day.isoformat()[:10], int(event["SEQUENCE"]))
    return found


def collection(out: str) -> str:
    return out.split(" to ", 1)[1].split(" ", 1)[0].rstrip(":")


@pytest.mark.slow
@pytest.mark.parametrize(
    "change",
    [
        ["move", "knee", "W1S2", "--to", "2026-12-10"],
        ["pause", "knee", "--from", "2026-12-09", "--until", "2026-12-11"],
    ],
    ids=["move", "pause"],
)
def test_changed_session_updates_in_place(
    server: Server, tmp_path: Path, change: list[str]
) -> None:
    calendar = f"Life plan {next(_names)}"
    code, _, err = run(*GEN, "--name", "knee", "--out", tmp_path / "knee.ics")
    assert code == 0, err
    url = collection(publish(server, calendar))
    before = events(server, url)
    w1s2 = next(uid for uid in before if uid.lower().endswith("-w1s2@planner"))
    assert before[w1s2] == ("2026-12-09", 0)
    code, _, err = run(*change)
    assert code == 0, err
    out = publish(server, calendar)
    assert "created 0" in out and "deleted 0" in out
    after = events(server, url)
    assert after.keys() == before.keys()  # same UIDs: nothing added twice, nothing lost
    day, sequence = after[w1s2]
    assert day == "2026-12-10" if change[0] == "move" else day == "2026-12-12"
    assert sequence > before[w1s2][1]
    # Sessions the change did not touch keep their event as it was.
    w1s1 = next(uid for uid in before if uid.lower().endswith("-w1s1@planner"))
    assert after[w1s1] == before[w1s1]
