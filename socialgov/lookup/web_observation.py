"""The web observation: what `socialgov web` saw at one asset's URL (SPEC §8), as recorded
in observations/web/<asset-file-stem>.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialgov.lookup.dns_observation import (
    iso_utc,
    parse_fetched_at,
    toml_datetime,
)

# Why a certificate is not valid.
EXPIRED, NOT_YET_VALID, WRONG_NAME, UNTRUSTED = (
    "expired",
    "not-yet-valid",
    "wrong-name",
    "untrusted",
)


@dataclass(frozen=True, slots=True)
class Certificate:
    issuer: str
    subject: str
    names: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    problem: str | None = None  # EXPIRED, NOT_YET_VALID, WRONG_NAME, UNTRUSTED; None: valid
    detail: str = ""

    @property
    def valid(self) -> bool:
        return self.problem is None

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "issuer": self.issuer,
            "subject": self.subject,
            "names": list(self.names),
            "not_before": toml_datetime(self.not_before),
            "not_after": toml_datetime(self.not_after),
            "valid": self.valid,
        }
        if self.problem:
            out["problem"] = self.problem
        if self.detail:
            out["detail"] = self.detail
        return out

    def to_json(self) -> dict[str, Any]:
        out = self.to_toml()
        out["not_before"] = iso_utc(self.not_before)
        out["not_after"] = iso_utc(self.not_after)
        out.setdefault("problem", None)
        return out

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Certificate:
        not_before, not_after = (
            parse_fetched_at(data["not_before"]),
            parse_fetched_at(data["not_after"]),
        )
        assert not_before is not None and not_after is not None
        names = data.get("names", [])
        if not isinstance(names, list):
            raise TypeError("names must be a list")
        return cls(
            issuer=str(data.get("issuer", "")),
            subject=str(data.get("subject", "")),
            names=tuple(str(n) for n in names),
            not_before=not_before,
            not_after=not_after,
            problem=None if data.get("problem") is None else str(data["problem"]),
            detail=str(data.get("detail", "")),
        )


@dataclass(frozen=True, slots=True)
class Unclaimed:
    """The page matched a hosting service's "unclaimed" signature."""

    service: str
    fingerprint: str
    source: str

    def to_toml(self) -> dict[str, Any]:
        return {"service": self.service, "fingerprint": self.fingerprint, "source": self.source}

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Unclaimed:
        return cls(
            service=str(data["service"]),
            fingerprint=str(data.get("fingerprint", "")),
            source=str(data.get("source", "")),
        )


@dataclass(frozen=True, slots=True)
class WebObservation:
    asset: str  # the asset id
    url: str
    fetched_at: datetime | None = None
    address: str | None = None  # the address connected to, last hop
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()  # every URL redirected to, in order
    size: int = 0  # bytes of the body read (at most [web] max_bytes)
    truncated: bool = False
    elapsed_ms: int = 0
    cname: tuple[str, ...] = ()  # the host's CNAME chain when it was fetched
    service: str | None = None  # the hosting service the CNAME points at, if known
    tls: Certificate | None = None
    unclaimed: Unclaimed | None = None
    refused: str | None = None  # why socialgov would not connect (private address, scheme)
    error: str | None = None  # why there was no answer (timeout, connection refused, …)

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"asset": self.asset, "url": self.url}
        if self.fetched_at is not None:
            out["fetched_at"] = toml_datetime(self.fetched_at)
        for key in ("address", "status", "final_url", "service", "refused", "error"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.redirects:
            out["redirects"] = list(self.redirects)
        if self.status is not None:
            out["size"] = self.size
            out["truncated"] = self.truncated
        out["elapsed_ms"] = self.elapsed_ms
        if self.cname:
            out["cname"] = list(self.cname)
        if self.tls is not None:
            out["tls"] = self.tls.to_toml()
        if self.unclaimed is not None:
            out["unclaimed"] = self.unclaimed.to_toml()
        return out

    def to_json(self) -> dict[str, Any]:
        out = self.to_toml()
        out["fetched_at"] = iso_utc(self.fetched_at)
        for key in ("status", "final_url", "refused", "error", "tls", "unclaimed"):
            out.setdefault(key, None)
        if self.tls is not None:
            out["tls"] = self.tls.to_json()
        return out

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> WebObservation:
        tls, unclaimed = data.get("tls"), data.get("unclaimed")
        for key, value in (("tls", tls), ("unclaimed", unclaimed)):
            if value is not None and not isinstance(value, dict):
                raise TypeError(f"{key} must be a table")
        status = data.get("status")
        if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
            raise TypeError("status must be a whole number")
        return cls(
            asset=str(data["asset"]),
            url=str(data["url"]),
            fetched_at=parse_fetched_at(data.get("fetched_at")),
            address=_opt(data.get("address")),
            status=status,
            final_url=_opt(data.get("final_url")),
            redirects=tuple(str(r) for r in data.get("redirects", [])),
            size=int(data.get("size", 0)),
            truncated=bool(data.get("truncated", False)),
            elapsed_ms=int(data.get("elapsed_ms", 0)),
            cname=tuple(str(c) for c in data.get("cname", [])),
            service=_opt(data.get("service")),
            tls=Certificate.from_toml(tls) if tls is not None else None,
            unclaimed=Unclaimed.from_toml(unclaimed) if unclaimed is not None else None,
            refused=_opt(data.get("refused")),
            error=_opt(data.get("error")),
        )


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)
