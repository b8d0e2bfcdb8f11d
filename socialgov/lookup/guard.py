"""Bounds on what a lookup may do on the network: one wall-clock deadline per domain, and
connections only to public hosts (or to servers the registry configured).

The deadline lives in a thread-local set by the pool around each domain's lookup; every
connect, read, redirect, referral and retry of that lookup takes its timeout from it.
The host check runs when a connection is opened (for HTTP in the network backend, so
redirects cannot bypass it) and connects to the very address it checked.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from socialgov.lookup.addresses import refusal
from socialgov.lookup.failures import QueryFailed

_local = threading.local()
_allowed: set[str] = set()
_allowed_lock = threading.Lock()


def allow_hosts(hosts: Iterable[str]) -> None:
    """Hosts the registry's settings name (servers, bootstrap): allowed even when private."""
    with _allowed_lock:
        _allowed.update(h.lower().strip("[]") for h in hosts if h)


def is_configured(host: str) -> bool:
    name = host.lower().strip("[]")
    return name in _allowed or name == getattr(_local, "trusted", None)


@contextmanager
def trusting(host: str) -> Iterator[None]:
    """The server a caller chose to ask (from the settings or the bootstrap), for one request;
    hosts that a redirect or a link leads to are checked."""
    previous = getattr(_local, "trusted", None)
    _local.trusted = host.lower().strip("[]")
    try:
        yield
    finally:
        _local.trusted = previous


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every network step inside this block shares one deadline `seconds` from now."""
    previous = getattr(_local, "end", None)
    _local.end = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.end = previous


def remaining() -> float | None:
    end = getattr(_local, "end", None)
    return None if end is None else end - time.monotonic()


def bounded(timeout: float | None, server: str | None = None) -> float:
    """`timeout`, shortened to what is left of the deadline; QueryFailed once it has passed."""
    left = remaining()
    if left is None:
        return timeout if timeout is not None else 30.0
    if left <= 0:
        raise QueryFailed("the lookup's deadline passed", retryable=False, server=server)
    return left if timeout is None else min(timeout, left)


def public_address(host: str, port: int) -> str:
    """The address to connect to for `host`; QueryFailed if it is not a public address
    (loopback, private, link-local, metadata, multicast…) and the host is not configured."""
    name = host.strip("[]")
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise QueryFailed(f"cannot resolve {name}: {exc}", server=host) from exc
    if is_configured(name):
        return str(infos[0][4][0])
    for info in infos:
        if reason := refusal(str(info[4][0])):
            raise QueryFailed(f"refused to connect to {name}: {reason}", server=host)
    return str(infos[0][4][0])


def check_target(host: str, port: int, *, scheme: str, default_port: int) -> None:
    """A redirect, related link or referral target: the expected scheme and port, or a configured host."""
    if is_configured(host):
        return
    if scheme not in ("https", "whois") or port != default_port:
        raise QueryFailed(
            f"refused to follow a link to {scheme}://{host}:{port}: only {'https' if scheme != 'whois' else 'whois'} on port {default_port}",
            server=host,
        )
    public_address(host, port)


def guarded_backend() -> Any:
    """An httpcore network backend whose connections respect the deadline and the host check."""
    import httpcore

    class Stream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream) -> None:
            self.inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self.inner.read(max_bytes, _io_timeout(timeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self.inner.write(buffer, _io_timeout(timeout))

        def close(self) -> None:
            self.inner.close()

        def start_tls(
            self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
        ) -> httpcore.NetworkStream:
            return Stream(self.inner.start_tls(ssl_context, server_hostname, _io_timeout(timeout)))

        def get_extra_info(self, info: str) -> Any:
            return self.inner.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def __init__(self) -> None:
            self.inner = httpcore.SyncBackend()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.NetworkStream:
            try:
                address = public_address(host, port)
            except QueryFailed as exc:
                raise httpcore.ConnectError(exc.message) from None
            return Stream(
                self.inner.connect_tcp(
                    address, port, _io_timeout(timeout), local_address, socket_options
                )
            )

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Any = None
        ) -> httpcore.NetworkStream:
            raise httpcore.ConnectError("unix sockets are not used for lookups")

        def sleep(self, seconds: float) -> None:
            time.sleep(seconds)

    return Backend()


def _io_timeout(timeout: float | None) -> float | None:
    import httpcore

    left = remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise httpcore.ReadTimeout("the lookup's deadline passed")
    return left if timeout is None else min(timeout, left)
