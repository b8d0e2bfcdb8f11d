"""What a pull request does to governance, listed for reviewers even when no rule fires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from socialgov.model import Person
from socialgov.policy.check import run_check
from socialgov.policy.governance import (
    BEYOND_MAX,
    SELF_APPROVED,
    ChangeKind,
    GovernanceChange,
    Side,
    governance_changes,
)
from socialgov.policy.inputs import working_tree_inputs
from socialgov.registry.files import DiskFiles
from tests.ci.support import GOOD_BLOG, SOCIAL, commit, make_registry, write
from tests.conftest import Socialgov, git

TODAY = date(2026, 11, 23)
WAIVER = """\
[[waiver]]
rule = "review-overdue"
asset = "blog:old-1"
reason = "the blog is being retired"
approved_by = "{approver}"
expires = {until}
created = 2026-11-20
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    make_registry(root)
    return root


def changes(root: Path) -> list[GovernanceChange]:
    outcome = run_check(root, base="base", today=TODAY)
    return list(outcome.changes)


def only(found: list[GovernanceChange], kind: ChangeKind) -> GovernanceChange:
    matching = [c for c in found if c.kind is kind]
    assert len(matching) == 1, found
    return matching[0]


def test_waiver_added(root: Path) -> None:
    write(root, {"waivers.toml": WAIVER.format(approver="carol", until="2027-01-31")})
    change = only(changes(root), ChangeKind.WAIVER_ADDED)
    assert change.details == {
        "rule": "review-overdue",
        "approved_by": "carol",
        "until": "2027-01-31",
        "reason": "the blog is being retired",
    }
    assert (change.file, change.line, change.asset) == ("waivers.toml", 1, "blog:old-1")
    assert change.flags == ()


def test_waiver_changed(root: Path) -> None:
    write(root, {"waivers.toml": WAIVER.format(approver="carol", until="2027-01-31")})
    commit(root, "waive")
    git(root, "branch", "-f", "base")
    write(root, {"waivers.toml": WAIVER.format(approver="carol", until="2027-03-31")})
    change = only(changes(root), ChangeKind.WAIVER_CHANGED)
    assert "until 2027-03-31" in change.message


def test_self_approved_waiver_is_flagged(root: Path) -> None:
    # The tests' git identity is admin@example.com, the roster's `admin`.
    write(root, {"waivers.toml": WAIVER.format(approver="admin", until="2027-01-31")})
    commit(root, "waive it myself")
    change = only(changes(root), ChangeKind.WAIVER_ADDED)
    assert change.flags == (SELF_APPROVED,)
    assert "approved by its own author" in change.message


def test_uncommitted_self_approved_waiver_is_flagged(root: Path) -> None:
    write(root, {"waivers.toml": WAIVER.format(approver="admin", until="2027-01-31")})
    assert only(changes(root), ChangeKind.WAIVER_ADDED).flags == (SELF_APPROVED,)


def test_waiver_beyond_the_policy_maximum_is_flagged(root: Path) -> None:
    write(root, {"waivers.toml": WAIVER.format(approver="carol", until="2028-06-30")})
    change = only(changes(root), ChangeKind.WAIVER_ADDED)
    assert change.flags == (BEYOND_MAX,)
    assert "longer than the policy's 365 days" in change.message


def test_owner_moved_to_a_departed_person(root: Path) -> None:
    write(root, {"assets/blogs/good.toml": GOOD_BLOG.replace('"carol"', '"bob"')})
    change = only(changes(root), ChangeKind.OWNER_DEPARTED)
    assert (change.asset, change.person, change.line) == ("blog:good", "bob", 1)
    assert "departed on 2026-10-01" in change.message


def test_owner_moved_to_an_unknown_person(root: Path) -> None:
    write(root, {"assets/blogs/good.toml": GOOD_BLOG.replace('"carol"', '"ghost"')})
    change = only(changes(root), ChangeKind.OWNER_UNKNOWN)
    assert change.person == "ghost" and "not in the roster" in change.message


def test_owner_moved_to_a_leaving_person(root: Path) -> None:
    """`leaving_on` comes with the roster feeds; any person record that has it counts."""

    @dataclass(frozen=True)
    class Leaving(Person):
        leaving_on: date | None = None

    inputs = working_tree_inputs(root)
    registry = inputs.registry
    roster = registry.roster
    carol = roster.people["carol"]
    leaving = Leaving(carol.handle, carol.name, carol.email, leaving_on=date(2026, 12, 4))
    after_roster = type(roster)(people={**roster.people, "carol": leaving}, teams=roster.teams)
    blog = registry.assets[next(a for a in registry.assets if a.name == "old-1")]
    moved = type(blog)(
        id=blog.id,
        file=blog.file,
        data={**blog.data, "owners": ["carol"]},
        source=blog.source,
    )
    after = type(registry)(
        root=registry.root,
        settings=registry.settings,
        roster=after_roster,
        assets={**registry.assets, blog.id: moved},
    )
    files = DiskFiles(root)
    found = governance_changes(
        Side(registry, (), files), Side(after, (), files), today=TODAY, authors=()
    )
    change = only(found, ChangeKind.OWNER_LEAVING)
    assert change.asset == "blog:old-1" and "leaving on 2026-12-04" in change.message


def test_asset_left_with_no_active_owner(root: Path) -> None:
    people = (root / "people.toml").read_text()
    write(
        root,
        {
            "people.toml": people.replace(
                'email = "alice@example.com"', 'email = "alice@example.com"\nstatus = "departed"'
            ),
            "assets/social/x/examplecorp.toml": SOCIAL.replace('["alice", "carol"]', '["alice"]'),
        },
    )
    found = changes(root)
    change = only(found, ChangeKind.ORPHANED)
    assert change.asset == "social:x/examplecorp"
    assert only(found, ChangeKind.PERSON_DEPARTED).person == "alice"


def test_mfa_turned_off(root: Path) -> None:
    write(root, {"assets/social/x/examplecorp.toml": SOCIAL.replace("mfa = true", "mfa = false")})
    change = only(changes(root), ChangeKind.MFA_OFF)
    assert (change.asset, change.line) == ("social:x/examplecorp", 7)


def test_access_holder_added(root: Path) -> None:
    write(root, {"assets/blogs/good.toml": 'access = ["bob"]\n' + GOOD_BLOG})
    change = only(changes(root), ChangeKind.ACCESS_ADDED)
    assert (change.person, change.line) == ("bob", 1)
    assert "(departed)" in change.message


def test_recovery_holder_added(root: Path) -> None:
    social = SOCIAL + 'recovery_phone_holder = "carol"\n'
    write(root, {"assets/social/x/examplecorp.toml": social})
    change = only(changes(root), ChangeKind.RECOVERY_ADDED)
    assert change.person == "carol" and change.line == 9


def test_policy_files_changed(root: Path) -> None:
    settings = (root / "socialgov.toml").read_text()
    write(
        root,
        {
            "socialgov.toml": settings + '\n[policy]\nfiles = ["policies/ours.toml"]\n',
            "policies/ours.toml": 'extends = "default"\n\n[rules.review-overdue]\nenabled = false\n',
        },
    )
    found = [c for c in changes(root) if c.kind is ChangeKind.POLICY_CHANGED]
    assert {c.file for c in found} == {"socialgov.toml", "policies/ours.toml"}
    assert any(c.message == "policy file policies/ours.toml added" for c in found)


def test_person_departed(root: Path) -> None:
    people = (root / "people.toml").read_text()
    write(
        root,
        {
            "people.toml": people.replace(
                'email = "carol@example.com"', 'email = "carol@example.com"\nstatus = "departed"'
            )
        },
    )
    change = only(changes(root), ChangeKind.PERSON_DEPARTED)
    assert (change.person, change.file, change.line) == ("carol", "people.toml", 9)


def test_person_reactivated(root: Path) -> None:
    people = (root / "people.toml").read_text()
    write(root, {"people.toml": people.replace('status = "departed"', 'status = "active"')})
    change = only(changes(root), ChangeKind.PERSON_REACTIVATED)
    assert change.person == "bob" and change.message == "person bob: departed → active"


def test_governance_changes_in_markdown_and_table(root: Path) -> None:
    write(root, {"waivers.toml": WAIVER.format(approver="admin", until="2028-06-30")})
    sg = Socialgov(root)
    markdown = sg("--today", "2026-11-23", "check", "--base", "base", "-f", "markdown")
    assert markdown.code == 0, markdown.stderr
    assert "### Governance changes (1)" in markdown.stdout
    assert "**⚠ self-approved** **⚠ beyond-max**" in markdown.stdout
    table = sg("--today", "2026-11-23", "check", "--base", "base")
    assert "Governance changes (1):" in table.stdout and "self-approved" in table.stdout


def test_codeowners_routes_the_governance_files(root: Path) -> None:
    sg = Socialgov(root)
    assert sg("codeowners").code == 0
    text = (root / ".github/CODEOWNERS").read_text()
    block = text.splitlines()
    governance = [line for line in block if "@example/it-ops" in line]
    assert governance == [
        "/people.toml @example/it-ops",
        "/waivers.toml @example/it-ops",
        "/policies/ @example/it-ops",
        "/socialgov.toml @example/it-ops",
    ]
    # Last in the block, so that they win over any earlier line (CODEOWNERS: last match).
    assert block.index("/socialgov.toml @example/it-ops") == len(block) - 2
    assert "/assets/blogs/good.toml @alice-gh @carol-gh" in text
    assert sg("codeowners", "--check").code == 0


def test_governance_reviewers_without_github_identity_are_noted(root: Path) -> None:
    settings = (root / "socialgov.toml").read_text()
    write(root, {"socialgov.toml": settings.replace('"team:it-ops"', '"admin"')})
    commit(root, "admin reviews")
    result = Socialgov(root)("codeowners")
    assert result.code == 0
    assert "no owner of the governance files" in result.stderr
    assert "/people.toml" not in (root / ".github/CODEOWNERS").read_text()
