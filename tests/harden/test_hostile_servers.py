"""Hostile RDAP and WHOIS servers on loopback: every lookup ends within its deadline, connects
to no host but the configured ones, and records no wrong answer."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from socialgov.lookup.observation import Observation
from socialgov.lookup.pool import domain_deadline, lookup_one
from socialgov.lookup.settings import LookupSettings

TIMEOUT = 1.0
# The cases that run into the deadline wait it out: a shorter one keeps them quick.
WAITED_OUT = 0.5


@dataclass
class RawServer:
    """A TCP server on `host` whose every connection is handled by `behave(conn)`."""

    behave: Callable[[socket.socket], None]
    host: str = "127.0.0.1"
    connections: int = 0
    sock: socket.socket = field(init=False)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind((self.host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            self.behave(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


@pytest.fixture
def servers() -> Iterator[list[RawServer]]:
    made: list[RawServer] = []
    yield made
    for server in made:
        server.close()


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(2)
    data = b""
    while b"\r\n\r\n" not in data and b"\n" not in data[-1:]:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _http(status: str, body: bytes, headers: str = "") -> Callable[[socket.socket], None]:
    def behave(conn: socket.socket) -> None:
        _read_request(conn)
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n".encode()
            + body
        )

    return behave


def _silent(conn: socket.socket) -> None:
    time.sleep(TIMEOUT * 4)


def _drip(conn: socket.socket) -> None:
    _read_request(conn)
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


def _reset(conn: socket.socket) -> None:
    _read_request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")


def _huge(conn: socket.socket) -> None:
    _read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
    chunk = b"[" * 65536
    for _ in range(200):
        conn.sendall(chunk)


def _rdap(
    servers: list[RawServer], behave: Callable[[socket.socket], None], timeout: float = TIMEOUT
) -> Observation:
    server = RawServer(behave)
    servers.append(server)
    settings = LookupSettings(
        order=("rdap",),
        timeout_s=timeout,
        rdap_servers={"example": f"http://127.0.0.1:{server.port}/"},
    )
    started = time.monotonic()
    obs = lookup_one("hostile.example", settings, cache_dir=None)
    assert time.monotonic() - started < domain_deadline(settings) + 0.5
    return obs


def _redirect_to(target: str) -> Callable[[socket.socket], None]:
    return _http("302 Found", b"", f"Location: {target}\r\n")


REGISTERED = json.dumps(
    {
        "objectClassName": "domain",
        "ldhName": "hostile.example",
        "status": ["active"],
        "events": [{"eventAction": "registration", "eventDate": "2020-01-01T00:00:00Z"}],
        "entities": [
            {
                "roles": ["registrar"],
                "vcardArray": ["vcard", [["fn", {}, "text", "Evil\x1b[31m Registrar\n::error::x"]]],
            }
        ],
    }
).encode()


@pytest.mark.parametrize(
    "behave",
    [
        _silent,
        _drip,
        _reset,
        _huge,
        _http("500 Internal Server Error", b"oops"),
        _http("403 Forbidden", b""),
        _http("200 OK", b"\x00\xffgarbage"),
        _http("200 OK", b"[" * 100000 + b"]" * 100000),
    ],
    ids=["silent", "dripping", "resetting", "huge", "5xx", "4xx", "garbage", "deep-json"],
)
def test_a_hostile_rdap_server_gives_a_failed_lookup_in_time(
    servers: list[RawServer], behave: Callable[[socket.socket], None]
) -> None:
    obs = _rdap(servers, behave, WAITED_OUT if behave in (_silent, _drip) else TIMEOUT)
    assert obs.registered is None
    assert obs.error


def test_a_redirect_to_an_unconfigured_host_is_not_followed(servers: list[RawServer]) -> None:
    victim = RawServer(_http("200 OK", REGISTERED), host="127.0.0.2")
    servers.append(victim)
    for target in (
        f"http://127.0.0.2:{victim.port}/domain/hostile.example",
        f"https://127.0.0.2:{victim.port}/x",
        "http://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/",
    ):
        obs = _rdap(servers, _redirect_to(target))
        assert obs.registered is None, target
    assert victim.connections == 0


def test_a_404_after_a_cross_host_redirect_is_a_failure(servers: list[RawServer]) -> None:
    from socialgov.lookup.guard import allow_hosts

    gone = RawServer(_http("404 Not Found", b""), host="127.0.0.3")
    servers.append(gone)
    allow_hosts(["127.0.0.3"])  # configured elsewhere, so the redirect is followed
    obs = _rdap(servers, _redirect_to(f"http://127.0.0.3:{gone.port}/domain/hostile.example"))
    assert obs.registered is None
    assert "404" in (obs.error or "")
    assert gone.connections == 1


def test_many_slow_redirects_end_at_the_deadline(servers: list[RawServer]) -> None:
    def slow_loop(conn: socket.socket) -> None:
        time.sleep(0.3)
        _redirect_to("/again")(conn)

    obs = _rdap(servers, slow_loop, WAITED_OUT)
    assert obs.registered is None


def test_recorded_text_has_no_control_characters(servers: list[RawServer]) -> None:
    obs = _rdap(servers, _http("200 OK", REGISTERED, "Content-Type: application/rdap+json\r\n"))
    assert obs.registered is True
    assert obs.registrar is not None
    assert "\x1b" not in obs.registrar and "\n" not in obs.registrar


def test_a_whois_referral_to_an_unconfigured_host_is_not_followed(
    servers: list[RawServer],
) -> None:
    victim = RawServer(lambda conn: conn.sendall(b"Domain Name: X\n"), host="127.0.0.2")
    servers.append(victim)
    answer = (
        "Domain Name: HOSTILE.EXAMPLE\nRegistrar: Good Registrar\n"
        f"Registrar WHOIS Server: 127.0.0.2:{victim.port}\n"
        "Creation Date: 2020-01-01T00:00:00Z\nRegistry Expiry Date: 2030-01-01T00:00:00Z\n"
    ).encode()

    def registry(conn: socket.socket) -> None:
        _read_request(conn)
        conn.sendall(answer)

    server = RawServer(registry)
    servers.append(server)
    settings = LookupSettings(
        order=("whois",), timeout_s=TIMEOUT, whois_servers={"example": f"127.0.0.1:{server.port}"}
    )
    obs = lookup_one("hostile.example", settings, cache_dir=None)
    assert obs.registered is True
    assert victim.connections == 0


def test_a_silent_whois_server_ends_within_the_deadline(servers: list[RawServer]) -> None:
    server = RawServer(_silent)
    servers.append(server)
    settings = LookupSettings(
        order=("whois",),
        timeout_s=WAITED_OUT,
        whois_servers={"example": f"127.0.0.1:{server.port}"},
    )
    started = time.monotonic()
    obs = lookup_one("hostile.example", settings, cache_dir=None)
    assert time.monotonic() - started < domain_deadline(settings) + 0.5
    assert obs.registered is None
