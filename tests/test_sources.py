"""Template sources are structured citations a reader can look up, shown by 'planner
sources' and 'templates show'; no user-facing text names the project's internal notes."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from planner.models.program import Source
from planner.templates import program_slugs, templates_root
from tests.helpers import assert_one_line_error, run

PROGRAMS = templates_root() / "programs"
# What an internal reference or a Python value looks like in text meant for a person.
INTERNAL = re.compile(r"§|domain-rules|seed 0\d|\bseed material\b|``|=\(|\w+=\(")


def _strings(value: object) -> list[str]:
    """Every string inside a TOML value, at any depth."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("path", sorted(templates_root().rglob("*.toml")), ids=lambda p: p.name)
def test_shipped_files_cite_nothing_internal(path: Path) -> None:
    # The values reach the person; the comments do too, through 'templates new'.
    text = path.read_text()
    values = _strings(tomllib.loads(text))
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert [s for s in values + comments if INTERNAL.search(s)] == []


@pytest.mark.parametrize("slug", program_slugs())
def test_shipped_sources_are_structured(slug: str) -> None:
    raw = tomllib.loads((PROGRAMS / f"{slug}.toml").read_text())
    for source in raw["sources"]:
        assert "ref" not in source
        checked = Source.model_validate(source)
        assert checked.title or checked.where
        # A paper (a DOI, or a journal volume in 'where') is cited with authors and year.
        if checked.doi or re.search(r"\d+\(\d+\)", checked.where or ""):
            assert checked.authors and checked.year


@pytest.mark.parametrize("slug", program_slugs())
def test_templates_show_names_sources_plainly(slug: str) -> None:
    code, out, err = run("templates", "show", slug)
    assert code == 0, err
    assert INTERNAL.search(out) is None, INTERNAL.search(out)
    raw = tomllib.loads((PROGRAMS / f"{slug}.toml").read_text())
    flat = " ".join(out.split())
    for source in raw["sources"]:
        assert (source.get("title") or source["where"]) in flat


def test_sources_lists_every_template() -> None:
    code, out, err = run("sources")
    assert code == 0, err
    for slug in program_slugs():
        assert f"({slug})" in out
    assert INTERNAL.search(out) is None
    assert all(len(line) <= 80 or "://" in line for line in out.splitlines())


def test_sources_of_one_template() -> None:
    code, out, _ = run("sources", "hip-knee")
    flat = " ".join(out.split())
    assert code == 0
    assert "(hip-knee)" in out and "(runner-knee)" not in out
    assert "Dolak KL, et al. (2011)." in flat
    assert "https://pubmed.ncbi.nlm.nih.gov/21654093/" in flat
    assert "doi:10.2519/jospt.2019.0302" in flat
    assert "supports: isolated hip work before functional work" in flat


def test_sources_unknown_template() -> None:
    code, _, err = run("sources", "hip-kne")
    assert_one_line_error(code, err, "hip-kne")


def test_citation_reads_as_a_reference() -> None:
    source = Source(
        authors="Ferber R, et al.",
        year=2015,
        title="Strengthening of the hip and core: a trial?",
        where="Journal of Athletic Training 50(4)",
        url="https://example.org/x",
        supports="six weeks",
    )
    assert source.citation() == (
        "Ferber R, et al. (2015). Strengthening of the hip and core: a trial? "
        "Journal of Athletic Training 50(4). https://example.org/x"
    )
    assert Source(where="TheraBand Academy", supports="x").citation() == "TheraBand Academy."


def _own_template(tmp_path: Path, source: str) -> Path:
    text = (PROGRAMS / "runner-knee.toml").read_text()
    text = re.sub(r"(\[\[sources\]\]\n(?:\w+ = .*\n)+)+", lambda _: source, text, count=1)
    path = tmp_path / "mine.toml"
    path.write_text(text)
    return path


def test_old_ref_form_still_works_with_a_note(tmp_path: Path) -> None:
    path = _own_template(tmp_path, '[[sources]]\nref = "My physio, 2024"\nsupports = "all"\n')
    code, out, err = run("validate", path)
    assert code == 0, err
    assert "note: sources[0] uses the older one-line 'ref'" in out
    code, out, _ = run("templates", "show", path)
    assert code == 0 and "- My physio, 2024" in out
    code, out, err = run("generate", path, "--out", tmp_path / "x.ics")
    assert code == 0, err


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ('ref = "A"\ntitle = "B"\n', "give either 'ref'"),
        ('authors = "A"\nyear = 2020\n', "needs a 'title' or 'where'"),
        ('title = "A"\ndoi = "doi:10.1/x"\n', 'a DOI starts with "10."'),
        ('title = "A"\nurl = "www.example.org"\n', "a web address starts with https://"),
        ('title = "A"\nyear = 20\n', "sources[0].year"),
    ],
)
def test_bad_source_is_one_error_line(tmp_path: Path, source: str, needle: str) -> None:
    path = _own_template(tmp_path, f'[[sources]]\n{source}supports = "all"\n')
    code, _, err = run("validate", path)
    assert_one_line_error(code, err, needle)
    assert f"{path}:" in err and "sources[0]" in err


@pytest.mark.parametrize("kind", ["program", "exercises", "exercise-file", "plan"])
def test_schema_descriptions_are_plain(kind: str) -> None:
    code, out, _ = run("schema", "--kind", kind)
    assert code == 0

    def descriptions(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node["description"]] if isinstance(node.get("description"), str) else []
            return own + [d for v in node.values() for d in descriptions(v)]
        if isinstance(node, list):
            return [d for v in node for d in descriptions(v)]
        return []

    found = descriptions(json.loads(out))
    assert found
    assert [d for d in found if INTERNAL.search(d) or "templates/programs" in d] == []


def test_program_schema_describes_a_source() -> None:
    schema = json.loads(run("schema")[1])
    fields = schema["$defs"]["Source"]["properties"]
    assert {"authors", "year", "title", "where", "url", "doi", "supports"} <= set(fields)


def _said_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that can reach a person: all but the docstrings of
    modules and functions (class docstrings of the models become schema descriptions)."""
    import ast

    tree = ast.parse(path.read_text())
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_no_message_cites_internal_notes() -> None:
    # Rule names, reasons and messages name rules in plain words, never the design notes.
    internal = re.compile(r"§|domain-rules|seed 0\d|seed material")
    root = Path(__file__).parent.parent / "planner"
    found = [
        f"{path.relative_to(root)}:{line}: {text[:60]!r}"
        for path in sorted(root.rglob("*.py"))
        for line, text in _said_strings(path)
        if internal.search(text)
    ]
    assert found == []
