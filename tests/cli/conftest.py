"""Fixtures for the command-line tests: socialgov run in-process on real git repositories.

`cli(...)` runs `socialgov.cli.app.run` — the entry point's own function — in this process
(no interpreter start per call), with stdout and stderr captured, in the registry folder.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Result, from_template, git

SAMPLE = Path(__file__).resolve().parents[2] / "registry"
TODAY = "2026-11-15"

PEOPLE = """\
[people.alice]
name = "Alice Example"
email = "alice@example.com"
department = "Marketing"

[people.carol]
name = "Carol Boss"
email = "carol@example.com"

[people.bob]
name = "Bob Left"
email = "bob@example.com"
manager = "carol"

[people.dora]
name = "Dora Gone"
email = "dora@example.com"
status = "departed"
departed_on = 2026-10-01

[teams.web]
members = ["alice", "bob"]
"""

ASSETS = {
    "assets/domains/example.com.toml": 'owners = ["alice", "bob"]\nlast_reviewed = 2026-10-01\n'
    "[domain]\nexpires = 2027-05-05\n",
    "assets/blogs/eng-blog.toml": 'owners = ["bob"]\n[blog]\nurl = "https://blog.example.com"\n'
    'domain = "domain:example.com"\n',
    "assets/social/x/examplecorp.toml": 'owners = ["alice"]\n[social]\nplatform = "x"\n'
    'handle = "examplecorp"\nmfa = true\n',
}


@dataclass
class Cli:
    cwd: Path
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        from socialgov.cli.app import run

        with self.monkeypatch.context() as patch:
            patch.chdir(self.cwd)
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            self.capsys.readouterr()
            code = run(list(args))
            out = self.capsys.readouterr()
        return Result(code, out.out, out.err)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    """A small registry: alice, carol, bob (active), dora (departed), team web; three assets."""
    return from_template("cli-reg", tmp_path / "reg", _build_reg)


def _build_reg(root: Path) -> None:
    root.mkdir()
    (root / "socialgov.toml").write_text(
        '[organization]\nname = "Example Corp"\nemail_domains = ["example.com"]\n'
    )
    (root / "people.toml").write_text(PEOPLE)
    for rel, text in ASSETS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "waivers.toml").write_text(
        '[[waiver]]\nrule = "mfa-missing"\nasset = "social:x/examplecorp"\nreason = "r"\n'
        'approved_by = "carol"\nexpires = 2026-12-31\n'
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "registry")


@pytest.fixture
def cli(reg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(reg, capsys, monkeypatch)


Refused = Callable[..., Result]


@pytest.fixture
def refused(cli: Cli, reg: Path) -> Refused:
    """Run a command that must be refused: exit 2, its reason on stderr, nothing written, no commit."""

    def run(*args: str, expect: str) -> Result:
        before = head(reg)
        result = cli("--today", TODAY, *args)
        assert result.code == 2, (result.code, result.stdout, result.stderr)
        assert expect in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert git(reg, "status", "--porcelain") == ""
        assert head(reg) == before
        return result

    return run


@pytest.fixture
def sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """The sample registry (Northwind) copied into its own git repository."""
    root = from_template("cli-sample", tmp_path / "northwind", _build_sample)
    return Cli(root, capsys, monkeypatch)


def _build_sample(root: Path) -> None:
    shutil.copytree(SAMPLE, root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sample")
