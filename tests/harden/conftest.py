"""In-process runs of the CLI and a small registry built through it, for the hardening tests.

The runs share one build of the click command per test process (tests/fuzz/runner.py
`cached_command`): building it is most of the cost of a small in-process run."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Result, from_template
from tests.fuzz.runner import cached_command


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """socialgov ARGS with --registry ROOT, in this process (see socialgov.cli.app.run)."""
    from socialgov.cli.app import run as cli_run

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with (
            cached_command(),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = cli_run(["--registry", str(root), *args])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Result(code, out.getvalue(), err.getvalue())


def init(root: Path) -> None:
    from socialgov.cli.app import run as cli_run

    with (
        cached_command(),
        contextlib.redirect_stderr(io.StringIO()),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        code = cli_run(
            ["init", str(root), "--org", "Example Corp", "--email-domain", "example.com"]
        )
    assert code == 0


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Path]:
    """A registry with two people and a domain, built in-process (once per test process, then
    copied)."""
    yield from_template("harden-small", tmp_path / "reg", _build_small)


def _build_small(root: Path) -> None:
    init(root)
    for handle in ("alice", "bob"):
        r = run(
            root,
            "people",
            "add",
            handle,
            "--name",
            handle.title(),
            "--email",
            f"{handle}@example.com",
        )
        assert r.code == 0, r.stderr
    r = run(root, "add", "domain", "example.com", "--owner", "alice", "--set", "expires=2027-05-05")
    assert r.code == 0, r.stderr
