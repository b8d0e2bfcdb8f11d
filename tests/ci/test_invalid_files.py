"""Every invalid file in one run, at its line, in every format; hostile nesting is exit 2."""

from __future__ import annotations

import json
import time
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from socialgov.errors import InputError, each_error
from socialgov.policy.inputs import working_tree_inputs
from socialgov.report import REPORTERS
from tests.ci.support import TODAY, make_registry, write
from tests.conftest import Socialgov

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
# Three typos in three files, and where each is.
BROKEN = {
    "assets/blogs/good.toml": (
        'owners = ["alice", "carol"]\ncriticality = "extreme"\n\n[blog]\nplatform = "medium"\n',
        2,
    ),
    "people.toml": (None, 0),  # filled from the fixture: an unknown key in alice's entry
    "observations/example.com.toml": ('domain = "example.com"\nregistered = [\n', 3),
}


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    make_registry(root)
    people = (root / "people.toml").read_text()
    (root / "people.toml").write_text(people.replace('github = "alice-gh"', 'gihtub = "alice-gh"'))
    write(root, {rel: text for rel, (text, _) in BROKEN.items() if text})
    return root


WHERE = {
    "assets/blogs/good.toml": 2,
    "people.toml": 4,
    "observations/example.com.toml": 3,
}


def test_the_loader_collects_every_invalid_file(broken: Path) -> None:
    with pytest.raises(InputError) as caught:
        working_tree_inputs(broken, eager=True)
    found = {(e.file, e.line) for e in each_error(caught.value)}
    assert found == set(WHERE.items())


@pytest.mark.parametrize("command", ["check", "audit"])
@pytest.mark.parametrize("format", list(REPORTERS))
def test_three_broken_files_in_every_format(broken: Path, command: str, format: str) -> None:
    args = ["check", "--base", "base"] if command == "check" else ["audit"]
    result = Socialgov(broken)(*TODAY, *args, "--format", format)
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    for rel, line in WHERE.items():
        assert f"{rel}:{line}" in result.stderr
    out = result.stdout
    if format == "github":
        lines = out.splitlines()
        assert len(lines) == 3
        for rel, line in WHERE.items():
            assert any(f"::error file={rel},line={line}" in x for x in lines), out
    elif format == "json":
        errors = json.loads(out)["errors"]
        assert {(e["file"], e["line"]) for e in errors} == set(WHERE.items())
    elif format == "sarif":
        document = json.loads(out)
        jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
        regions = {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in document["runs"][0]["results"]
        }
        assert regions == set(WHERE.items())
    elif format == "junit":
        cases = ElementTree.fromstring(out).findall(".//testcase")
        assert len(cases) == 3 and all(c.find("error") is not None for c in cases)
        for rel, line in WHERE.items():
            assert any(c.get("name", "").startswith(f"{rel}:{line}") for c in cases)
    elif format == "markdown":
        assert "3 invalid files" in out
        for rel, line in WHERE.items():
            assert f"`{rel}:{line}" in out
    else:
        assert format == "table" and out == ""


def test_table_to_a_file_lists_them(broken: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    result = Socialgov(broken)(*TODAY, "check", "--output", str(target))
    assert result.code == 2
    text = target.read_text()
    assert "3 invalid files" in text
    assert all(f"{rel}:{line}" in text for rel, line in WHERE.items())


DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(
    "rel",
    [
        "socialgov.toml",
        "people.toml",
        "assets/blogs/good.toml",
        "waivers.toml",
        "observations/example.com.toml",
        "policies/deep.toml",
    ],
)
def test_deep_nesting_in_each_kind_of_file_is_exit_2(tmp_path: Path, rel: str) -> None:
    root = tmp_path / "reg"
    make_registry(root)
    path = root / rel
    before = path.read_text() if path.exists() else ""
    if rel == "policies/deep.toml":
        settings = root / "socialgov.toml"
        settings.write_text(settings.read_text() + '\n[policy]\nfiles = ["policies/deep.toml"]\n')
    header = "# hostile\n" if not before else ""
    write(root, {rel: before + header + f"nested = {DEEP}\n"})
    line = before.count("\n") + header.count("\n") + 1
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        working_tree_inputs(root, eager=True)
    assert time.perf_counter() - started < 2
    assert (caught.value.file, caught.value.line) == (rel, line)
    result = Socialgov(root)(*TODAY, "check", "--base", "base", "-f", "github")
    assert result.code == 2, result.stderr
    assert f"::error file={rel},line={line}" in result.stdout
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
