"""The DNS observation: what `socialgov dns` saw for one name (SPEC §8), as recorded in
observations/dns/<name>.toml. Failures of single queries are kept as such (`failed`), so an
empty list always means "none", never "could not tell".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# How a CNAME chain ends, or how a query for the name itself went.
ADDRESS, NXDOMAIN, SERVFAIL, TIMEOUT, NO_ADDRESS, LOOP, TOO_LONG, REFUSED = (
    "address",
    "nxdomain",
    "servfail",
    "timeout",
    "no-address",
    "loop",
    "too-long",
    "refused",
)
# How one of the domain's name servers answered a direct SOA query.
AUTHORITATIVE = "authoritative"
NOT_AUTHORITATIVE = "not-authoritative"
SKIPPED = "skipped"

_DMARC_POLICY = re.compile(r"(?:^|;)\s*p\s*=\s*([a-z]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NameServerCheck:
    host: str
    answer: str  # AUTHORITATIVE, NOT_AUTHORITATIVE, REFUSED, SERVFAIL, TIMEOUT, NO_ADDRESS, SKIPPED
    addresses: tuple[str, ...] = ()
    detail: str = ""

    @property
    def lame(self) -> bool:
        return self.answer not in (AUTHORITATIVE, SKIPPED)

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "host": self.host,
            "answer": self.answer,
            "addresses": list(self.addresses),
        }
        if self.detail:
            out["detail"] = self.detail
        return out

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> NameServerCheck:
        return cls(
            host=str(data["host"]),
            answer=str(data["answer"]),
            addresses=_strings(data.get("addresses")),
            detail=str(data.get("detail", "")),
        )


@dataclass(frozen=True, slots=True)
class Dnssec:
    ds: bool | None  # None: the query failed
    dnskey: bool | None
    validates: bool | None  # None: nothing to validate (unsigned) or a query failed
    detail: str = ""

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            k: v for k, v in (("ds", self.ds), ("dnskey", self.dnskey)) if v is not None
        }
        if self.validates is not None:
            out["validates"] = self.validates
        if self.detail:
            out["detail"] = self.detail
        return out

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Dnssec:
        return cls(
            ds=_bool(data.get("ds")),
            dnskey=_bool(data.get("dnskey")),
            validates=_bool(data.get("validates")),
            detail=str(data.get("detail", "")),
        )


@dataclass(frozen=True, slots=True)
class DnsObservation:
    name: str
    roles: tuple[str, ...] = ("domain",)  # "domain" (a domain asset), "host" (a blog's host)
    fetched_at: datetime | None = None
    server: str | None = None  # the resolver(s) asked
    status: str = ADDRESS  # how the name itself resolved: ADDRESS (exists), NXDOMAIN, …
    ns: tuple[str, ...] = ()
    soa: str | None = None
    a: tuple[str, ...] = ()
    aaaa: tuple[str, ...] = ()
    mx: tuple[str, ...] = ()  # "PREFERENCE EXCHANGE"; the null MX is "0 ."
    spf: tuple[str, ...] = ()
    dmarc: tuple[str, ...] = ()
    caa: tuple[str, ...] = ()
    cname: tuple[str, ...] = ()  # the chain of targets, in order (empty: no CNAME)
    cname_end: str | None = None  # how the chain ended (ADDRESS, NXDOMAIN, …); None: no CNAME
    dnssec: Dnssec | None = None
    name_servers: tuple[NameServerCheck, ...] = ()
    failed: dict[str, str] = field(default_factory=dict)  # record type → TIMEOUT, SERVFAIL, …
    error: str | None = None  # the lookup as a whole could not run

    @property
    def is_domain(self) -> bool:
        return "domain" in self.roles

    @property
    def null_mx(self) -> bool:
        return len(self.mx) == 1 and self.mx[0].split()[-1] == "."

    @property
    def receives_mail(self) -> bool:
        return bool(self.mx) and not self.null_mx

    @property
    def dmarc_policy(self) -> str | None:
        for record in self.dmarc:
            if m := _DMARC_POLICY.search(record.split(";", 1)[1] if ";" in record else ""):
                return m.group(1).lower()
        return None

    @property
    def spf_hard_fail_only(self) -> bool:
        """SPF says nothing may send mail: exactly `v=spf1 -all`."""
        return len(self.spf) == 1 and self.spf[0].split() == ["v=spf1", "-all"]

    @property
    def cname_target(self) -> str | None:
        return self.cname[-1] if self.cname else None

    def to_json(self) -> dict[str, Any]:
        out = self.to_toml()
        out["fetched_at"] = iso_utc(self.fetched_at)
        out.setdefault("error", None)
        return out

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "roles": list(self.roles)}
        if self.fetched_at is not None:
            out["fetched_at"] = toml_datetime(self.fetched_at)
        for key in ("server", "error"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["status"] = self.status
        if self.is_domain:
            for key in ("ns", "a", "aaaa", "mx", "spf", "dmarc", "caa"):
                out[key] = list(getattr(self, key))
            if self.soa is not None:
                out["soa"] = self.soa
        else:
            out["a"], out["aaaa"] = list(self.a), list(self.aaaa)
        if self.cname:
            out["cname"] = list(self.cname)
            out["cname_end"] = self.cname_end
        if self.failed:
            out["failed"] = dict(sorted(self.failed.items()))
        if self.dnssec is not None:
            out["dnssec"] = self.dnssec.to_toml()
        if self.name_servers:
            out["name_servers"] = [c.to_toml() for c in self.name_servers]
        return out

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> DnsObservation:
        """Inverse of `to_toml`; raises KeyError/TypeError/ValueError on a malformed table."""
        dnssec = data.get("dnssec")
        if dnssec is not None and not isinstance(dnssec, dict):
            raise TypeError("dnssec must be a table")
        failed = data.get("failed", {})
        if not isinstance(failed, dict):
            raise TypeError("failed must be a table")
        checks = data.get("name_servers", [])
        if not isinstance(checks, list) or not all(isinstance(c, dict) for c in checks):
            raise TypeError("name_servers must be an array of tables")
        return cls(
            name=str(data["name"]),
            roles=_strings(data.get("roles", ["domain"])),
            fetched_at=parse_fetched_at(data.get("fetched_at")),
            server=_opt_str(data.get("server")),
            status=str(data.get("status", ADDRESS)),
            ns=_strings(data.get("ns")),
            soa=_opt_str(data.get("soa")),
            a=_strings(data.get("a")),
            aaaa=_strings(data.get("aaaa")),
            mx=_strings(data.get("mx")),
            spf=_strings(data.get("spf")),
            dmarc=_strings(data.get("dmarc")),
            caa=_strings(data.get("caa")),
            cname=_strings(data.get("cname")),
            cname_end=_opt_str(data.get("cname_end")),
            dnssec=Dnssec.from_toml(dnssec) if dnssec is not None else None,
            name_servers=tuple(NameServerCheck.from_toml(c) for c in checks),
            failed={str(k): str(v) for k, v in failed.items()},
            error=_opt_str(data.get("error")),
        )


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TypeError(f"expected a list of strings, not {value!r}")
    return tuple(str(v) for v in value)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _bool(value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"expected true or false, not {value!r}")
    return value


def parse_fetched_at(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        raise TypeError("fetched_at must be a date-time")
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def iso_utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def toml_datetime(value: datetime) -> datetime:
    """UTC, whole seconds: what the observation files hold."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)
