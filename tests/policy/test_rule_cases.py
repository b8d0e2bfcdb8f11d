"""Every rule on its flagged and clean cases (tests/cases/RULE/{flagged,clean}/*.toml)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from socialgov.policy.result import Finding
from socialgov.policy.rules import RULES

from .conftest import CASES, case_paths


@pytest.mark.parametrize(
    "path", case_paths(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}"
)
def test_case(path: Path, case_runner: Callable[[Path], list[Finding]]) -> None:
    findings = case_runner(path)
    rule = path.parent.parent.name
    assert all(f.rule == rule for f in findings)
    if path.parent.name == "clean":
        assert findings == [], [f.message for f in findings]
        return
    expected = tomllib.loads(path.read_text(encoding="utf-8")).get("expect")
    if expected is None:
        assert findings, "the rule found nothing"
    else:
        assert len(findings) == expected, [f.message for f in findings]
    for finding in findings:
        assert finding.line >= 1 and finding.file and finding.message and finding.hint


def test_every_rule_has_flagged_and_clean_cases() -> None:
    for rule in RULES:
        for verdict in ("flagged", "clean"):
            assert list((CASES / rule / verdict).glob("*.toml")), f"{rule} has no {verdict} case"
    assert {p.name for p in CASES.iterdir() if p.is_dir()} == set(RULES)
