"""git under a hostile configuration: nothing is executed, output is not changed, revs are one commit."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import commit_count, git
from tests.harden.conftest import init, run


def _marker_program(tmp: Path, name: str, marker: Path) -> Path:
    script = tmp / name
    script.write_text(f'#!/bin/sh\necho {name} "$@" >> {marker}\ncat >/dev/null\nexit 0\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def _signed_commit(root: Path) -> None:
    """A commit object with a (fake) gpgsig header on top of HEAD: verifying it runs gpg.program."""
    head = git(root, "rev-parse", "HEAD").strip()
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    body = (
        f"tree {tree}\nparent {head}\n"
        "author Test Admin <admin@example.com> 1700000000 +0000\n"
        "committer Test Admin <admin@example.com> 1700000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n fake\n -----END PGP SIGNATURE-----\n"
        "\nsigned\n"
    )
    sha = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=root,
        input=body,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(root, "update-ref", "HEAD", sha)


@pytest.fixture
def hostile(small: Path, tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "marker"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = _marker_program(bin_dir, "evil", marker)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-commit", "reference-transaction", "post-index-change"):
        _marker_program(hooks, hook, marker)
    settings = {
        "log.showSignature": "true",
        "gpg.program": str(program),
        "gpg.openpgp.program": str(program),
        "gpg.format": "openpgp",
        "core.pager": str(program),
        "core.fsmonitor": str(program),
        "core.hooksPath": str(hooks),
        "core.sshCommand": str(program),
        "core.quotePath": "true",
        "diff.external": str(program),
        "diff.evil.textconv": str(program),
        "diff.evil.command": str(program),
        "commit.gpgSign": "true",
        "log.decorate": "full",
        "color.ui": "always",
    }
    (small / ".gitattributes").write_text("* diff=evil\n")
    git(small, "add", ".gitattributes")
    git(small, "commit", "-q", "-m", "attributes")
    _signed_commit(small)
    for key, value in settings.items():
        git(small, "config", key, value)
    return small, marker


def test_no_program_runs_for_any_command(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    root, marker = hostile
    env = {"GIT_PAGER": str(tmp_path / "bin" / "evil"), "PAGER": str(tmp_path / "bin" / "evil")}
    runs = [
        ("audit",),
        ("check", "--base", "HEAD~1"),
        ("history", "domain:example.com"),
        ("show", "domain:example.com"),
        ("report", "--html", str(tmp_path / "r.html")),
        ("set", "domain:example.com", "registrar=Example Registrar"),
    ]
    for args in runs:
        result = run(root, *args, env=env)
        assert result.code in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert not marker.exists(), marker.read_text()


def test_history_sees_a_non_ascii_folder(tmp_path: Path) -> None:
    root = tmp_path / "régistre"
    init(root)
    git(root, "config", "core.quotePath", "true")
    assert run(root, "people", "add", "alice", "--name", "A", "--email", "a@example.com").code == 0
    assert run(root, "add", "domain", "example.com", "--owner", "alice").code == 0
    result = run(root, "history", "domain:example.com", "--format", "json")
    assert result.code == 0, result.stderr
    assert '"commit"' in result.stdout


@pytest.mark.parametrize(
    "rev", ["^HEAD", "HEAD~1..HEAD", "HEAD...HEAD~1", "HEAD^@", "HEAD^!", "HEAD^-", "--all", "-p"]
)
def test_check_base_refuses_what_is_not_one_commit(small: Path, rev: str) -> None:
    result = run(small, "check", f"--base={rev}")
    assert result.code == 2, result.stderr
    assert "commit" in result.stderr or "revision" in result.stderr


def test_a_held_index_lock_refuses_before_committing(small: Path) -> None:
    before = commit_count(small)
    lock = small / ".git" / "index.lock"
    lock.write_text("")
    result = run(small, "set", "domain:example.com", "registrar=Other")
    assert result.code == 3
    assert "index.lock" in result.stderr
    assert commit_count(small) == before
    lock.unlink()


def test_an_index_lock_taken_during_the_commit_is_not_a_failure(small: Path) -> None:
    from socialgov.vcs import Repo

    repo = Repo.find(small)
    original = repo._write_tree

    def lock_then_write(files, blobs):  # type: ignore[no-untyped-def]
        (repo.git_dir / "index.lock").write_text("")
        try:
            original(files, blobs)
        finally:
            (repo.git_dir / "index.lock").unlink()

    object.__setattr__(repo, "_write_tree", lock_then_write)
    sha = repo.commit({"assets/domains/example.com.toml": b'owners = ["alice"]\n'}, "edit")
    object.__delattr__(repo, "_write_tree")
    assert git(small, "rev-parse", "HEAD").strip() == sha
    assert (small / "assets/domains/example.com.toml").read_bytes() == b'owners = ["alice"]\n'
    assert (repo.git_dir / "socialgov-pending.json").exists()
    with repo.lock():
        pass  # the next command finishes the index
    assert not (repo.git_dir / "socialgov-pending.json").exists()
    assert git(small, "status", "--porcelain").strip() == ""


def test_recovery_removes_stale_locks_and_temporary_files(small: Path) -> None:
    from socialgov.vcs import Repo

    repo = Repo.find(small)
    head = git(small, "rev-parse", "HEAD").strip()
    journal = repo.git_dir / "socialgov-pending.json"
    journal.write_text(f'{{"commit": "{head}", "paths": []}}')
    (repo.git_dir / "HEAD.lock").write_text("")
    (repo.git_dir / "socialgov-tmp-abc").mkdir()
    pack = repo.git_dir / "objects" / "pack"
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "tmp_pack_XYZ").write_bytes(b"x")
    old = os.stat(journal).st_mtime - 120
    os.utime(pack / "tmp_pack_XYZ", (old, old))
    result = run(small, "set", "domain:example.com", "registrar=Other")
    assert result.code == 0, result.stderr
    assert not (repo.git_dir / "HEAD.lock").exists()
    assert not (repo.git_dir / "socialgov-tmp-abc").exists()
    assert not (pack / "tmp_pack_XYZ").exists()


def test_every_git_call_goes_through_vcs() -> None:
    package = Path(__file__).resolve().parents[2] / "socialgov"
    pattern = re.compile(r"^\s*(import subprocess|import git\b|from git import)", re.M)
    offenders = [
        path.name
        for path in package.rglob("*.py")
        if path.name != "vcs.py" and pattern.search(path.read_text())
    ]
    offenders += [
        p.name for p in package.rglob("*.py") if p.name != "vcs.py" and '"log",' in p.read_text()
    ]
    assert set(offenders) <= {"history.py"}, offenders


def test_a_bad_lock_timeout_is_a_usage_error(small: Path) -> None:
    result = run(
        small, "set", "domain:example.com", "registrar=X", env={"SOCIALGOV_LOCK_TIMEOUT": "abc"}
    )
    assert result.code == 2
    assert "SOCIALGOV_LOCK_TIMEOUT" in result.stderr


def test_retire_keeps_the_reason_out_of_the_commit_subject(small: Path) -> None:
    result = run(small, "retire", "domain:example.com", "--reason", "sold to Acme, ticket 42")
    assert result.code == 0, result.stderr
    assert "ticket 42" not in git(small, "log", "-1", "--format=%B")
    refused = run(small, "retire", "domain:example.com", "--reason", "pw: Summer2024!")
    assert refused.code == 2


@pytest.mark.parametrize("extra", [0, 100])
def test_dirty_names_staged_unstaged_and_untracked_paths_only(tmp_path: Path, extra: int) -> None:
    """`Repo.dirty` asks git with pathspecs for a few paths, and reads one status of the
    whole tree for many: both answers are the same."""
    from socialgov.vcs import Repo

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for name in ("staged", "unstaged", "clean", "elsewhere"):
        (root / f"{name}.toml").write_text("x = 1\n")
    (root / "ünï.toml").write_text("x = 1\n")
    git(root, "add", "-A")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "one")
    (root / "staged.toml").write_text("x = 2\n")
    git(root, "add", "staged.toml")
    (root / "unstaged.toml").write_text("x = 3\n")
    (root / "ünï.toml").write_text("x = 3\n")
    (root / "elsewhere.toml").write_text("x = 4\n")
    (root / "sub").mkdir()
    (root / "sub" / "untracked.toml").write_text("x = 5\n")
    asked = ["staged.toml", "unstaged.toml", "clean.toml", "ünï.toml", "sub/untracked.toml"]
    asked += [f"absent/{n}.toml" for n in range(extra)]
    dirty = Repo.find(root).dirty(asked)
    assert sorted(dirty) == ["staged.toml", "sub/untracked.toml", "unstaged.toml", "ünï.toml"]
