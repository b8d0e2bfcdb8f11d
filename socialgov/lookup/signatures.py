"""The "unclaimed page" signatures of hosting services, read from package data
(socialgov/data/unclaimed.toml, with its sources and licences)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import tomli


@dataclass(frozen=True, slots=True)
class Signature:
    service: str
    cname: tuple[str, ...]
    fingerprint: str
    source: str

    def serves(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == suffix or host.endswith("." + suffix) for suffix in self.cname)


@dataclass(frozen=True, slots=True)
class Signatures:
    services: tuple[Signature, ...]
    sources: dict[str, dict[str, Any]]

    def service_of(self, chain: tuple[str, ...]) -> Signature | None:
        """The hosting service a CNAME chain points at (the last match wins: the final host)."""
        found = None
        for host in chain:
            for signature in self.services:
                if signature.serves(host):
                    found = signature
        return found

    def attribution(self, signature: Signature) -> str:
        meta = self.sources.get(signature.source, {})
        parts = [meta.get("title", signature.source)]
        if meta.get("author"):
            parts.append(f"by {meta['author']}")
        if meta.get("licence"):
            parts.append(f"({meta['licence']})")
        if meta.get("url"):
            parts.append(meta["url"])
        return " ".join(parts)


@cache
def load_signatures() -> Signatures:
    text = resources.files("socialgov.data").joinpath("unclaimed.toml").read_text("utf-8")
    data = tomli.loads(text)
    return Signatures(
        services=tuple(
            Signature(
                service=entry["name"],
                cname=tuple(c.lower() for c in entry["cname"]),
                fingerprint=entry["fingerprint"],
                source=entry["source"],
            )
            for entry in data["service"]
        ),
        sources=data["sources"],
    )
