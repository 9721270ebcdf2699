"""Publishing to a misbehaving CalDAV server (a real HTTP server on 127.0.0.1 in a thread):
one error line, the password never shown, bounded reading; and the URL checks."""

import base64
import gzip
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from planner import caldav
from planner.caldav import check_url
from planner.errors import OptionError
from tests.caldav_server import Answer, Request, Scripted, free_port
from tests.fuzzing import fuzz
from tests.helpers import GEN, assert_one_line_error, run

USER = "ana"
PASSWORD = "S3cr3t-horse"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
CHALLENGE = (401, {"WWW-Authenticate": 'Basic realm="cal"'}, b"")
NOT_A_CALENDAR = (
    b"<?xml version='1.0'?><multistatus xmlns='DAV:'><response><href>/</href><propstat>"
    b"<prop><resourcetype><collection/></resourcetype></prop>"
    b"<status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"
)


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A saved plan 'knee' in a store of this test's own; returns the store."""
    store = tmp_path / "plans.db"
    code, _, err = run(*GEN, "--name", "knee", "--db", store, "--out", tmp_path / "k.ics")
    assert code == 0, err
    return store


def publish(store: Path, url: str) -> tuple[int, str, str]:
    return run("publish", "knee", "--db", store, "--caldav-url", url, "--username", USER)


def echoing(body: "Callable[[Request], bytes]", status: int = 500) -> "Callable[[Request], Answer]":
    """Ask for credentials, then answer ``status`` with a body made from the request."""

    def answer(request: Request) -> Answer:
        if "Authorization" not in request.headers:
            return CHALLENGE
        return status, {"Content-Type": "text/plain"}, body(request)

    return answer


def assert_no_secret(err: str, password: str = PASSWORD, token: str = TOKEN) -> None:
    assert password not in err
    # not even a piece of the Basic credentials (as the cut of a long echo used to leave)
    assert not any(token[:size] in err for size in range(6, len(token) + 1)), err


class TestServerEchoes:
    @pytest.mark.parametrize(
        "body",
        [
            lambda r: f"debug: Authorization: {r.headers['Authorization']}\n".encode(),
            lambda r: f"debug: Authorization: {r.headers['Authorization']}\n{r.headers}".encode(),
            lambda r: f'{{"authorization": "{r.headers["Authorization"]}", "x": 1}}'.encode(),
            lambda r: f"you sent {TOKEN} for {USER} with {PASSWORD}".encode(),
            lambda r: f"password={PASSWORD.replace('-', '%2D')}&pw2={PASSWORD}".encode(),
            lambda r: ("x" * 180 + " " + TOKEN).encode(),  # our 200-character cut splits it
            lambda r: ("token " + TOKEN[:12]).encode(),  # the server's own cut
        ],
        ids=["header", "all-headers", "json", "bare", "form", "cut-ours", "cut-theirs"],
    )
    def test_the_password_is_never_printed(self, saved: Path, body: "Callable") -> None:
        with Scripted(echoing(body)) as server:
            code, out, err = publish(saved, server.url)
        assert_one_line_error(code, err, "the server refused to read the URL (500")
        assert server.requests[-1].headers["Authorization"] == f"Basic {TOKEN}"
        assert_no_secret(out + err)
        assert "[hidden]" in err

    def test_latin1_credentials_are_hidden_too(
        self, saved: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        password = "pässwörd-lang"
        monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", password)
        latin1 = base64.b64encode(f"{USER}:{password}".encode("latin-1")).decode()
        utf8 = base64.b64encode(f"{USER}:{password}".encode()).decode()
        with Scripted(echoing(lambda r: f"got {latin1} / {utf8}".encode())) as server:
            code, _, err = publish(saved, server.url)
        assert_one_line_error(code, err, "(500")
        assert_no_secret(err, password, latin1)
        assert_no_secret(err, password, utf8)

    def test_a_long_echo_is_one_short_escaped_line(self, saved: Path) -> None:
        body = b"line one\r\nline \x1b[31mtwo\x00\n" + b"y" * 100_000
        with Scripted(echoing(lambda r: body, status=502)) as server:
            code, _, err = publish(saved, server.url)
        assert_one_line_error(code, err, "(502 Bad Gateway: line one line \\x1b[31mtwo\\x00 yyy")
        assert "\x1b" not in err and "\x00" not in err
        assert len(err) < 400 and err.rstrip().endswith("…)")

    def test_an_error_the_library_raises_is_redacted(self, saved: Path) -> None:
        """The principal lookup fails inside the library, whose error carries the body."""

        def answer(request: Request) -> Answer:
            if "Authorization" not in request.headers:
                return CHALLENGE
            if b"current-user-principal" in request.body:
                return 500, {}, f"Authorization: {request.headers['Authorization']}".encode()
            return 207, {"Content-Type": "text/xml"}, NOT_A_CALENDAR

        with Scripted(answer) as server:
            code, _, err = publish(saved, server.url)
        assert_one_line_error(code, err, "the server refused to find your calendars")
        assert_no_secret(err)
        assert "[hidden]" in err


def multistatus(body: bytes | Iterator[bytes], **headers: str) -> "Callable[[Request], Answer]":
    def answer(request: Request) -> Answer:
        return 207, {"Content-Type": "text/xml", **headers}, body

    return answer


def chunks(total: int, size: int = 1 << 20, pause: float = 0.0) -> Iterator[bytes]:
    for _ in range(total // size):
        time.sleep(pause)
        yield b"<" * size


class TestAnswers:
    @pytest.mark.parametrize(
        ("answer", "needle"),
        [
            (multistatus(b"this is not xml"), "is not CalDAV (the XML does not parse)"),
            (multistatus(b"no xml", **{"Content-Type": "text/html"}), "is not CalDAV"),
            (multistatus(b""), "is not CalDAV"),
            (multistatus(b"<" * 20_000_000), "is 20,000,000 bytes, over the 10,000,000 accepted"),
            (
                multistatus(chunks(20 << 20)),
                "is over the 10,000,000 bytes accepted; publish the plan to a calendar of its own",
            ),
            (
                multistatus(gzip.compress(b" " * (20 << 20)), **{"Content-Encoding": "gzip"}),
                "is over the 10,000,000 bytes accepted; publish the plan to a calendar of its own",
            ),
        ],
        ids=["not-xml", "html", "empty", "20MB", "20MB-chunked", "gzip-bomb"],
    )
    def test_a_bad_multistatus_is_one_error_line(
        self, saved: Path, answer: "Callable[[Request], Answer]", needle: str
    ) -> None:
        before = saved.read_bytes()
        with Scripted(answer) as server:
            code, out, err = publish(saved, server.url)
        assert_one_line_error(code, err, f"{server.url}: the answer when trying to read the URL")
        assert needle in err and out == ""
        assert saved.read_bytes() == before

    def test_an_answer_that_trickles_is_given_up(
        self, saved: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(caldav, "ANSWER_SECONDS", 1)
        started = time.monotonic()
        with Scripted(multistatus(chunks(40 << 16, 1 << 16, pause=0.3))) as server:
            code, _, err = publish(saved, server.url)
        assert_one_line_error(code, err, "the answer when trying to read the URL took over 1 s")
        assert time.monotonic() - started < 5


class TestUrls:
    @pytest.mark.parametrize(
        ("url", "needle"),
        [
            ("https://[::1", "has a host in [...] that is not an IPv6 address"),
            ("https://[zzz]/", "has a host in [...] that is not an IPv6 address"),
            ("https://[::1]x/", "has a host in [...] that is not an IPv6 address"),
            (f"https://{'a' * 64}.example.com/", "has no valid host name"),
            (f"https://{'a.' * 127}com/", "has no valid host name"),
            ("https://a..example.com/", "has no valid host name"),
            ("https://exa%6dple.com/", "has no valid host name"),
            ("https://cal.example.com/\r\nX-Evil: 1", "holds a control character (\\r)"),
            ("https://cal.example.com/a\nb", "holds a control character (\\n)"),
            ("https://cal.example.com/\x1b[2J", "holds a control character (\\x1b)"),
            ("https://ex\u200bample.com/", "control or invisible character '\\u200b'"),
            ("https://cal.example.com/my calendar/", "contains a space; write it as %20"),
            ("https://ana:S3cr3t@cal.example.com/", "leave credentials out of the URL"),
            ("https://ana@cal.example.com/", "give --username"),
            ("https://:@cal.example.com/", "give --username"),
            ("https://ana:S3cr3t@[::1/", "leave credentials out of the URL"),
            ("https://cal.example.com/" + "p" * 3000, "at most 2000"),
        ],
    )
    def test_each_bad_url_is_one_error_line(self, url: str, needle: str, saved: Path) -> None:
        code, _, err = publish(saved, url)
        assert_one_line_error(code, err, needle)
        assert err.startswith("error: --caldav-url: ")
        assert "S3cr3t" not in err and "\x1b" not in err and len(err) < 300

    def test_a_unicode_host_is_sent_in_its_ascii_form(self) -> None:
        assert (
            check_url("https://bücher.example/dav/", False) == "https://xn--bcher-kva.example/dav/"
        )
        assert check_url("  https://cal.example.com/  ", False) == "https://cal.example.com/"
        assert check_url("http://[::1]:5232/", False) == "http://[::1]:5232/"


def _valid_for_the_library(url: str) -> None:
    """What check_url lets through, the HTTP library and the CalDAV client accept."""
    from caldav.davclient import DAVClient, requests

    assert url == url.strip() and not any(c.isspace() or not c.isprintable() for c in url)
    assert "@" not in url.split("://", 1)[1].split("/", 1)[0]
    client = DAVClient(url, username=USER, password=PASSWORD, enable_rfc6764=False)
    requests.Request("PROPFIND", str(client.url)).prepare()


_HOST_ALPHABET = st.sampled_from(
    [
        *"abcxyz019-_.:[]%@ ",
        "\r",
        "\n",
        "\x00",
        "\x1b",
        "\u200b",
        "\u00fc",
        "\uff25",
        "\u0661",
        "::1",
    ]
)
_URLISH = st.tuples(
    st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "https:/", "", "https://u:p@"]),
    st.one_of(
        st.lists(_HOST_ALPHABET, max_size=12).map("".join),
        st.sampled_from(["[::1]", "[::1", "[zzz]", "localhost", "127.0.0.1", "a" * 64]),
        st.text(max_size=8),
    ),
    st.sampled_from(["", ":5232", ":", ":99999", ":x", ":-1", ":٨٠"]),
    st.one_of(st.just("/"), st.text(max_size=10).map(lambda t: "/" + t)),
).map("".join)


@pytest.mark.slow
@fuzz(300, suppress_health_check=[HealthCheck.too_slow])
@given(url=_URLISH, allow_http=st.booleans())
def test_check_url_refuses_or_returns_a_url_the_library_takes(url: str, allow_http: bool) -> None:
    try:
        checked = check_url(url, allow_http)
    except OptionError as exc:
        message = str(exc)
        assert message.startswith("--caldav-url: ")
        assert "\n" not in message and "\r" not in message and "\x1b" not in message
        assert "u:p@" not in message
        return
    _valid_for_the_library(checked)


@pytest.mark.slow
@fuzz(60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(host=st.lists(_HOST_ALPHABET, max_size=10).map("".join), path=st.text(max_size=10))
def test_publish_with_a_fuzzed_url_is_one_line_and_changes_nothing(
    host: str, path: str, saved: Path
) -> None:
    """Plain http to anything but this machine is refused before a request, and this
    machine's port is closed: every outcome is an error line, and the store is untouched."""
    before = saved.read_bytes()
    code, _, err = publish(saved, f"http://{host}:{_CLOSED}/{path}")
    assert code in (1, 2), err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert saved.read_bytes() == before


_CLOSED = free_port()


class TestUidInObjects:
    """Events are found by the UID inside them, however the server writes the text."""

    @pytest.mark.parametrize(
        "text",
        [
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:knee-w1s1@planner\r\nEND:VEVENT\r\n",
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:knee-w1s1@planner\nEND:VEVENT\n",
            "BEGIN:VEVENT\r\nUID:knee-w1\r\n s1@planner\r\nEND:VEVENT\r\n",  # folded
            "BEGIN:VEVENT\nUID;X-P=1:knee-w1s1@planner \nEND:VEVENT\n",  # a parameter
        ],
        ids=["crlf", "lf", "folded", "param"],
    )
    def test_the_uid_is_read(self, text: str) -> None:
        from planner.caldav.sync import uid_in

        assert uid_in(text) == "knee-w1s1@planner"

    @pytest.mark.parametrize(
        "text",
        [
            # The calendar's own UID (RFC 7986) comes first.
            "BEGIN:VCALENDAR\r\nUID:cal-1\r\nBEGIN:VEVENT\r\nUID:knee-w1s1@planner\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n",
            # An alarm's UID (RFC 9074) is written before the event's own.
            "BEGIN:VEVENT\r\nBEGIN:VALARM\r\nUID:alarm-1\r\nEND:VALARM\r\n"
            "UID:knee-w1s1@planner\r\nEND:VEVENT\r\n",
            "begin:vevent\nuid:knee-w1s1@planner\nend:vevent\n",  # names in any case
            'BEGIN:VEVENT\nUID;X-A="a:b":knee-w1s1@planner\nEND:VEVENT\n',  # quoted colon
        ],
        ids=["calendar-uid", "alarm-uid", "lower-case", "quoted-param"],
    )
    def test_the_event_s_own_uid_is_read(self, text: str) -> None:
        from planner.caldav.sync import uid_in

        assert uid_in(text) == "knee-w1s1@planner"

    def test_a_todo_s_uid_is_not_an_event_s(self) -> None:
        from planner.caldav.sync import uid_in

        assert uid_in("BEGIN:VTODO\r\nUID:knee-w1s1@planner\r\nEND:VTODO\r\n") is None

    def test_a_plan_owns_only_its_own_session_uids(self) -> None:
        from planner.service.calendar import owned_by

        owns = owned_by("hip-knee-2507608acf")
        assert owns("hip-knee-2507608acf-w12s3@planner")
        assert not owns("hip-knee-2507608acf-todo@planner")  # the person's own, same start
        assert not owns("hip-knee-2507608acf-w1s1@elsewhere")
        assert not owns("hip-knee-2507608acf0-w1s1@planner")

    def test_no_uid(self) -> None:
        from planner.caldav.sync import uid_in

        assert uid_in("BEGIN:VCALENDAR\r\nX-UID:nope\r\nEND:VCALENDAR\r\n") is None
