"""Shared fixtures: real temporary git repositories and the installed socialgov entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Admin",
    "GIT_AUTHOR_EMAIL": "admin@example.com",
    "GIT_COMMITTER_NAME": "Test Admin",
    "GIT_COMMITTER_EMAIL": "admin@example.com",
    "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def entry_point() -> str:
    """The installed `socialgov` console script of the interpreter running the tests."""
    candidate = Path(sys.executable).parent / "socialgov"
    found = str(candidate) if candidate.exists() else shutil.which("socialgov")
    assert found, "the socialgov entry point is not installed: pip install '.[test]'"
    return found


@pytest.fixture(autouse=True)
def _isolated_git(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's git configuration or writes outside its temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for key in ("SOCIALGOV_REGISTRY", "SOCIALGOV_TODAY", "NO_COLOR"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COLUMNS", "200")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@dataclass
class Socialgov:
    """Runs the installed entry point in a folder, as a user would."""

    cwd: Path

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        proc = subprocess.run(
            [entry_point(), *args],
            cwd=self.cwd,
            input=input,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=120,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def commit_count(cwd: Path) -> int:
    out = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=cwd, capture_output=True, text=True
    )
    return int(out.stdout.strip() or 0)


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Path]:
    """An empty registry with a first commit."""
    root = tmp_path / "reg"
    sg = Socialgov(tmp_path)
    result = sg("init", str(root), "--org", "Example Corp", "--email-domain", "example.com")
    assert result.code == 0, result.stderr
    yield root


@pytest.fixture
def sg(registry: Path) -> Socialgov:
    return Socialgov(registry)


@pytest.fixture
def populated(registry: Path, sg: Socialgov) -> Path:
    """A registry with a small roster and a few assets, each added through the CLI."""
    for handle, name, extra in (
        ("alice", "Alice Example", ["--department", "Marketing"]),
        ("carol", "Carol Boss", []),
        ("bob", "Bob Left", ["--manager", "carol"]),
    ):
        r = sg("people", "add", handle, "--name", name, "--email", f"{handle}@example.com", *extra)
        assert r.code == 0, r.stderr
    assert (
        sg(
            "add",
            "domain",
            "example.com",
            "--owner",
            "alice",
            "--owner",
            "bob",
            "--set",
            "expires=2027-05-05",
        ).code
        == 0
    )
    assert (
        sg(
            "add", "blog", "eng-blog", "--owner", "bob", "--set", "url=https://blog.example.com"
        ).code
        == 0
    )
    assert sg("add", "social", "x/examplecorp", "--owner", "alice", "--set", "mfa=true").code == 0
    return registry
