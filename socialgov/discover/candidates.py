"""Turn what the readers saw into candidates: the domains and blogs the registry does not hold.

A name seen in a registrar export is a registered domain of the account. A host under the
organisation's domains (held, e-mail domains, and those its registrar exports and zone files
show) whose CNAME or A record points at a blog or site platform is a
`blog:` candidate. Any other name stands for its registrable domain, a `domain:` candidate
when the registry does not hold it; the host itself is listed only with `hosts=True`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from socialgov.discover.names import parent_in, registrable
from socialgov.discover.platforms import platform_of
from socialgov.discover.sighting import Sighting
from socialgov.errors import InputError
from socialgov.model import AssetId, Kind, Registry

IGNORE_FILE = "discover.ignore"
DISCOVERED_TAG = "discovered"


@dataclass(frozen=True)
class Inputs:
    exports: Sequence[Path] = ()
    zones: Sequence[Path] = ()
    ct: Sequence[Path] = ()
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class Candidate:
    id: AssetId
    source: str
    evidence: str
    reader: str
    sources: list[str] = field(default_factory=list)
    expires: date | None = None
    registrar: str | None = None
    platform: str | None = None
    url: str | None = None
    expired: bool = False
    host: bool = False  # a plain host, listed with --hosts

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": str(self.id),
            "source": self.source,
            "evidence": self.evidence,
            "kind": self.id.kind.value,
            "name": self.id.name,
            "reader": self.reader,
            "sources": self.sources,
        }
        if self.id.kind is Kind.DOMAIN:
            out["expires"] = self.expires.isoformat() if self.expires else None
            out["registrar"] = self.registrar
            out["expired"] = self.expired
            out["host"] = self.host
        else:
            out["platform"] = self.platform
            out["url"] = self.url
        return out


def read_inputs(inputs: Inputs, today: date) -> list[Sighting]:
    """Every sighting of every input file, in the order given; the first bad file stops the run."""
    from socialgov.discover.ct import read_ct
    from socialgov.discover.registrar import read_export
    from socialgov.discover.zone import read_zone

    sightings: list[Sighting] = []
    for path in inputs.exports:
        sightings += read_export(path, inputs.mapping or None)
    for path in inputs.zones:
        sightings += read_zone(path)
    for path in inputs.ct:
        sightings += read_ct(path, today)
    return sightings


def load_ignore(root: Path) -> list[str]:
    """The patterns of discover.ignore: a name, `*.name` for everything below it, or an asset id."""
    path = root / IGNORE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise InputError("not valid UTF-8", file=IGNORE_FILE, line=1) from None
    patterns = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip().lower().rstrip(".")
        if entry:
            patterns.append(entry)
    return patterns


def _ignored(candidate: AssetId, patterns: Sequence[str]) -> bool:
    name = candidate.name
    for pattern in patterns:
        if pattern == str(candidate) or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


def find_candidates(
    registry: Registry, sightings: Iterable[Sighting], *, hosts: bool = False
) -> list[Candidate]:
    """What the sightings show that the registry does not hold, sorted by id."""
    held_domains = frozenset(a.name for a in registry.by_kind(Kind.DOMAIN))
    held_blogs = {a.name for a in registry.by_kind(Kind.BLOG)}
    blog_hosts = {_url_host(a.section.get("url")) for a in registry.by_kind(Kind.BLOG)}
    sightings = list(sightings)
    # The organisation's domains: those it holds, its e-mail domains, and those its registrar
    # accounts and zone files show (so a second run, after --add, finds nothing new).
    org_domains = held_domains | set(registry.settings.email_domains)
    org_domains |= {registrable(s.name) for s in sightings if s.registered or s.reader == "zone"}
    ignore = load_ignore(registry.root)
    found: dict[AssetId, Candidate] = {}
    seen: dict[AssetId, set[str]] = {}  # each candidate's sources, for a quick membership test

    def offer(candidate: Candidate, sighting: Sighting) -> None:
        known = found.get(candidate.id)
        if known is None:
            if _ignored(candidate.id, ignore):
                return
            candidate.sources.append(sighting.source)
            found[candidate.id] = candidate
            seen[candidate.id] = {sighting.source}
            return
        sources = seen[candidate.id]
        if sighting.source not in sources:
            sources.add(sighting.source)
            known.sources.append(sighting.source)
        known.expired = known.expired and sighting.expired
        known.expires = known.expires or sighting.expires
        known.registrar = known.registrar or sighting.registrar

    for sighting in sightings:
        name = sighting.name
        owner_domain = parent_in(name, org_domains)
        platform = (
            platform_of(sighting.rtype, sighting.target)
            if owner_domain is not None and sighting.rtype and sighting.target
            else None
        )
        if platform is not None:
            if name in held_blogs or name in blog_hosts:
                continue
            offer(
                Candidate(
                    id=AssetId(Kind.BLOG, name),
                    source=sighting.source,
                    evidence=f"{name} points at {platform.name}: {sighting.evidence}",
                    reader=sighting.reader,
                    platform=platform.name,
                    url=f"https://{name}",
                ),
                sighting,
            )
            continue
        # Under one of the organisation's domains the answer is that domain's (few, cached).
        domain = registrable(owner_domain if owner_domain is not None else name)
        if domain and domain not in held_domains:
            offer(
                Candidate(
                    id=AssetId(Kind.DOMAIN, domain),
                    source=sighting.source,
                    evidence=sighting.evidence
                    if name == domain
                    else f"{name}: {sighting.evidence}",
                    reader=sighting.reader,
                    expires=sighting.expires if name == domain else None,
                    registrar=sighting.registrar if name == domain else None,
                    expired=sighting.expired,
                ),
                sighting,
            )
        if hosts and name != domain and name not in held_domains and name not in blog_hosts:
            offer(
                Candidate(
                    id=AssetId(Kind.DOMAIN, name),
                    source=sighting.source,
                    evidence=f"host under {domain}: {sighting.evidence}",
                    reader=sighting.reader,
                    expired=sighting.expired,
                    host=True,
                ),
                sighting,
            )
    return sorted(found.values(), key=lambda c: c.id)


def blog_domain(candidate: Candidate, held: frozenset[str] | set[str]) -> str | None:
    """The domain asset a blog candidate runs on, when the registry holds (or gains) it."""
    domain = registrable(candidate.id.name)
    return f"domain:{domain}" if domain in held else None


def _url_host(url: object) -> str:
    if not isinstance(url, str):
        return ""
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].split(":", 1)[0].lower()


__all__ = [
    "DISCOVERED_TAG",
    "IGNORE_FILE",
    "Candidate",
    "Inputs",
    "blog_domain",
    "find_candidates",
    "load_ignore",
    "read_inputs",
]
