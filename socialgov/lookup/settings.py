"""The `[lookup]` settings of a registry (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_BOOTSTRAP = "https://data.iana.org/rdap/dns.json"


@dataclass(frozen=True, slots=True)
class LookupSettings:
    order: tuple[str, ...] = ("rdap", "whois")
    timeout_s: float = 10.0
    concurrency: int = 8
    per_server: int = 2
    cache_hours: float = 24.0
    rdap_bootstrap: str = DEFAULT_BOOTSTRAP
    rdap_servers: dict[str, str] = field(default_factory=dict)
    whois_servers: dict[str, str] = field(default_factory=dict)
