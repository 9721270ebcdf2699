"""``--title``: calendar event titles say whose plan it is, on generate, export and publish;
a saved plan keeps its title like the other calendar options, and UIDs never change."""

import re
from pathlib import Path

import pytest

from tests.helpers import GEN, assert_one_line_error, ics_text, run


def _events(path: Path) -> list[tuple[str, str, int]]:
    """(UID, SUMMARY, SEQUENCE) of every event in an .ics file."""
    text = ics_text(path)
    uids = re.findall(r"^UID:(.+)\r$", text, re.M)
    summaries = re.findall(r"^SUMMARY:(.+)\r$", text, re.M)
    sequences = [int(n) for n in re.findall(r"^SEQUENCE:(\d+)\r$", text, re.M)]
    assert len(uids) == len(summaries) == len(sequences)
    return list(zip(uids, summaries, sequences, strict=True))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-01")
    return tmp_path


class TestTitles:
    def test_unsaved_plan_keeps_its_plain_titles(self, folder: Path) -> None:
        assert run(*GEN, "--out", folder / "a.ics")[0] == 0
        assert _events(folder / "a.ics")[0][1] == "W1S1 Activation session"

    def test_a_saved_plan_is_named_by_its_name(self, folder: Path) -> None:
        assert run(*GEN, "--name", "knee", "--out", folder / "a.ics")[0] == 0
        assert _events(folder / "a.ics")[0][1] == "knee · W1S1 activation"

    def test_generate_title_is_kept_and_uids_stay(self, folder: Path) -> None:
        assert run(*GEN, "--name", "knee", "--out", folder / "a.ics")[0] == 0
        before = _events(folder / "a.ics")
        code, out, err = run(
            *GEN, "--name", "knee", "--title", "Knee plan", "--out", folder / "b.ics"
        )
        assert code == 0, err
        titled = _events(folder / "b.ics")
        assert [u for u, _, _ in titled] == [u for u, _, _ in before]  # updated in place
        assert {s.split(" · ")[0] for _, s, _ in titled} == {"Knee plan"}
        assert all(new > old for (_, _, new), (_, _, old) in zip(titled, before, strict=True))
        # Left out next time: kept, and said so.
        code, out, err = run(*GEN, "--name", "knee", "--weeks", "6", "--out", folder / "c.ics")
        assert code == 0 and "--title 'Knee plan'" in out, err
        assert _events(folder / "c.ics")[0][1] == "Knee plan · W1S1 activation"
        code, _, err = run("export", "knee", "--out", folder / "d.ics")
        assert code == 0, err
        assert _events(folder / "d.ics")[0][1] == "Knee plan · W1S1 activation"

    def test_export_title_is_for_that_export_only(self, folder: Path) -> None:
        assert run(*GEN, "--name", "knee", "--out", folder / "a.ics")[0] == 0
        code, _, err = run("export", "knee", "--title", "Sam", "--out", folder / "b.ics")
        assert code == 0, err
        assert _events(folder / "b.ics")[0][1] == "Sam · W1S1 activation"
        assert run("export", "knee", "--out", folder / "c.ics")[0] == 0
        assert _events(folder / "c.ics")[0][1] == "knee · W1S1 activation"

    def test_none_goes_back_to_the_name(self, folder: Path) -> None:
        assert run(*GEN, "--name", "knee", "--title", "Sam", "--out", folder / "a.ics")[0] == 0
        code, _, err = run(*GEN, "--name", "knee", "--title", "none", "--out", folder / "b.ics")
        assert code == 0, err
        assert _events(folder / "b.ics")[0][1] == "knee · W1S1 activation"

    def test_unsaved_plan_with_a_title(self, folder: Path) -> None:
        code, out, err = run(*GEN, "--title", "Knee plan", "--out", "-")
        assert code == 0, err
        assert "\nSUMMARY:Knee plan · W1S1 activation\n" in out.replace("\r\n", "\n")


class TestErrors:
    @pytest.mark.parametrize(
        ("value", "needle"),
        [
            ("x" * 41, "--title: 41 characters is too long"),
            ("  ", "--title: give a name"),
            ("a\tb", "--title: the value holds a control character"),
        ],
    )
    @pytest.mark.parametrize("command", ["generate", "export", "publish"])
    def test_bad_titles(self, folder: Path, command: str, value: str, needle: str) -> None:
        args = {
            "generate": [*GEN, "--out", folder / "a.ics"],
            "export": ["export", "knee", "--out", folder / "a.ics"],
            "publish": ["publish", "knee", "--caldav-url", "https://example.org/dav/"],
        }[command]
        code, _, err = run(*args, "--title", value)
        assert_one_line_error(code, err, needle)
        assert not (folder / "a.ics").exists()

    def test_title_is_only_for_calendars(self, folder: Path) -> None:
        assert run(*GEN, "--name", "knee", "--out", folder / "a.ics")[0] == 0
        code, _, err = run("export", "knee", "--title", "Sam", "--out", folder / "a.md")
        assert_one_line_error(code, err, "--title only applies to --format ics")
        assert not (folder / "a.md").exists()
