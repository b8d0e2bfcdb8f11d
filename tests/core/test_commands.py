"""Registry commands end to end through the installed entry point, on real git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import Gate, Socialgov, commit_count, fork, git


def test_init_creates_a_registry_in_one_commit(registry: Path) -> None:
    assert (registry / "socialgov.toml").is_file()
    assert (registry / "people.toml").is_file()
    assert commit_count(registry) == 1
    assert "init socialgov registry for Example Corp" in git(registry, "log", "-1", "--format=%s")
    assert git(registry, "status", "--porcelain") == ""


def test_init_refuses_an_existing_registry(registry: Path, sg: Socialgov) -> None:
    result = sg("init", ".", "--org", "Other")
    assert result.code == 2
    assert "already holds a registry" in result.stderr
    assert commit_count(registry) == 1


def test_add_commits_exactly_the_new_file(registry: Path, sg: Socialgov) -> None:
    assert sg("people", "add", "alice", "--name", "Alice", "--email", "alice@example.com").code == 0
    (registry / "scratch.txt").write_text("user's own untracked work\n")
    git(registry, "add", "scratch.txt")  # staged by the user: must stay out of our commit
    result = sg(
        "--today",
        "2026-11-20",
        "add",
        "domain",
        "Example.COM",
        "--owner",
        "alice",
        "--set",
        "expires=2027-05-05",
        "--set",
        "criticality=high",
    )
    assert result.code == 0, result.stderr
    changed = git(registry, "show", "--name-only", "--format=%s", "HEAD").split()
    assert changed[0:3] == ["add", "domain:example.com", "(alice)"]
    assert changed[3:] == ["assets/domains/example.com.toml"]
    assert "scratch.txt" in git(registry, "diff", "--cached", "--name-only")
    assert git(registry, "status", "--porcelain", "assets") == ""
    listed = json.loads(sg("list", "--format", "json").stdout)
    assert listed == [
        {
            "id": "domain:example.com",
            "kind": "domain",
            "name": "example.com",
            "file": "assets/domains/example.com.toml",
            "owners": ["alice"],
            "status": "active",
            "criticality": "high",
            "department": None,
            "last_reviewed": "2026-11-20",  # add records --today: the adder just reviewed it
            "domain": {"expires": "2027-05-05"},
        }
    ]


def test_idn_domains_are_stored_in_ascii_and_shown_in_unicode(
    populated: Path, sg: Socialgov
) -> None:
    assert sg("add", "domain", "Bücher.example", "--owner", "alice").code == 0
    assert (populated / "assets/domains/xn--bcher-kva.example.toml").is_file()
    item = next(
        a for a in json.loads(sg("list", "-f", "json").stdout) if a["name"].startswith("xn--")
    )
    assert item["unicode_name"] == "bücher.example"
    assert "bücher.example" in sg("list").stdout


def test_list_filters(populated: Path, sg: Socialgov) -> None:
    def ids(*args: str) -> list[str]:
        result = sg("list", "--format", "json", *args)
        assert result.code == 0, result.stderr
        return [a["id"] for a in json.loads(result.stdout)]

    assert ids("--kind", "blog") == ["blog:eng-blog"]
    assert ids("--owner", "alice") == ["domain:example.com", "social:x/examplecorp"]
    assert ids("--orphaned") == []
    assert sg("people", "depart", "bob", "--on", "2026-10-01").code == 0
    assert ids("--orphaned") == ["blog:eng-blog"]
    assert ids("--departed") == ["blog:eng-blog", "domain:example.com"]
    csv_out = sg("list", "--format", "csv", "--kind", "social").stdout.splitlines()
    assert csv_out[0] == "id,owners,status,criticality,department,file"
    assert csv_out[1].startswith("social:x/examplecorp,alice,active")


def test_set_keeps_comments_and_layout(populated: Path, sg: Socialgov) -> None:
    path = populated / "assets/domains/example.com.toml"
    path.write_text(
        "# Bought for the 2011 spring campaign.\n"
        'owners = ["alice", "bob"]  # alice is accountable\n'
        "\n[domain]\nexpires = 2027-05-05   # renewed by hand\n"
    )
    git(populated, "commit", "-qam", "hand edit")
    result = sg(
        "set",
        "example.com",
        "auto_renew=true",
        "domain.registrar=MarkMonitor Inc.",
        "department=Marketing",
    )
    assert result.code == 0, result.stderr
    text = path.read_text()
    assert "# Bought for the 2011 spring campaign." in text
    assert "# alice is accountable" in text
    assert "expires = 2027-05-05   # renewed by hand" in text
    assert 'registrar = "MarkMonitor Inc."' in text and "auto_renew = true" in text
    assert text.index("department") < text.index("[domain]")
    assert git(populated, "log", "-1", "--format=%s").startswith(
        "set domain:example.com: auto_renew=true"
    )


def test_owners_and_retire(populated: Path, sg: Socialgov) -> None:
    assert sg("owners", "domain:example.com", "--add", "carol", "--remove", "bob").code == 0
    asset = next(
        a for a in json.loads(sg("list", "-f", "json").stdout) if a["id"] == "domain:example.com"
    )
    assert asset["owners"] == ["alice", "carol"]
    before = commit_count(populated)
    result = sg("--today", "2026-11-23", "retire", "eng-blog", "--reason", "moved to the main site")
    assert result.code == 0, result.stderr
    assert commit_count(populated) == before + 1
    blog = next(
        a for a in json.loads(sg("list", "-f", "json").stdout) if a["id"] == "blog:eng-blog"
    )
    assert blog["status"] == "retired"
    assert blog["retired_on"] == "2026-11-23"
    assert blog["retired_reason"] == "moved to the main site"
    assert sg("retire", "eng-blog", "--reason", "again").code == 2


def test_people_commands(populated: Path, sg: Socialgov) -> None:
    assert (
        sg("people", "set", "alice", "department=Brand", "other_emails=alice@gmail.example").code
        == 0
    )
    people = {p["handle"]: p for p in json.loads(sg("people", "list", "--format", "json").stdout)}
    assert people["alice"]["department"] == "Brand"
    assert people["alice"]["other_emails"] == ["alice@gmail.example"]
    assert sg("people", "depart", "bob", "--on", "2026-10-01").code == 0
    people = {p["handle"]: p for p in json.loads(sg("people", "list", "-f", "json").stdout)}
    assert people["bob"]["status"] == "departed" and people["bob"]["departed_on"] == "2026-10-01"
    before = commit_count(populated)
    again = sg("people", "depart", "bob")
    assert again.code == 0 and "already departed" in again.stderr
    assert commit_count(populated) == before


def test_no_commit_and_author(populated: Path, sg: Socialgov) -> None:
    before = commit_count(populated)
    assert sg("set", "example.com", "notes=draft", "--no-commit").code == 0
    assert commit_count(populated) == before
    assert "assets/domains/example.com.toml" in git(populated, "status", "--porcelain")
    git(populated, "checkout", "--", ".")
    assert (
        sg("set", "example.com", "notes=final", "--author", "Dana Admin <dana@example.com>").code
        == 0
    )
    assert (
        git(populated, "log", "-1", "--format=%an <%ae>").strip() == "Dana Admin <dana@example.com>"
    )


def test_refuses_files_with_uncommitted_edits(populated: Path, sg: Socialgov) -> None:
    path = populated / "assets/domains/example.com.toml"
    path.write_text(path.read_text() + "# someone's unfinished edit\n")
    before = commit_count(populated)
    result = sg("set", "example.com", "notes=x")
    assert result.code == 3
    assert (
        "uncommitted edits" in result.stderr and "assets/domains/example.com.toml" in result.stderr
    )
    assert path.read_text().endswith("# someone's unfinished edit\n")
    assert "notes" not in path.read_text()
    assert commit_count(populated) == before


def test_registry_in_a_subfolder_of_a_repo_without_commits(tmp_path: Path) -> None:
    top = tmp_path / "infra"
    top.mkdir()
    git(top, "init", "-q")
    result = Socialgov(top)("init", "governance/registry", "--org", "Example Corp")
    assert result.code == 0, result.stderr
    sub = top / "governance/registry"
    sg = Socialgov(sub)
    assert sg("people", "add", "alice", "--name", "A", "--email", "a@example.com").code == 0
    files = git(top, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["governance/registry/people.toml"]
    elsewhere = Socialgov(tmp_path)("--registry", str(sub), "people", "list", "-f", "json")
    assert [p["handle"] for p in json.loads(elsewhere.stdout)] == ["alice"]
    by_env = Socialgov(tmp_path)(
        "people", "list", "-f", "json", env={"SOCIALGOV_REGISTRY": str(sub)}
    )
    assert by_env.code == 0 and "alice" in by_env.stdout


def test_repository_hooks_never_run(populated: Path, sg: Socialgov) -> None:
    marker = populated.parent / "hook-ran"
    hooks = populated / ".git/hooks"
    hooks.mkdir(exist_ok=True)  # socialgov init copies no git templates
    for name in (
        "pre-commit",
        "commit-msg",
        "post-commit",
        "reference-transaction",
        "post-index-change",
    ):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\necho {name} >> '{marker}'\n")
        hook.chmod(0o755)
    assert sg("set", "example.com", "notes=hooked?").code == 0
    assert sg("add", "blog", "news", "--owner", "alice").code == 0
    assert not marker.exists()


def test_ten_parallel_adds_give_ten_assets_and_ten_commits(populated: Path, sg: Socialgov) -> None:
    before = commit_count(populated)
    gate = Gate()  # ten real processes, released at once, racing for the lock
    processes = [
        fork(populated, "add", "blog", f"parallel-{i}", "--owner", "alice", gate=gate)
        for i in range(10)
    ]
    gate.open()
    results = [process.wait() for process in processes]
    assert [r.code for r in results] == [0] * 10, [r.stderr for r in results]
    assert commit_count(populated) == before + 10
    blogs = json.loads(sg("list", "--kind", "blog", "-f", "json").stdout)
    assert len([b for b in blogs if b["name"].startswith("parallel-")]) == 10
    assert git(populated, "status", "--porcelain") == ""


def test_output_file_and_version(populated: Path, sg: Socialgov) -> None:
    out = populated.parent / "assets.json"
    result = sg("list", "-f", "json", "--output", str(out))
    assert result.code == 0 and result.stdout == ""
    assert len(json.loads(out.read_text())) == 3
    version = sg("--version")
    assert version.code == 0 and version.stdout.startswith("socialgov ")


def test_module_entry_point(populated: Path) -> None:
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "socialgov", "list", "-f", "json"],
        cwd=populated,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) == 3


def test_credential_references_are_welcome(populated: Path, sg: Socialgov) -> None:
    result = sg("set", "x/examplecorp", "social.credential_ref=op://Marketing/X brand account")
    assert result.code == 0, result.stderr
    assert (
        'credential_ref = "op://Marketing/X brand account"'
        in (populated / "assets/social/x/examplecorp.toml").read_text()
    )
