"""The report's "DNS and web" section: takeover risks first, then certificates by expiry,
then name servers and mail posture, from the recorded DNS and web observations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from socialgov.lookup.dns_observation import NXDOMAIN, DnsObservation
from socialgov.lookup.web_observation import WebObservation
from socialgov.model import AssetId, Kind, Registry
from socialgov.posture.targets import blog_host, url_host


@dataclass(frozen=True, slots=True)
class TakeoverRow:
    asset: AssetId
    host: str
    target: str
    why: str  # "unclaimed SERVICE page" or "CNAME target does not exist"


@dataclass(frozen=True, slots=True)
class CertificateRow:
    asset: AssetId
    host: str
    issuer: str
    not_after: date
    days: int
    problem: str | None


@dataclass(frozen=True, slots=True)
class DomainDnsRow:
    asset: AssetId
    lame: tuple[str, ...]
    mail: str  # "refuses mail", "DMARC reject", "no DMARC", …
    dnssec: str


@dataclass(frozen=True, slots=True)
class PostureData:
    takeovers: Sequence[TakeoverRow]
    certificates: Sequence[CertificateRow]
    domains: Sequence[DomainDnsRow]

    @property
    def empty(self) -> bool:
        return not (self.takeovers or self.certificates or self.domains)


def gather_posture(
    registry: Registry,
    dns: Mapping[str, DnsObservation],
    web: Mapping[str, WebObservation],
    *,
    today: date,
) -> PostureData:
    takeovers: list[TakeoverRow] = []
    certificates: list[CertificateRow] = []
    domains: list[DomainDnsRow] = []
    for asset in sorted(registry.assets.values(), key=lambda a: a.id):
        if not asset.active:
            continue
        seen = web.get(str(asset.id))
        if seen is not None:
            host = url_host(seen.url) or seen.url
            if seen.unclaimed is not None:
                target = seen.cname[-1] if seen.cname else host
                why = f"unclaimed {seen.unclaimed.service} page"
                takeovers.append(TakeoverRow(asset.id, host, target, why))
            if seen.tls is not None:
                expires = seen.tls.not_after.date()
                certificates.append(
                    CertificateRow(
                        asset.id,
                        host,
                        seen.tls.issuer,
                        expires,
                        (expires - today).days,
                        seen.tls.problem,
                    )
                )
        blog = blog_host(asset)
        record = dns.get(blog) if blog is not None else None
        if blog is not None and record is not None and record.cname_end == NXDOMAIN:
            target = record.cname[-1] if record.cname else blog
            takeovers.append(TakeoverRow(asset.id, blog, target, "CNAME target does not exist"))
        if asset.kind is Kind.DOMAIN and (record := dns.get(asset.name)) is not None:
            domains.append(
                _domain_row(asset.id, record, parked=asset.section.get("parked") is True)
            )
    certificates.sort(key=lambda c: (c.not_after, c.asset))
    return PostureData(takeovers, certificates, domains)


def _domain_row(asset: AssetId, record: DnsObservation, *, parked: bool) -> DomainDnsRow:
    lame = tuple(f"{s.host} ({s.answer})" for s in record.name_servers if s.lame)
    if record.null_mx:
        mail = "null MX" + (", refuses mail" if record.dmarc_policy == "reject" else "")
    elif not record.mx:
        mail = "no MX"
    else:
        mail = f"DMARC {record.dmarc_policy}" if record.dmarc_policy else "no DMARC"
    if parked:
        mail = "parked: " + mail
    dnssec = "?"
    if record.dnssec is not None:
        d = record.dnssec
        dnssec = (
            "valid"
            if d.validates
            else "does not validate"
            if d.validates is False
            else "unsigned"
            if d.ds is False or d.dnskey is False
            else "?"
        )
    return DomainDnsRow(asset, lame, mail, dnssec)
