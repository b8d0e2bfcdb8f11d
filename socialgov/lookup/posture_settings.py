"""The `[dns]` and `[web]` settings of a registry (SPEC §8)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DnsSettings:
    nameservers: tuple[str, ...] = ()  # resolvers as "host[:port]"; empty: the system's
    timeout_s: float = 5.0
    concurrency: int = 16
    # The port on which a domain's own name servers are asked directly (lame-delegation
    # check). Not in SPEC: always 53 on the internet; tests point it at a loopback server.
    ns_port: int = 53


@dataclass(frozen=True, slots=True)
class WebSettings:
    timeout_s: float = 10.0
    max_bytes: int = 1_000_000
    allow_private: bool = False
    ca_file: str = ""
    max_redirects: int = 10
