"""Registries written file by file, commits at chosen dates, and a small HTML tree for structure tests."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, from_template

TODAY = date(2026, 11, 23)

SETTINGS = """\
[organization]
name = "Example Corp"
email_domains = ["example.com"]
"""

PEOPLE = """\
[people.alice]
name = "Alice Example"
email = "alice@example.com"
department = "Marketing"

[people.bob]
name = "Bob Left"
email = "bob@example.com"
status = "departed"
departed_on = 2026-10-01

[people.carol]
name = "Carol Boss"
email = "carol@example.com"
department = "Sales"

[teams.web]
members = ["alice"]
"""

# Figures this registry must produce (today 2026-11-23):
# orphaned: old.example, eng-blog; departed-held: old.example, retired.example, eng-blog,
# x/examplecorp; expiring: example.com in 17 days, observed.example in 43 (observation wins
# over the file's 2028), old.example in 70; lapsed.example expired.
ASSETS = {
    "assets/domains/example.com.toml": """\
owners = ["alice", "team:web"]
department = "Marketing"
criticality = "high"
last_reviewed = 2026-11-01

[domain]
expires = 2026-12-10
auto_renew = true
""",
    "assets/domains/old.example.toml": """\
owners = ["bob"]
department = "Sales"
notes = "<script>alert('pwned')</script> bought for the 2011 campaign & never used"

[domain]
expires = 2027-02-01
""",
    "assets/domains/observed.example.toml": """\
owners = ["carol"]
department = "Sales"

[domain]
expires = 2028-01-01
""",
    "assets/domains/lapsed.example.toml": """\
owners = ["carol"]
department = "Sales"

[domain]
expires = 2026-11-01
""",
    "assets/domains/retired.example.toml": """\
owners = ["bob"]
status = "retired"

[domain]
expires = 2026-12-01
""",
    "assets/blogs/eng-blog.toml": """\
owners = ["bob"]
department = "Marketing"

[blog]
url = "https://blog.example.com"
""",
    "assets/social/x/examplecorp.toml": """\
owners = ["alice"]
access = ["bob"]
department = "Marketing"

[social]
mfa = true
""",
}

OBSERVATIONS = {
    "observations/observed.example.toml": """\
domain = "observed.example"
registered = true
source = "rdap"
expires = 2027-01-05
fetched_at = 2026-11-20T08:00:00Z
""",
}


def write_files(root: Path, files: Mapping[str, str | None]) -> None:
    """Write (or, for None, delete) registry files."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def git_at(cwd: Path, when: str, *args: str) -> str:
    """Run git with a fixed identity and date, whatever the fixtures' environment holds."""
    env = {
        **os.environ,
        **GIT_ENV,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout


def commit_all(top: Path, when: str, message: str) -> str:
    git_at(top, when, "add", "-A")
    git_at(top, when, "commit", "-q", "--allow-empty", "-m", message)
    return git_at(top, when, "rev-parse", "HEAD").strip()


def make_registry(root: Path, *, when: str = "2026-11-01T12:00:00+00:00") -> Path:
    """The sample registry above, as one commit of a fresh repository."""
    root.mkdir(parents=True, exist_ok=True)
    git_at(root, when, "init", "-q", "-b", "main")
    write_files(root, {"socialgov.toml": SETTINGS, "people.toml": PEOPLE, **ASSETS, **OBSERVATIONS})
    commit_all(root, when, "sample registry")
    return root


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Path]:
    """make_registry's repository (built once per test process, then copied)."""
    yield from_template("htmlreport-sample", tmp_path / "reg", make_registry)


# --- a small DOM for structure tests ---------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def by_class(self, name: str) -> list[Node]:
        return [n for n in self.iter() if n.has_class(name)]

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def words(self) -> str:
        return " ".join(self.text.split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            while len(self.stack) > 1 and self.stack[-1].tag != tag:
                self.stack.pop()
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    assert not builder.errors, builder.errors[:5]
    assert len(builder.stack) == 1, f"unclosed: {[n.tag for n in builder.stack[1:]]}"
    return builder.root
