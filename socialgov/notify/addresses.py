"""Where notify may connect: the SMTP host named in the registry is untrusted input in CI, so
its addresses are checked before connecting, and the connection goes to a checked address."""

from __future__ import annotations

import ipaddress
import socket

from socialgov.errors import UsageError


def checked_addresses(host: str, port: int, *, allow_private: bool) -> list[tuple[str, int]]:
    """The addresses of `host` that may be used; raises when there is none.

    Link-local addresses (cloud metadata services live there) are never allowed; loopback,
    private and other non-global addresses only with `[notify] allow_private = true`.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}: {exc.strerror}") from None
    allowed: list[tuple[str, int]] = []
    refused: list[str] = []
    for family, _, _, _, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if (
            address.is_link_local
            or address.is_multicast
            or address.is_unspecified
            or (not address.is_global and not allow_private)
        ):
            refused.append(str(address))
        elif family in (socket.AF_INET, socket.AF_INET6):
            allowed.append((str(address), port))
    if not allowed:
        raise UsageError(
            f"refusing to connect to {host} ({', '.join(sorted(set(refused)))}): "
            "not a public address",
            hint="for a relay on a private network set [notify] allow_private = true "
            "(link-local addresses are never used)",
        )
    return allowed


def connect(host: str, port: int, timeout: float, *, allow_private: bool) -> socket.socket:
    last: OSError | None = None
    for address in checked_addresses(host, port, allow_private=allow_private):
        try:
            return socket.create_connection(address, timeout=timeout)
        except OSError as exc:
            last = exc
    assert last is not None
    raise last
