"""plan_offboarding is pure: cases on a registry loaded from files, no git needed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from socialgov.errors import UsageError
from socialgov.model import AssetId, Registry
from socialgov.offboard import (
    AssetEdit,
    NoSuccessor,
    OffboardPlan,
    Reassignment,
    apply_plan,
    edit_asset_text,
    observed_registrant_emails,
    plan_offboarding,
)
from socialgov.registry.load import load_registry, parse_asset
from tests.offboard.helpers import ASSETS, PEOPLE, SETTINGS

ON = date(2026, 11, 1)


def write(root: Path, files: dict[str, str], people: str = PEOPLE) -> Path:
    (root / "socialgov.toml").write_text(SETTINGS)
    (root / "people.toml").write_text(people)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return load_registry(write(tmp_path, ASSETS))


def by_asset(plan: OffboardPlan) -> dict[str, Reassignment]:
    return {str(r.asset): r for r in plan.reassigned}


def test_successors_backup_then_manager_and_accountable_replaced(registry: Registry) -> None:
    plan = plan_offboarding(registry, "bob", None, ON)
    moves = by_asset(plan)
    # accountable bob, active backup alice: alice becomes accountable, bob simply removed
    assert moves["domain:example.com"].successor == "alice"
    assert moves["domain:example.com"].how == "backup"
    assert moves["domain:example.com"].owners_after == ("alice",)
    # bob alone: his active manager carol takes his place
    assert moves["blog:eng-blog"].how == "manager"
    assert moves["blog:eng-blog"].owners_after == ("carol",)
    # bob is a backup behind departed dave; team:web keeps an active member (erin)
    assert moves["social:x/examplecorp"].successor == "team:web"
    assert moves["social:x/examplecorp"].owners_after == ("dave", "team:web")
    # retired assets are handed over too when someone can take them
    assert moves["domain:old.example"].owners_after == ("carol",)
    assert "domain:other.example" not in moves
    assert plan.mark_departed and plan.on == ON
    assert plan.teams_left == ("solo", "web")


def test_to_replaces_in_place_and_an_accountable_successor_moves_first(registry: Registry) -> None:
    plan = plan_offboarding(registry, "bob", "alice", ON)
    moves = by_asset(plan)
    assert moves["domain:example.com"].owners_after == ("alice",)  # already listed: not twice
    assert moves["blog:eng-blog"].owners_after == ("alice",)
    assert moves["social:x/examplecorp"].owners_after == ("dave", "alice", "team:web")
    assert {r.how for r in plan.reassigned} == {"to"}
    assert plan.message().startswith("offboard bob: 4 assets to alice, access removed from 3")


def test_team_as_successor_and_invalid_successors(registry: Registry) -> None:
    plan = plan_offboarding(registry, "bob", "team:web", ON)
    assert by_asset(plan)["blog:eng-blog"].owners_after == ("team:web",)
    with pytest.raises(UsageError, match="no active member"):
        plan_offboarding(registry, "bob", "team:solo", ON)  # bob is its only member
    with pytest.raises(UsageError, match="not active"):
        plan_offboarding(registry, "bob", "dave", ON)
    with pytest.raises(UsageError, match="neither a person nor a team"):
        plan_offboarding(registry, "bob", "zed", ON)
    with pytest.raises(UsageError, match="cannot hand"):
        plan_offboarding(registry, "bob", "bob", ON)
    with pytest.raises(UsageError, match="no person 'bobb'"):
        plan_offboarding(registry, "bobb", None, ON)


def test_no_successor_lists_every_stranded_active_asset(tmp_path: Path) -> None:
    people = PEOPLE.replace('manager = "carol"\nother_emails', "other_emails")
    files = dict(ASSETS)
    files["assets/blogs/second.toml"] = 'owners = ["bob", "dave"]\nstatus = "active"\n'
    registry = load_registry(write(tmp_path, files, people))
    with pytest.raises(NoSuccessor) as caught:
        plan_offboarding(registry, "bob", None, ON)
    assert [str(a) for a in caught.value.assets] == ["blog:eng-blog", "blog:second"]
    assert caught.value.exit_code == 2
    # the retired asset with no successor does not block: bob stays listed, with a warning
    plan = plan_offboarding(registry, "bob", "alice", ON)
    assert "domain:old.example" in by_asset(plan)
    files["assets/blogs/eng-blog.toml"] = 'owners = ["bob", "alice"]\nstatus = "active"\n'
    files["assets/blogs/second.toml"] = 'owners = ["alice", "bob"]\nstatus = "active"\n'
    plan = plan_offboarding(load_registry(write(tmp_path, files, people)), "bob", None, ON)
    assert "domain:old.example" not in by_asset(plan)
    assert any("old.example is retired" in w for w in plan.warnings)


def test_access_recovery_phone_teams_and_warnings(registry: Registry) -> None:
    plan = plan_offboarding(registry, "bob", None, ON)
    removed = {(str(a.asset), a.key) for a in plan.access_removed}
    assert removed == {
        ("domain:example.com", "access"),
        ("domain:old.example", "access"),  # retired assets too
        ("social:x/examplecorp", "social.recovery_phone_holder"),
    }
    warnings = "\n".join(plan.warnings)
    assert "team:solo has no active member" in warnings
    assert "erin reports to bob" in warnings


def test_checklist_covers_credentials_contacts_2fa_and_observations(registry: Registry) -> None:
    observed = {AssetId.parse("domain:other.example"): "Bob@Example.com"}
    plan = plan_offboarding(registry, "bob", None, ON, observed_emails=observed)
    items = {(str(c.asset), c.action) for c in plan.checklist}
    assert ("domain:example.com", "rotate credentials") in items
    assert ("domain:web.example", "rotate credentials") in items  # held through team:web
    assert ("social:x/examplecorp", "move 2FA") in items
    assert ("social:x/examplecorp", "move recovery phone") in items
    assert ("domain:other.example", "change registrant e-mail") in items
    contacts = [c.detail for c in plan.checklist if c.action == "change contact e-mail"]
    assert len(contacts) == 2  # the work address in capitals and the personal one
    assert any("bob.private@GMAIL.com" in d for d in contacts)
    rotate = next(
        c for c in plan.checklist if str(c.asset) == "social:x/examplecorp" and "rotate" in c.action
    )
    assert "vault:social/x" in rotate.detail and "social.credentials_rotated" in rotate.detail
    assert ("domain:other.example", "rotate credentials") not in items


def test_credentials_rotated_after_departure_needs_no_rotation(tmp_path: Path) -> None:
    files = dict(ASSETS)
    files["assets/social/x/examplecorp.toml"] = ASSETS["assets/social/x/examplecorp.toml"] + (
        "credentials_rotated = 2026-11-02\n"
    )
    plan = plan_offboarding(load_registry(write(tmp_path, files)), "bob", None, ON)
    actions = {c.action for c in plan.checklist if str(c.asset) == "social:x/examplecorp"}
    assert "rotate credentials" not in actions


def test_observed_registrant_emails_reads_only_matching_observations(tmp_path: Path) -> None:
    root = write(tmp_path, ASSETS)
    (root / "observations").mkdir()
    (root / "observations/other.example.toml").write_text(
        'domain = "other.example"\nregistered = true\nregistrant_email = "BOB.private@gmail.com"\n'
    )
    (root / "observations/example.com.toml").write_text(
        'domain = "example.com"\nregistered = true\nregistrant_email = "hostmaster@example.com"\n'
    )
    registry = load_registry(root)
    found = observed_registrant_emails(root, registry, registry.roster.people["bob"].emails)
    assert found == {AssetId.parse("domain:other.example"): "BOB.private@gmail.com"}


def test_apply_keeps_comments_and_writes_valid_files(registry: Registry) -> None:
    plan = plan_offboarding(registry, "bob", None, ON)
    written: dict[str, bytes] = {}

    class Sink:
        def write(self, rel: str, data: bytes) -> None:
            written[rel] = data

    apply_plan(Sink(), registry, plan)
    domain = written["assets/domains/example.com.toml"].decode()
    assert domain.startswith('# The main domain.\nowners = ["alice"]  # accountable first\n')
    assert 'access = ["dave"]' in domain
    assert "# wrote every post" not in written["assets/blogs/eng-blog.toml"].decode()
    social = written["assets/social/x/examplecorp.toml"].decode()
    assert "recovery_phone_holder" not in social and 'credential_ref = "vault:social/x"' in social
    assert "access" not in written["assets/domains/old.example.toml"].decode()
    people = written["people.toml"].decode()
    assert "# Teams below.\n[teams.web]" in people  # the comment stays with its table
    assert 'members = ["erin"]  # the web team' in people
    assert "departed_on = 2026-11-01\n\n[people.carol]" in people
    for rel, data in written.items():
        if rel.startswith("assets/"):
            parse_asset(
                registry.assets[next(a for a in registry.assets if a.relpath == rel)].id, rel, data
            )


@pytest.mark.parametrize(
    "text",
    [
        'owners = ["bob", "alice"]\nstatus = "active"\n',
        'owners = [\n  "bob", # [x]\n  "alice",\n]  # tail\nstatus = "active"\n',
        'notes = """\nowners = ["x"]\n"""\nowners = ["bob", "alice"]\n',  # tomlkit fallback
        '"owners" = ["bob", "alice"]\n',  # quoted key: tomlkit fallback
        'owners = ["bob", "alice"]\naccess = ["bob"]\n[social]\nrecovery_phone_holder = "bob"\n',
    ],
)
def test_edit_asset_text_always_parses_to_the_expected_data(text: str) -> None:
    asset_id = AssetId.parse("social:x/a")
    asset = parse_asset(asset_id, asset_id.relpath, text.encode())
    edit = AssetEdit(
        asset_id,
        asset.file,
        owners=("alice",),
        access=() if asset.access else None,
        drop_recovery_phone="social" in asset.data,
    )
    new = parse_asset(asset_id, asset.file, edit_asset_text(asset, edit).encode())
    assert new.owners == ("alice",)
    assert new.access == ()
    assert "recovery_phone_holder" not in new.section
    assert new.data.get("notes") == asset.data.get("notes")


@pytest.mark.parametrize(
    "people",
    [
        PEOPLE,
        # inline tables and no status key: the text fast path gives up, tomlkit takes over
        PEOPLE.replace(
            '[people.bob]\nname = "Bob Leaver"\nemail = "bob@example.com"  # work address\n'
            'status = "active"\nmanager = "carol"\nother_emails = ["bob.private@gmail.com"]\n',
            "",
        ).replace(
            "[people.carol]",
            '[people.bob]\nname = "Bob Leaver"\nemail = "bob@example.com"\nmanager = "carol"\n\n'
            "[people.carol]",
        ),
        PEOPLE.replace(
            '[teams.web]\nmembers = ["bob", "erin"]  # the web team',
            '[teams]\nweb = { members = ["bob", "erin"] }',
        ).replace('[teams.solo]\nmembers = ["bob"]', ""),
    ],
)
def test_roster_edit_gives_the_expected_roster_whatever_the_layout(
    tmp_path: Path, people: str
) -> None:
    import tomllib

    registry = load_registry(write(tmp_path, ASSETS, people))
    plan = plan_offboarding(registry, "bob", "alice", ON)
    written: dict[str, bytes] = {}

    class Sink:
        def write(self, rel: str, data: bytes) -> None:
            written[rel] = data

    apply_plan(Sink(), registry, plan)
    roster = tomllib.loads(written["people.toml"].decode())
    assert roster["people"]["bob"]["status"] == "departed"
    assert roster["people"]["bob"]["departed_on"] == ON
    assert roster["teams"]["web"]["members"] == ["erin"]
    before = tomllib.loads(people)
    assert {k: v for k, v in roster["people"].items() if k != "bob"} == {
        k: v for k, v in before["people"].items() if k != "bob"
    }
