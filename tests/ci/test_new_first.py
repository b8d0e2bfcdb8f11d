"""check --base in every format: new findings first, pre-existing quiet, fixed ones told."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from tests.ci.support import GOOD_BLOG, TODAY, commit, make_registry, write
from tests.conftest import Socialgov

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    make_registry(root)
    return root


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = Socialgov(root)(*TODAY, "check", "--base", "base", *args, env=env)
    assert "Traceback" not in result.stderr
    return result.code, result.stdout, result.stderr


def test_the_base_has_18_findings(root: Path) -> None:
    code, out, _ = run(root, "-f", "json", "--all")
    assert code == 1
    report = json.loads(out)
    assert len(report["findings"]) == 18
    assert report["summary"]["new"] == 0 and report["summary"]["preexisting"] == 18


@pytest.fixture
def two_new(root: Path) -> Path:
    """A pull request that adds one blog held by bob: orphaned and departed-owner."""
    write(root, {"assets/blogs/press.toml": 'owners = ["bob"]\nlast_reviewed = 2026-10-01\n'})
    commit(root, "add press blog")
    return root


def test_github_annotates_only_the_two_new_findings(two_new: Path) -> None:
    code, out, _ = run(two_new, "-f", "github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2 and all(line.startswith("::error ") for line in lines)
    assert all("file=assets/blogs/press.toml" in line for line in lines)
    _, everything, _ = run(two_new, "-f", "github", "--all")
    assert len(everything.splitlines()) == 20


def test_github_warns_below_fail_on(two_new: Path) -> None:
    write(two_new, {"assets/blogs/draft.toml": GOOD_BLOG.replace("2026-10-01", "2025-01-01")})
    code, out, _ = run(two_new, "-f", "github", "--fail-on", "critical")
    assert code == 0
    levels = sorted(line.split(" ", 1)[0] for line in out.splitlines())
    assert levels == ["::warning", "::warning", "::warning"]  # 2 high + review-overdue, all new


def test_github_step_summary(two_new: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    code, _, _ = run(two_new, "-f", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n")  # appended, never replaced
    assert "2 new findings" in text and "0 fixed · 18 pre-existing" in text
    assert "### New findings (2)" in text and "blog:press" in text


def test_junit_fails_only_the_new_findings(two_new: Path) -> None:
    code, out, _ = run(two_new, "-f", "junit")
    assert code == 1
    suites = ElementTree.fromstring(out)
    assert suites.get("failures") == "2"
    failed = {
        case.get("name") for case in suites.iter("testcase") if case.find("failure") is not None
    }
    assert failed == {"blog:press"}
    outputs = [case.findtext("system-out") or "" for case in suites.iter("testcase")]
    assert sum("pre-existing" in text for text in outputs) == 18


def test_json_counts_new_fixed_and_preexisting(two_new: Path) -> None:
    code, out, _ = run(two_new, "-f", "json")
    assert code == 1
    report = json.loads(out)
    assert report["summary"]["new"] == 2
    assert report["summary"]["preexisting"] == 18 and report["summary"]["fixed"] == 0
    assert report["fixed"] == []
    assert sorted(f["rule"] for f in report["findings"] if f["new"]) == [
        "departed-owner",
        "orphaned",
    ]
    kinds = {c["kind"] for c in report["changes"]}
    assert {"asset-added", "owner-departed", "orphaned"} <= kinds


def test_sarif_baseline_states(two_new: Path) -> None:
    code, out, _ = run(two_new, "-f", "sarif")
    assert code == 1
    document = json.loads(out)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    states = [r["baselineState"] for r in document["runs"][0]["results"]]
    assert states.count("new") == 2 and states.count("unchanged") == 18
    assert "absent" not in states


@pytest.fixture
def three_fixed(root: Path) -> Path:
    """A pull request that gives one of bob's blogs to alice and carol, reviewed."""
    write(root, {"assets/blogs/old-1.toml": GOOD_BLOG})
    commit(root, "hand old-1 over")
    return root


def test_fixed_findings_are_listed_and_pass(three_fixed: Path) -> None:
    code, out, _ = run(three_fixed, "-f", "json")
    assert code == 0
    report = json.loads(out)
    assert len(report["fixed"]) == 3
    assert {f["asset"] for f in report["fixed"]} == {"blog:old-1"}
    assert report["summary"] | {"new": 0, "fixed": 3, "preexisting": 15} == report["summary"]


def test_markdown_headline_tells_the_fix(three_fixed: Path) -> None:
    code, out, _ = run(three_fixed, "-f", "markdown")
    assert code == 0
    assert "✅ no new findings · 3 fixed · 15 pre-existing" in out
    assert "❌" not in out
    fixed = out.index("### Fixed (3)")
    collapsed = out.index("<details><summary>15 pre-existing</summary>")
    assert fixed < collapsed and "### New findings" not in out


def test_table_headline_and_sections(three_fixed: Path) -> None:
    code, out, _ = run(three_fixed)
    assert code == 0
    assert out.startswith("✅ no new findings · 3 fixed · 15 pre-existing")
    assert out.index("Fixed (3):") < out.index("Pre-existing (15)")


def test_sarif_marks_fixed_findings_absent(three_fixed: Path) -> None:
    _, out, _ = run(three_fixed, "-f", "sarif")
    states = [r["baselineState"] for r in json.loads(out)["runs"][0]["results"]]
    assert states.count("absent") == 3 and states.count("unchanged") == 15


def test_markdown_order_new_fixed_changes_preexisting(three_fixed: Path) -> None:
    write(
        three_fixed, {"assets/blogs/press.toml": 'owners = ["bob"]\nlast_reviewed = 2026-10-01\n'}
    )
    code, out, _ = run(three_fixed, "-f", "markdown")
    assert code == 1
    assert re.search(r"❌ 2 new findings, 2 at or above high · 3 fixed · 15 pre-existing", out)
    order = [
        out.index("### New findings (2)"),
        out.index("### Fixed (3)"),
        out.index("### Governance changes"),
        out.index("<details><summary>15 pre-existing</summary>"),
    ]
    assert order == sorted(order)
