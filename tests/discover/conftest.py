"""Fixtures of the discovery tests: the sample inputs and a small registry made through the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Socialgov, git
from tests.lookup.loopback import RdapServerThread, Reply, WhoisServerThread

DATA = Path(__file__).resolve().parents[1] / "data" / "discover"


def make_registry(tmp_path: Path, lookup: str | None = None) -> tuple[Path, Socialgov]:
    """Example Corp with alice, example.com (high criticality) and the blog at blog.example.com."""
    root = tmp_path / "reg"
    init = Socialgov(tmp_path)(
        "init", str(root), "--org", "Example Corp", "--email-domain", "example.com"
    )
    assert init.code == 0, init.stderr
    if lookup is not None:
        settings = root / "socialgov.toml"
        text = settings.read_text()
        settings.write_text(text[: text.index("[lookup]")] + lookup)
        git(root, "commit", "-qam", "lookup settings for the test servers")
    sg = Socialgov(root)
    for args in (
        ("people", "add", "alice", "--name", "Alice", "--email", "alice@example.com"),
        ("add", "domain", "example.com", "--owner", "alice", "--set", "criticality=high"),
        ("add", "blog", "eng", "--owner", "alice", "--set", "url=https://blog.example.com"),
    ):
        result = sg(*args)
        assert result.code == 0, result.stderr
    return root, sg


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def whois_server() -> Iterator[Callable[..., WhoisServerThread]]:
    started: list[WhoisServerThread] = []

    def make(table: dict[str, Reply], *, delay: float = 0.0) -> WhoisServerThread:
        lowered = {k.lower(): v for k, v in table.items()}
        server = WhoisServerThread(
            lambda query: lowered.get(query.lower(), b"No match for domain.\n"), delay=delay
        )
        started.append(server)
        return server

    yield make
    for server in started:
        server.close()


@pytest.fixture
def rdap_server() -> Iterator[RdapServerThread]:
    server = RdapServerThread()
    yield server
    server.close()
