"""`socialgov people show`: what does a person hold?"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.offboard.helpers import sg

TODAY = ("--today", "2026-11-01")


def test_show_lists_everything_a_person_holds(reg: Path) -> None:
    (reg / "observations").mkdir()
    (reg / "observations/other.example.toml").write_text(
        'domain = "other.example"\nregistered = true\nregistrant_email = "Bob@Example.com"\n'
    )
    result = sg(reg, *TODAY, "people", "show", "bob", "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["person"]["handle"] == "bob"
    assert report["teams"] == ["solo", "web"]
    assert report["reports"] == ["erin"]
    owned = {(o["asset"], o["role"], o["via"]) for o in report["owned"]}
    assert ("domain:example.com", "accountable", None) in owned
    assert ("social:x/examplecorp", "backup", None) in owned
    assert ("social:x/examplecorp", "backup", "team:web") in owned
    assert ("domain:web.example", "accountable", "team:web") in owned
    assert ("domain:other.example", "accountable", None) not in owned
    assert {a["asset"] for a in report["access"]} == {"domain:example.com", "domain:old.example"}
    assert [r["asset"] for r in report["recovery_phone"]] == ["social:x/examplecorp"]
    contacts = {(c["asset"], c["key"], c["source"]) for c in report["contacts"]}
    assert contacts == {
        ("domain:example.com", "contacts.registrant_email", "registry"),
        ("domain:example.com", "contacts.admin_email", "registry"),
        ("domain:other.example", "registrant_email", "observation"),
    }
    table = sg(reg, *TODAY, "people", "show", "bob")
    assert table.code == 0 and "recovery phone" in table.stdout and "team:web" in table.stdout


def test_show_reports_open_findings_of_held_assets(reg: Path) -> None:
    pytest.importorskip("socialgov.policy.engine")
    assert sg(reg, *TODAY, "people", "depart", "bob").code == 0
    report = json.loads(sg(reg, *TODAY, "people", "show", "alice", "--format", "json").stdout)
    rules = {(f["rule"], f["asset"]) for f in report["findings"]}
    assert ("departed-owner", "domain:example.com") in rules  # bob still co-owns it
    assert all(f["asset"] in report["assets"] for f in report["findings"])
    assert all(not f["waived"] for f in report["findings"])


def test_show_of_an_unknown_person_is_a_usage_error(reg: Path) -> None:
    result = sg(reg, "people", "show", "bobb")
    assert result.code == 2 and "did you mean 'bob'" in result.stderr
