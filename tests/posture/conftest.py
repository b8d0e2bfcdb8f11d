"""Fixtures for the DNS and web tests: Knot DNS and an HTTPS server for the whole session,
and registries in real git repositories pointed at them."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Socialgov
from tests.posture.servers import KNOTD, DnsServers, WebServers, knot_servers, web_servers

PEOPLE = """\
[people.alice]
name = "Alice Example"
email = "alice@example.com"
"""


@pytest.fixture(scope="session")
def knot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DnsServers]:
    if KNOTD is None:
        pytest.skip("Knot DNS (knotd) is not installed; .ci/run installs the Debian package knot")
    with knot_servers(tmp_path_factory.mktemp("knot")) as servers:
        yield servers


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServers]:
    with web_servers(tmp_path_factory.mktemp("web")) as servers:
        yield servers


def domain_file(*, criticality: str = "medium", parked: bool | None = None) -> str:
    text = f'owners = ["alice"]\ncriticality = "{criticality}"\n\n[domain]\n'
    text += "auto_renew = true\n" if parked is None else f"parked = {str(parked).lower()}\n"
    return text


def blog_file(url: str) -> str:
    return f'owners = ["alice"]\ncriticality = "medium"\n\n[blog]\nurl = "{url}"\n'


DOMAIN_LINE = 4  # the [domain] table in domain_file
PARKED_LINE = 5  # its `parked` key
URL_LINE = 5  # `url` in blog_file


def make_registry(
    top: Path,
    knot: DnsServers,
    web: WebServers | None,
    assets: dict[str, str],
    *,
    allow_private: bool = True,
    settings: str = "",
) -> tuple[Path, Socialgov]:
    """A registry committed in a new git repository, resolving with the Knot server."""
    root = top / "reg"
    root.mkdir(parents=True)
    files = {
        "socialgov.toml": '[organization]\nname = "Example Corp"\nemail_domains = ["example.com"]\n'
        f'\n[dns]\nnameservers = ["{knot.resolver}"]\ntimeout_s = 2\nns_port = {knot.port}\n'
        f"\n[web]\ntimeout_s = 5\nallow_private = {str(allow_private).lower()}\n"
        + (f'ca_file = "{web.ca_pem}"\n' if web else "")
        + settings,
        "people.toml": PEOPLE,
        ".gitignore": ".socialgov/\n",
        **{f"assets/{rel}": text for rel, text in assets.items()},
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-qm", "registry")):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root, Socialgov(root)
