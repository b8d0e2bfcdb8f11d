"""Shared fixtures: real temporary git repositories and the installed socialgov entry point.

What keeps the suite fast (about 90 CPU-seconds in all; `bench/bench_suite.py` times it):
- `Socialgov(...)`/`run_in_process` run the CLI in this process; the click command is built
  once per test process (`_reuse_click_command`). A new interpreter (`installed=True`) costs
  about a CPU-second and is kept for the acceptance tests of the installed entry point.
- `fork(...)` starts a real separate process that is at work at once, for the tests of
  processes racing for the lock or being killed (`Gate` releases several together).
- `from_template(key, root, build)` builds a fixture repository once per test process and
  copies it (git objects packed and hard-linked) for each test; `registry`/`populated` do
  the same for `socialgov init` and the small populated registry.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


_built_command: list[Any] = []


def _reuse_click_command() -> None:
    """Build the click command of the app once per test process, as the console script does once
    per run: typer's conversion of every command's signature costs about 0.15 s of CPU, which
    every in-process run would otherwise pay again. The built command holds no run state (each
    `main()` makes a fresh context), so reusing it changes nothing a test can see. A test that
    changes what the command is built from (registers a command or an output format) calls
    `rebuild_click_command()` before and after."""
    from socialgov.cli import app as app_module

    if getattr(app_module.command, "reused_by_tests", False):
        return
    build = app_module.command

    def command(argv: Sequence[str] | None = None) -> Any:
        if not _built_command:
            _built_command.append(build([]))  # the whole app: it serves every argv
        return _built_command[0]

    command.reused_by_tests = True  # type: ignore[attr-defined]
    app_module.command = command  # type: ignore[method-assign]


def rebuild_click_command() -> None:
    """The next in-process run builds the click command afresh (see `_reuse_click_command`)."""
    _built_command.clear()


@pytest.fixture(scope="session", autouse=True)
def _click_command_built_once() -> None:
    """Every in-process runner of the suite (`run_in_process`, the `cli` fixtures, the hardening
    helpers) calls `socialgov.cli.app.run`, which then reuses one click command."""
    _reuse_click_command()


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

    _reuse_click_command()

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


class Gate:
    """A start line for forked runs: each waits at it until `open()`, so that they race."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()

    def wait(self) -> None:  # in the forked child
        os.close(self._write)
        os.read(self._read, 1)  # end of file once the parent closes its end

    def open(self) -> None:
        os.close(self._write)
        os.close(self._read)


@dataclass
class Forked:
    """socialgov ARGS running in a forked copy of the test process: a real, separate process
    (its own pid, file locks, signals and exit status) that starts in a millisecond, because the
    code and the click command are already loaded. For the tests of processes racing or being
    killed; a new interpreter (`Socialgov(installed=True)`) costs about a CPU-second per run and
    is kept for the acceptance tests of the installed entry point."""

    pid: int
    _output: int

    def wait(self, timeout: float = 120) -> Result:
        """The exit status, and the output of a run that ended by itself (a killed one has none).
        A run still going after `timeout` seconds is killed and fails the test."""
        deadline = time.monotonic() + timeout
        chunks = []
        with os.fdopen(self._output, "rb", buffering=0) as stream:
            while True:
                ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    raise AssertionError(f"the forked run did not end within {timeout} s")
                chunk = stream.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        payload = b"".join(chunks)
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        try:
            _, stdout, stderr = json.loads(payload)
        except ValueError:  # killed before or while it wrote its output
            return Result(code, "", "")
        return Result(code, stdout, stderr)

    def running(self) -> bool:
        """Whether the process has not ended yet (it is not reaped: `wait()` still gives its status)."""
        try:
            info = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return False
        return info is None


def fork(
    cwd: Path,
    *args: str,
    env: dict[str, str] | None = None,
    new_session: bool = False,
    gate: Gate | None = None,
    prepare: Callable[[], object] | None = None,
) -> Forked:
    """Start `socialgov ARGS` in a forked process (see `Forked`). `new_session` puts it in a
    process group of its own (to kill it with its git children); `gate` holds it at a start
    line; `prepare()` runs in the child first (to patch something in that process only)."""
    read, write = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (pytest-xdist's, the loopback
        # servers') may deadlock the child; this child only runs socialgov's own code.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid:
        os.close(write)
        return Forked(pid, read)
    code = 70
    try:
        os.close(read)
        if new_session:
            os.setsid()
        if gate:
            gate.wait()
        if prepare:
            prepare()
        result = run_in_process(cwd, args, env=env)
        code = result.code
        with os.fdopen(write, "wb") as stream:
            stream.write(json.dumps([code, result.stdout, result.stderr]).encode("utf-8"))
    except BaseException:
        with contextlib.suppress(BaseException):
            os.write(2, traceback.format_exc().encode("utf-8", "replace"))
    finally:
        os._exit(code)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def commit_count(cwd: Path) -> int:
    out = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=cwd, capture_output=True, text=True
    )
    return int(out.stdout.strip() or 0)


@contextlib.contextmanager
def isolated_environment(base: Path) -> Iterator[None]:
    """The environment `_isolated_git` gives a test, for fixtures built once per session."""
    home = base / "home"
    home.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        for key, value in GIT_ENV.items():
            mp.setenv(key, value)
        for key in ("SOCIALGOV_REGISTRY", "SOCIALGOV_TODAY", "NO_COLOR"):
            mp.delenv(key, raising=False)
        yield


_test_environment = isolated_environment  # its earlier name


def _copy_registry(template: Path, root: Path) -> Path:
    shutil.copytree(template, root, symlinks=True, copy_function=_copy_or_link)
    shutil.rmtree(root / ".socialgov", ignore_errors=True)  # no cache carried between tests
    return root


def _copy_or_link(source: str, target: str) -> None:
    """Copy a file, but hard-link git's object files: git never changes one in place (it writes
    a new file and renames it), and a link costs no data to write now nor to free when pytest
    deletes the copy, which on some disks is most of what a copied repository costs."""
    if f"{os.sep}.git{os.sep}objects{os.sep}" in source:
        try:
            os.link(source, target)
            return
        except OSError:  # another file system
            pass
    shutil.copy2(source, target)


def _finish_template(template: Path) -> None:
    """Make a freshly built template cheap to copy: no parse cache, and its git objects in one
    pack (half the files of loose objects; the same commits, trees and blobs)."""
    shutil.rmtree(template / ".socialgov", ignore_errors=True)
    if (template / ".git").is_dir():
        git(template, "repack", "-a", "-d", "-q", "-n")  # -n: no server info files
        git(template, "prune-packed")


_templates: dict[str, Path] = {}
_template_base: list[pytest.TempPathFactory] = []


@pytest.fixture(scope="session", autouse=True)
def _template_factory(tmp_path_factory: pytest.TempPathFactory) -> None:
    _template_base[:] = [tmp_path_factory]


def from_template(key: str, root: Path, build: Callable[[Path], object]) -> Path:
    """A copy at `root` of the folder `build(folder)` makes, built once per test process for each
    `key` (under the fixed git identity and dates, so every copy has the same files and commit
    ids) and copied for every later caller. Fixture repositories that many tests build the same
    way use it: a copy costs a few milliseconds, a build a git process per step. The key must
    name everything the build depends on (a hash of the files it writes, for example)."""
    template = _templates.get(key)
    if template is None:
        base = _template_base[0].mktemp("template")
        template = base / "root"
        with isolated_environment(base):
            build(template)
            _finish_template(template)
        _templates[key] = template
    root.parent.mkdir(parents=True, exist_ok=True)
    return _copy_registry(template, root)


def content_key(*parts: object) -> str:
    """A template key naming the content a build writes."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


@pytest.fixture(scope="session")
def _registry_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`socialgov init` run once per test process; each test gets a copy (same commit ids)."""
    base = tmp_path_factory.mktemp("registry-template")
    root = base / "reg"
    with isolated_environment(base):
        result = Socialgov(base)(
            "init", str(root), "--org", "Example Corp", "--email-domain", "example.com"
        )
        assert result.code == 0, result.stderr
        _finish_template(root)
    return root


@pytest.fixture
def registry(
    tmp_path: Path, _registry_template: Path, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """An empty registry with a first commit, as `socialgov init` makes it (or, for a test that
    also asks for `populated`, the populated one: one copy instead of two)."""
    template = _registry_template
    if "populated" in request.fixturenames:
        template = request.getfixturevalue("_populated_template")
    root = _copy_registry(template, tmp_path / "reg")
    _copied_from[root] = template
    yield root
    _copied_from.pop(root, None)


_copied_from: dict[Path, Path] = {}


@pytest.fixture
def sg(registry: Path) -> Socialgov:
    return Socialgov(registry)


def _populate(sg: Socialgov) -> None:
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


@pytest.fixture(scope="session")
def _populated_template(tmp_path_factory: pytest.TempPathFactory, _registry_template: Path) -> Path:
    """The populated registry, built once per test process through the CLI (with the same
    fixed git identity and dates as every test), then copied for each test that wants it."""
    base = tmp_path_factory.mktemp("populated-template")
    root = _copy_registry(_registry_template, base / "reg")
    with isolated_environment(base):
        _populate(Socialgov(root))
        _finish_template(root)
    return root


@pytest.fixture
def populated(registry: Path, _populated_template: Path) -> Path:
    """A registry with a small roster and a few assets, each added through the CLI (a copy of
    one built once: the same files, commits and ids)."""
    if _copied_from.get(registry) != _populated_template:
        shutil.rmtree(registry)
        _copy_registry(_populated_template, registry)
    return registry
