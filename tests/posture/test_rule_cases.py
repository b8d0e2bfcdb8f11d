"""The DNS and web rules on their cases: each finding at the asserted line, about the asserted
subject (the fingerprint is made of rule, asset and subject)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from socialgov.model import AssetId
from socialgov.policy.rule import fingerprint
from socialgov.policy.rules import RULES
from tests.policy.conftest import CASES, run_case

POSTURE_RULES = (
    "dangling-cname",
    "takeover-risk",
    "lame-delegation",
    "parked-domain-mail-open",
    "dmarc-missing",
    "caa-missing",
    "dnssec-missing",
    "tls-expiring",
    "tls-invalid",
    "dns-drift",
)
FLAGGED = sorted(p for rule in POSTURE_RULES for p in (CASES / rule / "flagged").glob("*.toml"))


@pytest.mark.parametrize("path", FLAGGED, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_flagged_case_line_and_subject(path: Path, tmp_path: Path) -> None:
    rule = path.parent.parent.name
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    expected = case["expect_findings"]
    findings = run_case(path, tmp_path)
    assert len(findings) == len(expected), [f.message for f in findings]
    only_asset = next(iter(case["assets"])) if len(case["assets"]) == 1 else None
    for want in expected:
        asset = AssetId.parse(want.get("asset") or only_asset)
        match = [f for f in findings if f.asset == asset]
        assert len(match) == 1, (asset, [f.asset for f in findings])
        finding = match[0]
        assert finding.line == want["line"], finding
        assert finding.fingerprint == fingerprint(rule, asset, want["subject"]), finding.message
        if "severity" in want:
            assert finding.severity.value == want["severity"]


def test_every_posture_rule_is_registered_with_docs() -> None:
    for rule in POSTURE_RULES:
        info = RULES[rule].info
        assert info.doc.strip() and info.summary
        assert list((CASES / rule / "flagged").glob("*.toml"))
        assert list((CASES / rule / "clean").glob("*.toml"))
