"""The `[lookup]` settings of a registry (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_BOOTSTRAP = "https://data.iana.org/rdap/dns.json"
DEFAULT_IANA_WHOIS = "whois.iana.org"


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
    # Where to ask for a TLD's WHOIS server when neither an override nor the built-in table
    # knows it (host[:port]); not in the registry file, tests point it at a loopback server.
    iana_whois: str = DEFAULT_IANA_WHOIS
