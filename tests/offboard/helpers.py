"""Helpers for the offboarding and roster-import tests: registries written as files, committed with git."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import content_key, from_template, run_in_process

PEOPLE = """\
# The roster.
[people.alice]
name = "Alice Example"
email = "alice@example.com"
status = "active"
manager = "carol"

[people.bob]
name = "Bob Leaver"
email = "bob@example.com"  # work address
status = "active"
manager = "carol"
other_emails = ["bob.private@gmail.com"]

[people.carol]
name = "Carol Boss"
email = "carol@example.com"
status = "active"

[people.dave]
name = "Dave Gone"
email = "dave@example.com"
status = "departed"
departed_on = 2025-01-01

[people.erin]
name = "Erin Web"
email = "erin@example.com"
status = "active"
manager = "bob"

# Teams below.
[teams.web]
members = ["bob", "erin"]  # the web team

[teams.solo]
members = ["bob"]
"""

ASSETS = {
    # bob accountable, alice backup
    "assets/domains/example.com.toml": """\
# The main domain.
owners = ["bob", "alice"]  # accountable first
criticality = "high"
status = "active"
access = ["dave", "bob"]

[domain]
registrar = "MarkMonitor Inc."
auto_renew = true

[contacts]
registrant_email = "BOB@Example.com"
admin_email = "bob.private@GMAIL.com"
""",
    # bob alone: goes to his manager carol
    "assets/blogs/eng-blog.toml": """\
owners = [
    "bob",  # wrote every post
]
status = "active"

[blog]
url = "https://blog.example.com"
""",
    # bob backup behind a departed owner; recovery phone, mfa, credential ref
    "assets/social/x/examplecorp.toml": """\
owners = ["dave", "bob", "team:web"]
status = "active"

[social]
platform = "x"
handle = "examplecorp"
mfa = true
recovery_phone_holder = "bob"
credential_ref = "vault:social/x"
""",
    # owned through a team only
    "assets/domains/web.example.toml": """\
owners = ["team:web"]
status = "active"
""",
    # retired: access goes, owner goes to the manager
    "assets/domains/old.example.toml": """\
owners = ["bob"]
status = "retired"
access = ["bob"]
""",
    # not bob's at all
    "assets/domains/other.example.toml": """\
owners = ["alice"]
status = "active"
""",
}

SETTINGS = """\
[organization]
name = "Example Corp"
email_domains = ["example.com"]

[policy]
files = []
"""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def git(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and proc.returncode:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout


def sg(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    result = run_in_process(cwd, args, env=env)
    return Run(result.code, result.stdout, result.stderr)


def make_registry(root: Path, files: dict[str, str] | None = None, people: str = PEOPLE) -> Path:
    """A registry in its own git repository: `socialgov init`, then `files` in one commit (built
    once per test process for the same files, then copied)."""
    files = ASSETS if files is None else files
    key = content_key("offboard-registry", sorted(files.items()), people)
    return from_template(key, root, lambda folder: _build_registry(folder, files, people))


def _build_registry(root: Path, files: dict[str, str], people: str) -> None:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test Admin")
    git(root, "config", "user.email", "admin@example.com")
    result = sg(root, "init", ".", "--org", "Example Corp", "--email-domain", "example.com")
    assert result.code == 0, result.stderr
    (root / "people.toml").write_text(people, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def clean(root: Path) -> bool:
    """The working tree and index match HEAD (untracked files included)."""
    return git(root, "status", "--porcelain", "--untracked-files=all") == ""


def show(root: Path, rev: str, rel: str) -> str:
    return git(root, "show", f"{rev}:{rel}")


def big_registry(root: Path, assets: int, owned: int | None = None) -> Path:
    """`assets` assets, the first `owned` of them bob's (half with alice as backup, every third
    with bob in access); the others are carol's."""
    files: dict[str, str] = {}
    owned = assets if owned is None else owned
    for n in range(assets):
        owners = '["bob", "alice"]' if n % 2 else '[\n    "bob",\n]'
        if n >= owned:
            owners = '["carol"]'
        access = '\naccess = ["bob", "erin"]' if n % 3 == 0 else ""
        files[f"assets/domains/d{n:05}.example.org.toml"] = (
            f'# asset {n}\nowners = {owners}\nstatus = "active"{access}\n\n'
            '[domain]\nregistrar = "Example Registrar"\nauto_renew = true\n'
        )
    return make_registry(root, files)


def tree(root: Path, rev: str = "HEAD") -> str:
    return git(root, "rev-parse", f"{rev}^{{tree}}").strip()
