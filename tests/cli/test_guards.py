"""Guard rails: each harmful change is refused with exit 2 and a reason, writing nothing."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.cli.conftest import TODAY, Cli, Refused, head
from tests.conftest import commit_count, git


@pytest.mark.parametrize(
    "args",
    [
        ("owners", "example.com", "--add", "dora"),
        ("add", "domain", "new.example", "--owner", "dora"),
        ("set", "example.com", "access=alice,dora"),
        ("set", "x/examplecorp", "social.recovery_phone_holder=dora"),
        ("owners", "example.com", "--add", "DORA"),
    ],
    ids=["owners-add", "add", "access", "recovery-phone", "any-case"],
)
def test_a_departed_person_is_given_nothing(
    reg: Path, refused: Refused, args: tuple[str, ...]
) -> None:
    result = refused(*args, expect="dora has departed on 2026-10-01")
    assert "nothing changed" in result.stderr


def test_a_departed_person_cannot_approve_a_waiver(refused: Refused) -> None:
    refused(
        "waive",
        "mfa-missing",
        "x/examplecorp",
        "--reason",
        "r",
        "--approved-by",
        "dora",
        "--until",
        "2026-12-31",
        expect="--approved-by dora has departed",
    )


def test_a_person_whose_leaving_on_passed_counts_as_gone(reg: Path, cli: Cli) -> None:
    registry = reg
    people = registry / "people.toml"
    people.write_text(
        people.read_text()
        + '\n[people.lee]\nname = "Lee"\nemail = "lee@example.com"\nleaving_on = 2026-11-01\n'
    )
    git(registry, "commit", "-qam", "lee")
    before = head(registry)
    result = cli("--today", TODAY, "owners", "example.com", "--add", "lee")
    assert result.code == 2, result.stderr
    assert "lee has left on 2026-11-01 (leaving_on)" in result.stderr
    assert git(registry, "status", "--porcelain") == ""
    assert head(registry) == before


def test_an_existing_departed_owner_does_not_block_other_edits(cli: Cli) -> None:
    assert cli("people", "depart", "bob", "--on", "2026-10-01").code == 0
    result = cli("--today", TODAY, "set", "example.com", "criticality=high")
    assert result.code == 0, result.stderr


def test_removing_the_last_active_owner_is_refused(refused: Refused) -> None:
    result = refused(
        "owners",
        "x/examplecorp",
        "--remove",
        "alice",
        expect="last active owner of social:x/examplecorp",
    )
    assert "--allow-orphan" in result.stderr
    refused("set", "x/examplecorp", "owners=", expect="last active owner")


def test_allow_orphan_says_the_asset_is_orphaned(cli: Cli) -> None:
    result = cli("owners", "x/examplecorp", "--remove", "alice", "--allow-orphan")
    assert result.code == 0, result.stderr
    assert "social:x/examplecorp is now orphaned" in result.stderr


def test_duplicate_work_emails_are_a_load_error_naming_both_lines(reg: Path, cli: Cli) -> None:
    people = reg / "people.toml"
    people.write_text(
        people.read_text() + '\n[people.al]\nname = "Al"\nemail = "Alice@Example.com"\n'
    )
    result = cli("list")
    assert result.code == 2
    lines = people.read_text().splitlines()
    first = next(n for n, t in enumerate(lines, 1) if t.startswith('email = "alice@'))
    second = next(n for n, t in enumerate(lines, 1) if t.startswith('email = "Alice@'))
    assert f"people.toml:{second}:" in result.stderr
    assert f"people.toml:{first}" in result.stderr
    assert "al and alice have the same work e-mail" in result.stderr


@pytest.mark.parametrize(
    ("extra", "expect"),
    [
        (
            '\n[people.zed]\nname = "Z"\nemail = "z@example.com"\nmanager = "zed"\n',
            "zed is their own manager",
        ),
        (
            '\n[people.x1]\nname = "X"\nemail = "x1@example.com"\nmanager = "x2"\n'
            '\n[people.x2]\nname = "Y"\nemail = "x2@example.com"\nmanager = "x1"\n',
            "managers form a cycle: x1 → x2 → x1",
        ),
    ],
    ids=["self", "cycle"],
)
def test_manager_cycles_are_load_errors(reg: Path, cli: Cli, extra: str, expect: str) -> None:
    people = reg / "people.toml"
    people.write_text(people.read_text() + extra)
    result = cli("list")
    assert result.code == 2
    assert expect in result.stderr
    assert "people.toml:" in result.stderr


def test_handles_are_case_insensitive(reg: Path, cli: Cli, refused: Refused) -> None:
    refused(
        "people",
        "add",
        "Alice",
        "--name",
        "A",
        "--email",
        "a2@example.com",
        expect="already in the roster",
    )
    shown = cli("people", "show", "ALICE", "-f", "json")
    assert shown.code == 0, shown.stderr
    assert json.loads(shown.stdout)["person"]["handle"] == "alice"
    result = cli("owners", "example.com", "--add", "Carol")
    assert result.code == 0, result.stderr
    assert "carol" in tomllib.loads((reg / "assets/domains/example.com.toml").read_text())["owners"]


def test_waivers_duplicate_too_long_and_unused(cli: Cli, refused: Refused) -> None:
    args = ("waive", "orphaned", "x/examplecorp", "--reason", "r", "--approved-by", "carol")
    result = cli("--today", TODAY, *args, "--until", "2026-12-31")
    assert result.code == 0, result.stderr
    assert "warning: orphaned finds nothing on social:x/examplecorp" in result.stderr
    again = refused(
        *args, "--until", "2027-01-31", expect="already waives orphaned on social:x/examplecorp"
    )
    assert "waivers renew" in again.stderr
    refused(
        "waive",
        "orphaned",
        "example.com",
        "--reason",
        "r",
        "--approved-by",
        "carol",
        "--until",
        "2027-12-01",
        expect="at most 365 days",
    )


def test_waiver_max_days_comes_from_the_policy(reg: Path, refused: Refused) -> None:
    registry = reg
    (registry / "policies").mkdir()
    (registry / "policies/short.toml").write_text('extends = "default"\n[waivers]\nmax_days = 30\n')
    settings = registry / "socialgov.toml"
    settings.write_text(settings.read_text() + '\n[policy]\nfiles = ["policies/short.toml"]\n')
    git(registry, "add", "-A")
    git(registry, "commit", "-qm", "policy")
    refused(
        "waive",
        "orphaned",
        "example.com",
        "--reason",
        "r",
        "--approved-by",
        "carol",
        "--until",
        "2027-01-31",
        expect="at most 30 days",
    )


@pytest.mark.parametrize("target", ["dir", "missing-parent", "dash-html"])
def test_output_paths_that_cannot_be_files(reg: Path, refused: Refused, target: str) -> None:
    registry = reg
    (registry / "out").mkdir()
    git_count = commit_count(registry)
    if target == "dir":
        result = refused("list", "--output", str(registry / "out"), expect="that is a folder")
    elif target == "missing-parent":
        result = refused("list", "-o", str(registry / "nope/list.txt"), expect="does not exist")
        assert not (registry / "nope").exists()
    else:
        result = refused("report", "--html", "-", expect="cannot write to stdout")
    assert commit_count(registry) == git_count
    assert result.stdout == ""


def test_output_dash_is_stdout(cli: Cli) -> None:
    result = cli("list", "-f", "json", "-o", "-")
    assert json.loads(result.stdout)[0]["id"] == "blog:eng-blog"


def test_a_future_last_reviewed_is_refused(refused: Refused) -> None:
    refused("set", "example.com", "last_reviewed=2026-12-01", expect="is in the future")


def test_add_records_today_as_last_reviewed(reg: Path, cli: Cli) -> None:
    assert cli("--today", TODAY, "add", "domain", "fresh.example", "--owner", "alice").code == 0
    data = tomllib.loads((reg / "assets/domains/fresh.example.toml").read_text())
    assert str(data["last_reviewed"]) == TODAY


def test_offboarding_lists_contacts_outside_the_company_domains(cli: Cli) -> None:
    assert cli("set", "example.com", "contacts.registrant_email=someone@gmail.com").code == 0
    result = cli("offboard", "bob", "--to", "carol", "--dry-run", "-f", "json")
    assert result.code == 0, result.stderr
    items = json.loads(result.stdout)["checklist"]
    assert any(
        i["asset"] == "domain:example.com" and "someone@gmail.com" in i["detail"] for i in items
    ), items


def test_gone_reads_leaving_on_where_the_roster_has_it() -> None:
    from datetime import date
    from types import SimpleNamespace

    from socialgov.changes.guards import gone

    leaving = SimpleNamespace(departed=False, departed_on=None, leaving_on=date(2026, 11, 1))
    assert gone(leaving, date(2026, 11, 15)) == "left on 2026-11-01 (leaving_on)"  # type: ignore[arg-type]
    assert gone(leaving, date(2026, 10, 31)) is None  # type: ignore[arg-type]
    staying = SimpleNamespace(departed=False, departed_on=None)
    assert gone(staying, date(2026, 11, 15)) is None  # type: ignore[arg-type]
