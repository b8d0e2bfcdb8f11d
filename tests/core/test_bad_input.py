"""Every kind of bad input: exit 2 (3 for git), file:line in one paragraph, nothing written, no commit."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import Socialgov, commit_count, git


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".socialgov" not in p.parts
    }


# (file to write, its content, text the error must contain)
BROKEN_FILES = [
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"\n[domain]\n',
        "assets/domains/example.com.toml:2:",
    ),
    (
        "assets/domains/example.com.toml",
        b'ownres = ["alice"]\n',
        "assets/domains/example.com.toml:1: unknown key 'ownres'",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\nownres = ["alice"]\n',
        "did you mean 'owners'",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\ncriticality = 5\n',
        "example.com.toml:2: criticality = 5: expected one of",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\ncriticality = "urgent"\n',
        "example.com.toml:2",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\n\n[domain]\nexpires = 2026-02-30\n',
        "example.com.toml:4:",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\nlast_reviewed = "last spring"\n',
        "expected a date like 2026-06-01",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\n[domain]\nauto_renew = "yes"\n',
        "example.com.toml:3: domain.auto_renew",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\n[blog]\nurl = "https://x"\n',
        "example.com.toml:2: a domain asset cannot have a [blog] table",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\n[domain]\nregistrr = "X"\n',
        "did you mean 'registrar'",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice", "alice"]\n',
        "owners lists 'alice' twice",
    ),
    ("assets/domains/example.com.toml", b"", "example.com.toml:1: the file is empty"),
    # The registry is TOML 1.0, as tomllib reads it before Python 3.15: no TOML 1.1 syntax.
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\ncontacts = {\n  admin = "a@example.com",\n}\n',
        "example.com.toml:2:",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\nnotes = "caf\\xe9"\n',
        "example.com.toml:2:",
    ),
    (
        "assets/domains/example.com.toml",
        b'owners = ["alice"]\nnotes = "caf\xe9"\n',
        "example.com.toml:2: not valid UTF-8",
    ),
    (
        "assets/domains/EXAMPLE.org.toml",
        b'owners = ["alice"]\n',
        "expected assets/domains/example.org.toml",
    ),
    (
        "assets/domains/bücher.example.toml",
        b'owners = ["alice"]\n',
        "expected assets/domains/xn--bcher-kva.example.toml",
    ),
    ("assets/domains/not_a_domain.toml", b'owners = ["alice"]\n', "not a valid domain id"),
    (
        "assets/social/examplecorp.toml",
        b'owners = ["alice"]\n',
        "assets/social/PLATFORM/HANDLE.toml",
    ),
    (
        "people.toml",
        b'[people.alice]\nname = "A"\nemail = "a@example.com"\n[people.alice]\nname = "B"\n',
        "people.toml:4:",
    ),
    (
        "people.toml",
        b'[people.alice]\nname = "A"\nemail = "a@example.com"\n\n[teams.web]\nmembers = ["alice", "zed"]\n',
        "people.toml:6: team 'web' lists 'zed'",
    ),
    (
        "people.toml",
        b'[people.alice]\nname = "A"\nemail = "a@example.com"\nstatus = "gone"\n',
        "people.toml:4: people.alice.status",
    ),
    ("people.toml", b'[people.alice]\nname = "A"\n', "people.toml:1: [people.alice] needs email"),
    (
        "people.toml",
        b'[people.Alice]\nname = "A"\nemail = "a@example.com"\n',
        "person handle 'Alice' is not valid",
    ),
    (
        "people.toml",
        b'[people.alice]\nname = "A"\nemail = "a@example.com"\nmanager = "ghost"\n',
        "people.toml:4: alice's manager 'ghost'",
    ),
    (
        "people.toml",
        b'[people.alice]\nname = "A"\nemail = "a@example.com"\ndepartd_on = 2026-01-01\n',
        "did you mean 'departed_on'",
    ),
    (
        "socialgov.toml",
        b'[organisation]\nname = "X"\n',
        "socialgov.toml:1: unknown table [organisation]",
    ),
    (
        "socialgov.toml",
        b'[organization]\nname = "X"\n[lookup]\nconcurrency = 0\n',
        "socialgov.toml:4: lookup.concurrency",
    ),
    (
        "socialgov.toml",
        b'[organization]\nemail_domains = ["example.com"]\n',
        "[organization] needs name",
    ),
]


@pytest.mark.parametrize(
    ("rel", "content", "expected"),
    BROKEN_FILES,
    ids=[f"{i}:{c[2][:40]}" for i, c in enumerate(BROKEN_FILES)],
)
def test_broken_files_are_reported_at_their_line(
    populated: Path, sg: Socialgov, rel: str, content: bytes, expected: str
) -> None:
    people = (populated / "people.toml").read_bytes()
    target = populated / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    git(populated, "add", "-A")
    git(populated, "commit", "-qm", "broken by hand")
    before = snapshot(populated)
    commits = commit_count(populated)
    for args in (("list", "-f", "json"), ("add", "blog", "new-blog", "--owner", "alice")):
        result = sg(*args)
        assert result.code == 2, (args, result.stderr)
        assert expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
        assert snapshot(populated) == before
        assert commit_count(populated) == commits
    assert people  # the fixture's roster was valid before the breakage


BAD_COMMANDS = [
    (("add", "domain", "../../etc/passwd", "--owner", "alice"), "not a domain name"),
    (("add", "domain", "/etc/passwd", "--owner", "alice"), "not a domain name"),
    (("add", "blog", "../escape", "--owner", "alice"), "blog name '../escape' is not valid"),
    (("add", "social", "x/../../escape", "--owner", "alice"), "is not valid"),
    (
        ("add", "social", "x/evil\x01", "--owner", "alice"),
        "contains a control or invisible character",
    ),
    (("add", "social", "examplecorp", "--owner", "alice"), "PLATFORM/HANDLE"),
    (("add", "website", "www", "--owner", "alice"), "unknown kind 'website'"),
    (("add", "blog", "news", "--owner", "alcie"), "unknown owner 'alcie'"),
    (("add", "blog", "news", "--owner", "team:nope"), "unknown owner 'team:nope'"),
    (("add", "blog", "eng-blog", "--owner", "alice"), "already exists"),
    (("add", "blog", "news", "--owner", "alice", "--set", "blog.ulr=x"), "did you mean 'url'"),
    (
        ("add", "blog", "news", "--owner", "alice", "--set", "domain.expires=2027-01-01"),
        "a blog has no table [domain]",
    ),
    (
        ("add", "domain", "new.example", "--owner", "alice", "--set", "expires=next year"),
        "expected a date like",
    ),
    (
        ("add", "domain", "new.example", "--owner", "alice", "--set", "auto_renew=maybe"),
        "expected true or false",
    ),
    (
        ("add", "domain", "new.example", "--owner", "alice", "--set", "criticality=urgent"),
        'one of "low", "medium", "high"',
    ),
    (("add", "domain", "new.example", "--owner", "alice", "--set", "justtext"), "is not key=value"),
    (("set", "nonexistent.example", "notes=x"), "no asset 'nonexistent.example'"),
    (("set", "domain:exmple.com", "notes=x"), "did you mean 'domain:example.com'"),
    (("set", "example.com", "owners=alice,ghost"), "unknown owner 'ghost'"),
    (("owners", "example.com", "--remove", "carol"), "'carol' is not an owner"),
    (("owners", "example.com", "--add", "ghost"), "unknown owner 'ghost'"),
    (
        ("people", "add", "dave", "--name", "D", "--email", "not-an-address"),
        "not an e-mail address",
    ),
    (
        ("people", "add", "alice", "--name", "A", "--email", "a@example.com"),
        "already in the roster",
    ),
    (
        ("people", "add", "dave", "--name", "D", "--email", "d@example.com", "--manager", "ghost"),
        "no person 'ghost'",
    ),
    (("people", "set", "alice", "departed_on=yesterday"), "expected a date like"),
    (("people", "set", "alice", "colour=blue"), "expected key=value with a key of"),
    (("people", "depart", "ghost"), "no person 'ghost'"),
    (("people", "depart", "bob", "--on", "2026-13-01"), "--on '2026-13-01' is not a date"),
    (("--today", "someday", "list"), "--today 'someday' is not a date"),
    (("list", "--kind", "website"), "--kind 'website'"),
    (("list", "--owner", "ghost"), "neither a person nor a team"),
    (("set", "example.com", "notes=x", "--author", "no email here"), "expected 'Name <email>'"),
    (
        ("set", "x/examplecorp", "notes=password: hunter2hunter2"),
        "refusing to write notes: the value looks like a password",
    ),
    (
        ("set", "x/examplecorp", "social.credential_ref=ghp_" + "a1B2" * 9),
        "looks like a GitHub token",
    ),
    (
        (
            "add",
            "blog",
            "leak",
            "--owner",
            "alice",
            "--set",
            "notes=-----BEGIN RSA PRIVATE KEY-----",
        ),
        "looks like a private key",
    ),
]


@pytest.mark.parametrize(
    ("args", "expected"), BAD_COMMANDS, ids=[" ".join(a)[:50] for a, _ in BAD_COMMANDS]
)
def test_bad_commands_change_nothing(
    populated: Path, sg: Socialgov, args: tuple[str, ...], expected: str
) -> None:
    before = snapshot(populated)
    commits = commit_count(populated)
    result = sg(*args)
    assert result.code == 2, result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(populated) == before
    assert commit_count(populated) == commits
    assert (
        not (populated.parent / "etc").exists() and not (populated.parent / "escape.toml").exists()
    )


def test_no_registry_found(tmp_path: Path) -> None:
    result = Socialgov(tmp_path)("list")
    assert result.code == 2
    assert "no socialgov.toml found" in result.stderr
    bad = Socialgov(tmp_path)("--registry", str(tmp_path / "nowhere"), "list")
    assert bad.code == 2 and "is not a socialgov registry" in bad.stderr


def test_git_without_identity_is_exit_3(
    populated: Path, sg: Socialgov, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    before = snapshot(populated)
    result = sg("set", "example.com", "notes=x")
    assert result.code == 3
    assert "git does not know who you are" in result.stderr
    assert snapshot(populated) == before


def test_lock_held_is_exit_3(populated: Path, sg: Socialgov) -> None:
    from filelock import FileLock

    with FileLock(str(populated / ".git/socialgov.lock")):
        result = sg("set", "example.com", "notes=x", env={"SOCIALGOV_LOCK_TIMEOUT": "0.5"})
    assert result.code == 3
    assert "another socialgov process holds" in result.stderr
