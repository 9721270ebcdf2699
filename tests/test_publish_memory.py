"""Publishing's memory stays exact whatever order the pool sends objects in.

Every publish here goes through a relay (tests/caldav_server.py) in front of a real
Radicale or Xandikos: it sees every request and answer, and fails one request chosen by
the order requests arrive in. The plan's objects are handed to the sync in a shuffled
order, and the memory (the store's Ledger) is checked against the server and the relay
after every single ``remember`` and at the end of every publish. All assertions are on
sets of UIDs, never on which UIDs happened to be sent first or to fail.
"""

import hashlib
import random
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
import pytest

import planner.caldav
from planner.caldav import Counts, Ledger, Target
from planner.caldav.sync import uid_in
from planner.service.stores import store_at
from planner.store.records import Published
from tests.caldav_server import PASSWORD, USER, Relay, Relayed, Server
from tests.helpers import GEN, assert_one_line_error, run

SESSIONS = 24  # the default plan: 8 weeks x 3
PLAN = "knee"
_REAL_PUBLISH = planner.caldav.publish


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)


def uid_of(path: str) -> str:
    """The UID planner names an object's path after."""
    return unquote(path.rsplit("/", 1)[-1].removesuffix(".ics"))


def path_of(href: str) -> str:
    return unquote(urlsplit(href).path)


def event_of(data: bytes) -> dict[str, str]:
    """The properties of the object's event that say which session and version it is: a
    server may store the object re-serialised (Radicale does), not byte for byte."""
    [event] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return {key: str(event.decoded(key)) for key in ("UID", "SEQUENCE", "DTSTART", "SUMMARY")}


@dataclass
class Watched:
    """A Ledger that checks, after every ``remember``, that what it was just told is true
    on the server and is what the relay saw the server acknowledge."""

    inner: Ledger
    server: Server
    relay: Relay
    caller: int = field(default_factory=threading.get_ident)
    remembered: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    key: str = ""

    def load(self, collection: str) -> dict[str, Published]:
        self.key = self.key or collection  # the first: later ones look for older keys
        return self.inner.load(collection)

    def rename(self, old: str, new: str) -> None:
        self.inner.rename(old, new)

    def remember(self, collection: str, uid: str, entry: Published | None) -> None:
        before = self.inner.load(collection).get(uid)
        self.inner.remember(collection, uid, entry)
        self.remembered.append(uid)
        try:
            # Only the calling thread writes the memory (the store is not shared by threads).
            assert threading.get_ident() == self.caller, "remembered from a worker thread"
            self._check(uid, before, entry)
        except AssertionError as exc:
            # Raised inside the publish, it ends as the command's failure: kept to be shown.
            self.problems.append(f"{uid}: {exc}")
            raise

    def _check(self, uid: str, before: Published | None, entry: Published | None) -> None:
        if entry is None:
            assert before is not None, f"{uid} forgotten but never remembered"
            path = path_of(before.href)
            done = self._answers("DELETE", path)
            assert done and done[-1].status in (200, 204, 404), (uid, done)
            assert self.server.get(path)[0] == 404, f"{uid} forgotten but still on the server"
            return
        path = path_of(entry.href)
        assert uid_of(path) == uid or before is not None  # imported objects keep their names
        stored = self._answers("PUT", path)
        assert stored, f"{uid} remembered without an answer from the server"
        last = stored[-1]
        assert last.status is not None and 200 <= last.status < 300, (uid, last.status)
        assert hashlib.sha256(last.body).hexdigest() == entry.digest, uid
        assert entry.etag == last.etag, (uid, entry.etag, last.etag)
        status, held = self.server.get(path)
        assert status == 200, f"{uid} remembered but not on the server ({status})"
        assert uid_in(held.decode()) == uid
        assert event_of(held) == event_of(last.body), uid

    def _answers(self, method: str, path: str) -> list[Relayed]:
        with self.relay.lock:
            log = sorted(self.relay.log, key=lambda r: r.number)
        return [r for r in log if r.method == method and r.answered and path_of(r.path) == path]


@dataclass
class Step:
    """What one publish did, as the relay and the watched memory saw it."""

    code: int
    out: str
    err: str
    requests: list[Relayed]
    remembered: list[str]
    key: str


class Rig:
    """Publishes the saved plan through ``relay`` to ``server``, the objects shuffled."""

    def __init__(
        self, server: Server, relay: Relay, monkeypatch: pytest.MonkeyPatch, seed: int
    ) -> None:
        self.server, self.relay, self.rng = server, relay, random.Random(seed)
        self.calendar = f"Memory {seed} {id(self)}"
        self.watched: Watched | None = None
        monkeypatch.setattr(planner.caldav, "publish", self._publish)

    def _publish(
        self,
        target: Target,
        objects: Mapping[str, bytes],
        owns: Callable[[str], bool],
        ledger: Ledger,
    ) -> Counts:
        items = list(objects.items())
        self.rng.shuffle(items)  # the pool sends in this order: any order must do
        self.watched = Watched(ledger, self.server, self.relay)
        return _REAL_PUBLISH(target, dict(items), owns, self.watched)

    def publish(self) -> Step:
        start = len(self.relay.log)
        code, out, err = run("publish", PLAN, "--caldav-url", self.relay.url, "--username",
                             USER, "--calendar-name", self.calendar)  # fmt: skip
        assert self.watched is not None
        assert not self.watched.problems, self.watched.problems[0]
        with self.relay.lock:
            requests = sorted(self.relay.log[start:], key=lambda r: r.number)
        step = Step(code, out, err, requests, self.watched.remembered, self.watched.key)
        self.check(step)
        return step

    def memory(self, key: str) -> dict[str, Published]:
        store = store_at(None, create=False)
        assert store is not None
        with store:
            return store.published(PLAN, key)

    def on_server(self) -> dict[str, list[str]]:
        """UID -> the names of the objects holding it, read straight from the server."""
        found: dict[str, list[str]] = {}
        url = self.server.url.rstrip("/") + self.collection
        for name, data in self.server.objects(url).items():
            found.setdefault(event_of(data)["UID"], []).append(name)
        return found

    @property
    def collection(self) -> str:
        made = [r for r in self.relay.log if r.method == "MKCALENDAR"]
        assert made, "the calendar was never made"
        return path_of(made[0].path).rstrip("/") + "/"

    def check(self, step: Step) -> None:
        """At the end of a publish: each change the server acknowledged is remembered
        exactly once, nothing else is, and all the memory holds is on the server."""
        acknowledged = {
            uid_of(r.path)
            for r in step.requests
            if r.method in ("PUT", "DELETE") and r.answered and r.status is not None
            if 200 <= r.status < 300 or (r.method == "DELETE" and r.status == 404)
        }
        assert sorted(step.remembered) == sorted(acknowledged)
        with self.relay.lock:
            log = sorted(self.relay.log, key=lambda r: r.number)
        told = {  # path -> the bytes the server last said it stored there
            path_of(r.path): r
            for r in log
            if r.method == "PUT" and r.answered and r.status is not None
            if 200 <= r.status < 300
        }
        for uid, entry in self.memory(step.key).items():
            last = told[path_of(entry.href)]
            assert hashlib.sha256(last.body).hexdigest() == entry.digest, uid
            assert entry.etag == last.etag, uid
            # The server holds those bytes, or ones sent later whose answer was lost.
            unheard = [
                r.body
                for r in log
                if r.method == "PUT" and path_of(r.path) == path_of(entry.href)
                if r.number > last.number and not r.answered
            ]
            status, held = self.server.get(entry.href)
            assert status == 200, uid
            assert event_of(held) in [event_of(body) for body in [last.body, *unheard]], uid


def save(tmp_path: Path, *extra: str) -> None:
    code, _, err = run(*GEN, "--name", PLAN, "--out", tmp_path / "knee.ics", *extra)
    assert code == 0, err


def counts(out: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"(created|updated|deleted|unchanged) (\d+)", out)}


def sent(step: Step, method: str = "PUT") -> list[str]:
    """The UIDs whose ``method`` requests the server took (one refused as locked is sent
    again, and counts once)."""
    return [
        uid_of(r.path)
        for r in step.requests
        if r.method == method
        and r.status is not None
        and (200 <= r.status < 300 or r.status == 404)
    ]


@pytest.fixture
def relayed(server: Server) -> Iterator[Relay]:
    with Relay(server, delay=0.05) as relay:
        yield relay


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_memory_is_exact_after_every_object(
    seed: int, server: Server, relayed: Relay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = Rig(server, relayed, monkeypatch, seed)
    save(tmp_path)
    first = rig.publish()
    assert first.code == 0, first.err
    assert counts(first.out) == {"created": 24, "updated": 0, "deleted": 0, "unchanged": 0}
    assert relayed.most_in_flight >= 3  # the pool really sent several at once
    assert sorted(first.remembered) == sorted(set(sent(first)))
    uids = set(first.remembered)
    assert len(uids) == SESSIONS and set(rig.on_server()) == uids
    assert set(rig.memory(first.key)) == uids

    save(tmp_path, "--days", "tue,thu,sat")
    moved = rig.publish()
    assert moved.code == 0, moved.err
    assert counts(moved.out) == {"created": 0, "updated": 24, "deleted": 0, "unchanged": 0}
    assert sorted(sent(moved)) == sorted(uids)

    save(tmp_path, "--days", "tue,thu,sat", "--weeks", "6")
    shorter = rig.publish()
    assert shorter.code == 0, shorter.err
    got = counts(shorter.out)  # the last weeks left may change too (the plan ends sooner)
    assert got["created"] == 0 and got["deleted"] == 6
    assert got["updated"] + got["unchanged"] == 18 and len(sent(shorter)) == got["updated"]
    dropped = set(sent(shorter, "DELETE"))
    assert len(dropped) == 6 and dropped.isdisjoint(sent(shorter))
    assert set(rig.memory(shorter.key)) == set(rig.on_server()) == uids - dropped

    again = rig.publish()
    assert again.code == 0 and counts(again.out)["unchanged"] == 18
    assert not sent(again) and not sent(again, "DELETE") and not again.remembered


# (how the N-th PUT received fails, N, shuffle seed): N early, middle and late, so the
# failure meets a full pool, one draining, and one with jobs still queued.
FAILURES = [("refuse", 3, 11), ("cut", 8, 12), ("lost", 14, 13), ("refuse", 20, 14)]


@pytest.mark.slow
@pytest.mark.parametrize(("how", "nth", "seed"), FAILURES)
@pytest.mark.parametrize("moving", [False, True], ids=["create", "update"])
def test_failure_mid_publish_then_publish_again_finishes(
    how: str,
    nth: int,
    seed: int,
    moving: bool,
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save(tmp_path)
    with Relay(server, delay=0.05) as relay:
        rig = Rig(server, relay, monkeypatch, seed)
        if moving:  # the failure lands in a publish of changed sessions
            assert rig.publish().code == 0
            save(tmp_path, "--days", "tue,thu,sat")
        relay.fail_at, relay.fail_how = relay.counts.get("PUT", 0) + nth, how
        failed = rig.publish()
        relay.fail_at = None
        puts = [r for r in failed.requests if r.method == "PUT"]
        [failing] = [r for r in puts if r.status is None or not r.answered]
        # It failed while other requests were in flight (at least two besides it), unless
        # the server had refused parallel writes as locked (Xandikos may): from then on the
        # pool sends one at a time, by design.
        locked = any(r.status in (423, 500) for r in puts if r.number < failing.number)
        assert relay.around_failure is not None
        assert relay.around_failure >= 3 or (locked and relay.around_failure >= 1)

        reason = "(503 Service Unavailable)" if how == "refuse" else "(connection lost)"
        assert_one_line_error(failed.code, failed.err, reason)
        done = re.search(r"after (\d+) of 24 changes; run publish again to finish", failed.err)
        assert done, failed.err
        assert int(done.group(1)) == len(failed.remembered) > 0
        memory = rig.memory(failed.key)
        held = rig.on_server()
        assert all(len(names) == 1 for names in held.values())
        if moving:
            assert set(held) == set(memory) and len(held) == SESSIONS
        else:
            assert set(failed.remembered) == set(memory)
            # What the server holds is what the memory holds, and the object whose answer
            # was lost (the server stored it; nobody told the memory) when one was.
            lost = {uid_of(failing.path)} if how == "lost" else set()
            assert set(held) == set(memory) | lost and not lost & set(memory)

        again = rig.publish()
        assert again.code == 0, again.err
        got = counts(again.out)
        resent = set(sent(again))
        assert len(sent(again)) == len(resent)  # each at most once
        if moving:
            fresh = set(failed.remembered)
            assert got == {"created": 0, "updated": SESSIONS - len(fresh), "deleted": 0,
                           "unchanged": len(fresh)}  # fmt: skip
            assert resent == set(memory) - fresh  # the ones updated already: not sent again
        else:
            updated = 1 if how == "lost" else 0  # stored, answer lost: updated where it is
            assert got == {"created": SESSIONS - len(memory) - updated, "updated": updated,
                           "deleted": 0, "unchanged": len(memory)}  # fmt: skip
            assert resent.isdisjoint(memory)  # unchanged ones are not sent again
            assert len(resent) == SESSIONS - len(memory)
        final = rig.on_server()
        assert len(final) == SESSIONS and all(len(names) == 1 for names in final.values())
        assert set(rig.memory(again.key)) == set(final)

        last = rig.publish()
        assert last.code == 0 and counts(last.out)["unchanged"] == SESSIONS
        assert not sent(last) and not last.remembered
