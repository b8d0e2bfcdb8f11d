"""Fixtures of the lookup tests: real loopback WHOIS and RDAP servers (see loopback.py)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.lookup.loopback import LOOPBACK, RdapServerThread, Reply, WhoisServerThread


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Safety net: no lookup test resolves a public name. Commands now run in-process, so a name
    other than loopback fails to resolve exactly as it does on a machine without a network (a
    registrar referral to a public WHOIS server is then skipped, as in production offline)."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (LOOPBACK, "localhost", None, b"127.0.0.1"):
            raise socket.gaierror(socket.EAI_NONAME, f"test network: {host!r} is not reachable")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def whois_server() -> Iterator[Callable[..., WhoisServerThread]]:
    started: list[WhoisServerThread] = []

    def make(
        answer: Callable[[str], Reply] | dict[str, Reply], *, delay: float = 0.0
    ) -> WhoisServerThread:
        if isinstance(answer, dict):
            table = {k.lower(): v for k, v in answer.items()}

            def answer_fn(query: str) -> Reply:
                return table.get(query.lower(), b"No match for domain.\n")

            server = WhoisServerThread(answer_fn, delay=delay)
        else:
            server = WhoisServerThread(answer, delay=delay)
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


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (connection refused)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
    return port
