"""--dry-run and --format json on every changing command, Ctrl-C, and closed pipes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import TODAY, Cli, head
from tests.conftest import entry_point, fork, git

# Every command that changes the registry through run_change, with arguments that change it
# (people add/set/depart get --dry-run and --format from options.add_change_options).
CHANGES = {
    "add": ("add", "domain", "new.example", "--owner", "alice"),
    "set": ("set", "example.com", "criticality=high"),
    "owners": ("owners", "example.com", "--add", "carol"),
    "retire": ("retire", "eng-blog", "--reason", "moved to medium"),
    "waive": (
        "waive",
        "orphaned",
        "example.com",
        "--reason",
        "r",
        "--approved-by",
        "carol",
        "--until",
        "2026-12-31",
    ),
    "rename": ("rename", "x/examplecorp", "x/examplecorp2"),
    "people remove": ("people", "remove", "dora"),
    "people rename": ("people", "rename", "bob", "robert"),
    "teams add": ("teams", "add", "ops", "--member", "carol"),
    "teams members": ("teams", "members", "web", "--add", "carol"),
    "codeowners": ("codeowners",),
    "people add": ("people", "add", "erin", "--name", "Erin", "--email", "erin@example.com"),
    "people set": ("people", "set", "bob", "department=Sales"),
    "people depart": ("people", "depart", "bob", "--on", "2026-11-01"),
    "waivers renew": ("waivers", "renew", "mfa-missing", "x/examplecorp", "--until", "2027-01-31"),
    "waivers remove": ("waivers", "remove", "mfa-missing", "x/examplecorp"),
}


@pytest.mark.parametrize("name", CHANGES)
def test_dry_run_prints_a_diff_and_writes_nothing(reg: Path, cli: Cli, name: str) -> None:
    before = head(reg)
    result = cli("--today", TODAY, *CHANGES[name], "--dry-run")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(("--- ", "+++ ")) and "\n@@ " in result.stdout, result.stdout
    assert "dry run:" in result.stderr
    assert head(reg) == before
    assert git(reg, "status", "--porcelain") == ""


@pytest.mark.parametrize("name", CHANGES)
def test_format_json_gives_commit_files_and_changes(reg: Path, cli: Cli, name: str) -> None:
    result = cli("--today", TODAY, *CHANGES[name], "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["commit"] == head(reg)
    assert data["files"] and data["files"] == [c["file"] for c in data["changes"]]
    committed = git(reg, "show", "--name-only", "--no-renames", "--format=", "HEAD").split()
    assert sorted(committed) == sorted(data["files"])
    assert all(c["action"] in ("added", "modified", "deleted") for c in data["changes"])


def test_dry_run_json_has_no_commit(reg: Path, cli: Cli) -> None:
    data = json.loads(cli(*CHANGES["set"], "--dry-run", "-f", "json").stdout)
    assert data["commit"] is None and data["dry_run"] is True
    assert data["files"] == ["assets/domains/example.com.toml"]
    assert '+criticality = "high"' in data["changes"][0]["diff"]


def test_fail_on_none_never_fails_when_the_pipe_closes(reg: Path) -> None:
    for n in range(30):
        (reg / f"assets/domains/d{n}.example.toml").write_text("owners = []\n")
    reader = subprocess.Popen(
        f"{entry_point()} --registry {reg} audit --fail-on none | head -c 1 >/dev/null; "
        "echo ${PIPESTATUS[0]}",
        shell=True,
        executable="/bin/bash",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = reader.communicate(timeout=120)
    assert out.strip() == "0", err
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_ctrl_c_prints_interrupted(reg: Path) -> None:
    def interrupt_while_writing() -> None:  # in the forked process only
        from socialgov.registry import store

        real = store.Transaction.changed

        def slow(self: store.Transaction) -> Any:
            os.kill(os.getpid(), signal.SIGINT)
            return real(self)

        store.Transaction.changed = slow  # type: ignore[method-assign]

    proc = fork(reg, "set", "example.com", "criticality=high", prepare=interrupt_while_writing)
    result = proc.wait()
    assert result.code == 130, result.stderr
    assert result.stderr.strip() == "socialgov: interrupted"
    assert git(reg, "status", "--porcelain") == ""


def test_ctrl_c_after_the_commit_landed_exits_0_and_says_so(reg: Path) -> None:
    def interrupt_after_the_commit() -> None:  # in the forked process only
        from socialgov.cli import options

        real = options.report_change

        def late(*args: Any, **kwargs: Any) -> Any:
            os.kill(os.getpid(), signal.SIGINT)
            return real(*args, **kwargs)

        options.report_change = late

    before = head(reg)
    proc = fork(reg, "set", "example.com", "criticality=high", prepare=interrupt_after_the_commit)
    result = proc.wait()
    assert result.code == 0, result.stderr
    assert "interrupted after the change was committed" in result.stderr
    assert head(reg) != before
