"""Lifecycle verbs: people remove/rename, teams, asset rename, waivers list/renew/remove; filters."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tests.cli.conftest import TODAY, Cli, Refused, head
from tests.conftest import git


def _toml(root: Path, rel: str) -> dict:  # type: ignore[type-arg]
    return tomllib.loads((root / rel).read_text())


def test_people_remove_is_refused_while_they_hold_something(refused: Refused) -> None:
    result = refused("people", "remove", "bob", expect="bob still holds")
    assert "domain:example.com (owner)" in result.stderr and "team:web (member)" in result.stderr
    assert "socialgov offboard bob" in result.stderr


def test_people_remove_deletes_a_person_who_holds_nothing(reg: Path, cli: Cli) -> None:
    result = cli("people", "remove", "Dora")
    assert result.code == 0, result.stderr
    assert "dora" not in _toml(reg, "people.toml")["people"]
    assert git(reg, "log", "-1", "--format=%s").strip() == "people remove dora"


def test_people_rename_rewrites_every_reference_in_one_commit(reg: Path, cli: Cli) -> None:
    assert (
        cli("set", "x/examplecorp", "social.recovery_phone_holder=carol", "access=carol").code == 0
    )
    before = head(reg)
    result = cli("people", "rename", "carol", "caroline")
    assert result.code == 0, result.stderr
    assert git(reg, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    people = _toml(reg, "people.toml")
    assert "carol" not in people["people"] and people["people"]["bob"]["manager"] == "caroline"
    social = _toml(reg, "assets/social/x/examplecorp.toml")
    assert social["access"] == ["caroline"]
    assert social["social"]["recovery_phone_holder"] == "caroline"
    assert _toml(reg, "waivers.toml")["waiver"][0]["approved_by"] == "caroline"
    assert cli("list").code == 0


def test_people_rename_refuses_an_existing_handle(refused: Refused) -> None:
    refused("people", "rename", "bob", "alice", expect="already in the roster")


def test_teams_add_members_remove(reg: Path, cli: Cli, refused: Refused) -> None:
    assert cli("teams", "add", "ops", "--member", "carol").code == 0
    assert _toml(reg, "people.toml")["teams"]["ops"]["members"] == ["carol"]
    assert cli("teams", "members", "ops", "--add", "alice", "--remove", "carol").code == 0
    assert cli("teams", "members", "ops").stdout == "alice\n"
    assert cli("owners", "example.com", "--add", "team:ops").code == 0
    refused("teams", "remove", "ops", expect="team:ops still owns 1 asset: domain:example.com")
    assert cli("owners", "example.com", "--remove", "team:ops").code == 0
    assert cli("teams", "remove", "ops").code == 0
    assert "ops" not in _toml(reg, "people.toml")["teams"]
    listed = json.loads(cli("teams", "list", "-f", "json").stdout)
    assert listed == [
        {
            "team": "team:web",
            "members": ["alice", "bob"],
            "active_members": ["alice", "bob"],
            "assets": 0,
        }
    ]


def test_rename_is_a_git_rename_and_rewrites_waivers_and_blogs(reg: Path, cli: Cli) -> None:
    assert (
        cli(
            "--today",
            TODAY,
            "waive",
            "orphaned",
            "example.com",
            "--reason",
            "r",
            "--approved-by",
            "carol",
            "--until",
            "2026-12-31",
        ).code
        == 0
    )
    result = cli("rename", "example.com", "example.org")
    assert result.code == 0, result.stderr
    assert not (reg / "assets/domains/example.com.toml").exists()
    assert (reg / "assets/domains/example.org.toml").is_file()
    status = git(reg, "show", "--name-status", "-M", "--format=", "HEAD")
    assert "R100\tassets/domains/example.com.toml\tassets/domains/example.org.toml" in status
    assert _toml(reg, "waivers.toml")["waiver"][1]["asset"] == "domain:example.org"
    assert _toml(reg, "assets/blogs/eng-blog.toml")["blog"]["domain"] == "domain:example.org"
    history = json.loads(cli("history", "domain:example.org", "-f", "json").stdout)
    assert len(history) >= 2  # the commits before the rename are followed


def test_rename_of_a_social_account_updates_its_handle(reg: Path, cli: Cli) -> None:
    assert cli("rename", "x/examplecorp", "x/newbrand").code == 0
    assert _toml(reg, "assets/social/x/newbrand.toml")["social"]["handle"] == "newbrand"


def test_waivers_list_renew_remove(reg: Path, cli: Cli, refused: Refused) -> None:
    assert (
        cli(
            "--today",
            TODAY,
            "waive",
            "orphaned",
            "example.com",
            "--reason",
            "r",
            "--approved-by",
            "carol",
            "--until",
            "2026-12-31",
        ).code
        == 0
    )
    rows = json.loads(cli("--today", TODAY, "waivers", "list", "-f", "json").stdout)
    assert [(r["rule"], r["asset"], r["state"]) for r in rows] == [
        ("mfa-missing", "social:x/examplecorp", "active"),
        ("orphaned", "domain:example.com", "active"),
    ]
    assert (
        cli(
            "--today", TODAY, "waivers", "renew", "orphaned", "example.com", "--until", "2027-03-31"
        ).code
        == 0
    )
    assert str(_toml(reg, "waivers.toml")["waiver"][1]["expires"]) == "2027-03-31"
    refused(
        "waivers",
        "renew",
        "orphaned",
        "example.com",
        "--until",
        "2028-03-31",
        expect="at most 365 days",
    )
    refused("waivers", "remove", "mfa-missing", "example.com", expect="no waiver of mfa-missing")
    assert cli("waivers", "remove", "orphaned", "example.com").code == 0
    assert [w["rule"] for w in _toml(reg, "waivers.toml")["waiver"]] == ["mfa-missing"]


def test_list_filters(reg: Path, cli: Cli) -> None:
    def ids(*args: str) -> list[str]:
        result = cli("--today", TODAY, "list", "-f", "json", *args)
        assert result.code == 0, result.stderr
        return [a["id"] for a in json.loads(result.stdout)]

    assert (
        cli("set", "example.com", "department=Marketing", "tags=brand,web", "criticality=high").code
        == 0
    )
    assert ids("--kind", "domain", "--kind", "blog") == ["blog:eng-blog", "domain:example.com"]
    assert ids("--department", "marketing") == ["domain:example.com"]
    assert ids("--tag", "brand", "--tag", "web") == ["domain:example.com"]
    assert ids("--tag", "brand", "--tag", "other") == []
    assert ids("--criticality", "high") == ["domain:example.com"]
    assert ids("--status", "retired") == []
    assert ids("--expiring", "200") == ["domain:example.com"]
    assert ids("--expiring", "30") == []
    bad = cli("list", "--criticality", "hihg")
    assert bad.code == 2 and "did you mean 'high'?" in bad.stderr


def test_audit_owner_and_department(reg: Path, cli: Cli) -> None:
    result = cli("--today", TODAY, "audit", "--owner", "Bob", "--fail-on", "none", "-f", "json")
    assert result.code == 0, result.stderr
    assets = {f["asset"] for f in json.loads(result.stdout)["findings"]}
    assert assets <= {"domain:example.com", "blog:eng-blog"} and assets
    none = cli("--today", TODAY, "audit", "--department", "Nowhere", "-f", "json")
    assert json.loads(none.stdout)["summary"]["assets"] == 0
