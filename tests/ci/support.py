"""A small registry in a real git repository, for check --base: 18 findings at the base."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Socialgov, from_template, git

TODAY = ("--today", "2026-11-23")
SETTINGS = """\
[organization]
name = "Example Corp"
email_domains = ["example.com"]

[review]
governance = ["team:it-ops"]
"""
PEOPLE = """\
[people.alice]
name = "Alice Active"
email = "alice@example.com"
github = "alice-gh"

[people.carol]
name = "Carol Active"
email = "carol@example.com"
github = "carol-gh"

[people.admin]
name = "Test Admin"
email = "admin@example.com"

[people.bob]
name = "Bob Departed"
email = "bob@example.com"
status = "departed"
departed_on = 2026-10-01

[teams.it-ops]
members = ["alice", "carol"]
github_team = "example/it-ops"
"""
# A blog held only by bob: orphaned, departed-owner and review-overdue — 3 findings each.
BOB_BLOG = 'owners = ["bob"]\n\n[blog]\nplatform = "medium"\n'
GOOD_BLOG = (
    'owners = ["alice", "carol"]\nlast_reviewed = 2026-10-01\n\n[blog]\nplatform = "medium"\n'
)
SOCIAL = (
    'owners = ["alice", "carol"]\nlast_reviewed = 2026-10-01\n\n'
    '[social]\nplatform = "x"\nhandle = "examplecorp"\nmfa = true\n'
    'credential_ref = "vault:social/x"\n'
)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_registry(root: Path) -> Socialgov:
    """Six blogs held by a departed person (18 findings) and two clean assets, committed;
    the branch `base` points at that commit (built once per test process, then copied)."""
    from_template("ci-registry", root, _build_registry)
    return Socialgov(root)


def _build_registry(root: Path) -> None:
    files = {"socialgov.toml": SETTINGS, "people.toml": PEOPLE}
    for n in range(1, 7):
        files[f"assets/blogs/old-{n}.toml"] = BOB_BLOG
    files["assets/blogs/good.toml"] = GOOD_BLOG
    files["assets/social/x/examplecorp.toml"] = SOCIAL
    write(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "registry")
    git(root, "branch", "base")


def commit(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)
