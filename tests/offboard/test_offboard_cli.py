"""`socialgov offboard` end to end through the installed entry point, on real git repositories."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.offboard.helpers import clean, git, head, make_registry, sg, show

TODAY = ("--today", "2026-11-01")


def load(root: Path, rel: str) -> dict:  # type: ignore[type-arg]
    return tomllib.loads((root / rel).read_text())


def test_one_commit_with_exactly_the_changed_files_and_the_spec_json(reg: Path) -> None:
    before = head(reg)
    result = sg(reg, *TODAY, "offboard", "bob", "--to", "alice", "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["person"] == "bob" and report["to"] == "alice" and report["dry_run"] is False
    assert report["commit"] == head(reg)
    assert git(reg, "rev-parse", "HEAD~1").strip() == before
    assert {"asset": "blog:eng-blog", "from": "bob", "to": "alice"}.items() <= report["reassigned"][
        0
    ].items()
    assert {"asset": "domain:example.com", "person": "bob"}.items() <= report["access_removed"][
        0
    ].items()
    assert all(set(c) >= {"asset", "action", "detail"} for c in report["checklist"])
    changed = git(reg, "diff", "--name-only", "HEAD~1", "HEAD").split()
    assert sorted(changed) == [
        "assets/blogs/eng-blog.toml",
        "assets/domains/example.com.toml",
        "assets/domains/old.example.toml",
        "assets/social/x/examplecorp.toml",
        "people.toml",
    ]
    subject = git(reg, "log", "-1", "--format=%s")
    assert subject.startswith("offboard bob: 4 assets to alice, access removed from 3")
    assert clean(reg)
    people = load(reg, "people.toml")
    assert people["people"]["bob"]["status"] == "departed"
    assert str(people["people"]["bob"]["departed_on"]) == "2026-11-01"
    assert people["teams"]["web"]["members"] == ["erin"]
    assert load(reg, "assets/domains/example.com.toml")["owners"] == ["alice"]


def test_dry_run_changes_nothing(reg: Path) -> None:
    before = head(reg)
    result = sg(reg, *TODAY, "offboard", "bob", "--dry-run", "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["dry_run"] is True and report["commit"] is None
    assert len(report["reassigned"]) == 4
    assert head(reg) == before and clean(reg)
    table = sg(reg, *TODAY, "offboard", "bob", "--dry-run")
    assert "manual checklist" in table.stdout and "dry run" in table.stdout
    assert head(reg) == before and clean(reg)


def test_second_run_finds_nothing_to_do(reg: Path) -> None:
    assert sg(reg, *TODAY, "offboard", "bob").code == 0
    after = head(reg)
    again = sg(reg, "--today", "2026-12-01", "offboard", "bob", "--format", "json")
    assert again.code == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["reassigned"] == [] and report["access_removed"] == []
    assert report["commit"] is None and report["departed_on"] == "2026-11-01"
    assert head(reg) == after and clean(reg)
    assert "nothing changed" in again.stderr


def test_no_successor_exits_2_lists_the_assets_and_changes_nothing(tmp_path: Path) -> None:
    from tests.offboard.helpers import ASSETS, PEOPLE

    people = PEOPLE.replace('manager = "carol"\nother_emails', "other_emails")
    reg = make_registry(tmp_path / "reg", ASSETS, people)
    before = head(reg)
    result = sg(reg, *TODAY, "offboard", "bob")
    assert result.code == 2
    assert "blog:eng-blog" in result.stderr and "nothing changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert head(reg) == before and clean(reg)


def test_bad_successor_is_a_usage_error(reg: Path) -> None:
    result = sg(reg, *TODAY, "offboard", "bob", "--to", "team:solo")
    assert result.code == 2 and "no active member" in result.stderr
    assert sg(reg, "offboard", "nobody").code == 2


def test_no_commit_leaves_the_change_in_the_working_tree(reg: Path) -> None:
    before = head(reg)
    assert sg(reg, *TODAY, "offboard", "bob", "--no-commit").code == 0
    assert head(reg) == before
    assert "assets/blogs/eng-blog.toml" in git(reg, "status", "--porcelain")


def test_refuses_when_a_file_it_changes_has_uncommitted_edits(reg: Path) -> None:
    path = reg / "assets/blogs/eng-blog.toml"
    path.write_text(path.read_text() + "# someone's edit\n")
    before = head(reg)
    result = sg(reg, *TODAY, "offboard", "bob")
    assert result.code == 3 and "uncommitted" in result.stderr
    assert head(reg) == before
    assert "bob" in load(reg, "assets/domains/example.com.toml")["owners"]


def test_branch_commits_for_review_without_touching_head_index_or_files(reg: Path) -> None:
    # an uncommitted edit elsewhere must neither block nor leak into the branch
    (reg / "assets/domains/other.example.toml").write_text(
        'owners = ["carol"]\nstatus = "active"\n'
    )
    status_before = git(reg, "status", "--porcelain")
    before = head(reg)
    result = sg(reg, *TODAY, "offboard", "bob", "--branch", "offboard/bob", "--format", "json")
    assert result.code == 0, result.stderr
    sha = json.loads(result.stdout)["commit"]
    assert head(reg) == before
    assert git(reg, "symbolic-ref", "HEAD").strip() == "refs/heads/master" or git(
        reg, "symbolic-ref", "HEAD"
    ).strip().endswith("main")
    assert git(reg, "status", "--porcelain") == status_before
    assert git(reg, "rev-parse", "offboard/bob").strip() == sha
    assert git(reg, "rev-parse", f"{sha}~1").strip() == before
    assert 'owners = ["alice"]' in show(reg, "offboard/bob", "assets/domains/other.example.toml")
    assert 'owners = ["alice"]  # accountable first' in show(
        reg, "offboard/bob", "assets/domains/example.com.toml"
    )
    assert "bob" in load(reg, "assets/domains/example.com.toml")["owners"]
    again = sg(reg, *TODAY, "offboard", "bob", "--branch", "offboard/bob")
    assert again.code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize("name", ["-x", "bad..name", "a b", "x.lock", ""])
def test_branch_names_git_would_refuse_are_refused(reg: Path, name: str) -> None:
    before = head(reg)
    result = sg(reg, *TODAY, "offboard", "bob", f"--branch={name}")
    assert result.code == 2, result.stderr
    assert head(reg) == before and clean(reg)
    assert git(reg, "branch", "--list").count("\n") == 1


def test_audit_after_offboarding_has_no_departed_owner_or_access_for_the_person(
    reg: Path,
) -> None:
    pytest.importorskip("socialgov.policy.engine")
    assert sg(reg, *TODAY, "offboard", "bob").code == 0
    result = sg(reg, *TODAY, "audit", "--format", "json", "--fail-on", "critical")
    assert result.code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    about_bob = [
        f
        for f in findings
        if f["rule"] in ("departed-owner", "departed-access") and "bob" in f["message"].lower()
    ]
    assert about_bob == []
    # the audit still knows about dave, who left long ago and still has access: the check can fail
    assert any(f["rule"] == "departed-access" and "dave" in f["message"].lower() for f in findings)


def test_output_file_gets_the_json(reg: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = sg(
        reg, *TODAY, "offboard", "bob", "--dry-run", "--format", "json", "--output", str(out)
    )
    assert result.code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["person"] == "bob"
