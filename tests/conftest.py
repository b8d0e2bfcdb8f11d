"""Shared fixtures: real temporary git repositories and the installed socialgov entry point."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
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
    """Runs socialgov in a folder, as a user would: in-process by default (fast), or through the
    installed entry point in a subprocess (`installed=True`, for the acceptance tests that prove
    the console script, signal handling and process exit)."""

    cwd: Path
    installed: bool = False

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        if not self.installed:
            return run_in_process(self.cwd, args, input=input, env=env)
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


def _capture() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def _captured(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", "replace")


def run_in_process(
    cwd: Path,
    args: Sequence[str],
    *,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """`socialgov ARGS` through the same error boundary as the console script (`cli.app.run`),
    with its own working directory, environment, stdin, stdout and stderr, all restored after."""
    from socialgov.cli.app import run

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out, err = _capture(), _capture()
    try:
        os.environ.update(env or {})
        os.chdir(cwd)
        sys.stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        code = run(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return Result(code, _captured(out), _captured(err))


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
