"""Environment faults and malformed values end in exit 2 or 3 with the cause, never exit 4."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import commit_count, git
from tests.harden.conftest import init, run


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only(small: Path) -> Iterator[Path]:
    if not (_mount("--bind", str(small), str(small))):
        pytest.skip("cannot bind-mount here (needs root and mount permission)")
    try:
        if not _mount("-o", "remount,ro,bind", str(small)):
            pytest.skip("cannot remount read-only here")
        yield small
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)


def test_a_read_only_registry(read_only: Path) -> None:
    result = run(read_only, "set", "domain:example.com", "registrar=Other")
    assert result.code in (2, 3), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "read-only" in result.stderr.lower() or "permission" in result.stderr.lower()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount permission)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_full_disk(tiny_disk: Path) -> None:
    root = tiny_disk / "reg"
    init(root)
    assert run(root, "people", "add", "alice", "--name", "A", "--email", "a@example.com").code == 0
    filler = tiny_disk / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass
    result = run(root, "add", "domain", "example.com", "--owner", "alice")
    assert result.code in (2, 3), result.stderr
    assert "internal error" not in result.stderr
    assert "space" in result.stderr.lower() or "commit" in result.stderr.lower()


def test_date_times_in_date_fields(small: Path) -> None:
    path = small / "assets" / "domains" / "example.com.toml"
    path.write_text(
        path.read_text().replace("expires = 2027-05-05", "expires = 2027-05-05T10:00:00Z")
    )
    result = run(small, "audit")
    assert result.code == 2
    assert "assets/domains/example.com.toml:" in result.stderr


def test_observation_files_are_type_checked(small: Path) -> None:
    (small / "observations").mkdir(exist_ok=True)
    obs = small / "observations" / "example.com.toml"
    obs.write_text('domain = "example.com"\nregistered = true\nregistrar = 42\n')
    result = run(small, "show", "domain:example.com")
    assert result.code == 2
    assert "observations/example.com.toml:3:" in result.stderr
    obs.write_text('domain = "example.com"\nregistered = true\nregistrant_org = { a = 1 }\n')
    assert run(small, "audit").code == 2


def test_a_far_future_today(small: Path, tmp_path: Path) -> None:
    result = run(small, "--today", "9999-12-31", "report", "--html", str(tmp_path / "r.html"))
    assert result.code == 2
    assert "--today" in result.stderr


def test_secrets_in_people_waivers_and_observations_are_found(small: Path) -> None:
    people = small / "people.toml"
    people.write_text(
        people.read_text().replace(
            'name = "Alice"', 'name = "Alice"\ndepartment = "pw: Summer2024!"'
        )
    )
    (small / "observations").mkdir(exist_ok=True)
    (small / "observations" / "example.com.toml").write_text(
        'domain = "example.com"\nregistered = true\nregistrar = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"\n'
    )
    assert run(small, "add", "domain", "example.org", "--owner", "alice").code == 0
    git(small, "add", "-A")
    result = run(small, "audit", "--format", "json")
    # found once a person, reported on each asset of theirs
    assert result.stdout.count("people.alice.department of domain:example.org") == 1
    assert result.stdout.count("people.alice.department of domain:example.com") == 1
    assert "observation.registrar" in result.stdout
    assert "Summer2024" not in result.stdout and "ghp_a1B2" not in result.stdout


def test_secrets_are_refused_on_write(small: Path) -> None:
    added = run(
        small,
        "people",
        "add",
        "carol",
        "--name",
        "Carol",
        "--email",
        "c@example.com",
        "--department",
        "Passwort: Geheim!2024",
    )
    assert added.code == 2
    assert "Geheim" not in added.stderr
    changed = run(small, "people", "set", "alice", "department=pw: Summer2024!")
    assert changed.code == 2
    waived = run(
        small,
        "waive",
        "min-owners",
        "domain:example.com",
        "--reason",
        "token: ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        "--approved-by",
        "alice",
        "--until",
        "2027-01-01",
    )
    assert waived.code == 2, waived.stderr


def test_a_saved_rdap_answer_with_a_numeric_status(small: Path, tmp_path: Path) -> None:
    saved = tmp_path / "answer.json"
    saved.write_text('{"objectClassName": "domain", "ldhName": "example.com", "status": 5}')
    result = run(small, "whois", "example.com", "--from-file", str(saved))
    assert result.code == 2, result.stderr
    assert f"{saved}:1:" in result.stderr


def test_a_fault_after_the_commit_says_the_change_stands(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while reporting a change already committed: exit 3 with the cause, and a
    note naming the commit (the change stands; running the command again is not needed)."""
    import errno

    from socialgov.cli import options

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = commit_count(small)
    monkeypatch.setattr(options, "report_change", full)
    result = run(small, "set", "domain:example.com", "registrar=Other")
    assert result.code == 3, result.stderr
    assert "No space left on device" in result.stderr
    assert commit_count(small) == before + 1
    assert "the change was committed [" in result.stderr and "it stands" in result.stderr
