"""The observation: one normalised, recorded result of an RDAP or WHOIS lookup (SPEC §1, §3)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

_DATE_FIELDS = ("created", "expires", "updated")


@dataclass(frozen=True, slots=True)
class Observation:
    domain: str
    registered: bool | None
    source: str | None = None  # "rdap" | "whois"
    server: str | None = None
    registrar: str | None = None
    registrant_org: str | None = None
    registrant_redacted: bool = False
    registrant_email: str | None = None
    created: date | None = None
    expires: date | None = None
    updated: date | None = None
    name_servers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    fetched_at: datetime | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def failed(cls, domain: str, error: str, **kwargs: Any) -> Observation:
        return cls(domain=domain, registered=None, error=error, **kwargs)

    def with_fetched_at(self, when: datetime) -> Observation:
        return replace(self, fetched_at=when)

    def to_json(self) -> dict[str, Any]:
        """The SPEC §3 JSON object (dates as ISO strings, fetched_at in UTC with a Z)."""
        return {
            "domain": self.domain,
            "registered": self.registered,
            "source": self.source,
            "server": self.server,
            "registrar": self.registrar,
            "registrant_org": self.registrant_org,
            "registrant_redacted": self.registrant_redacted,
            "registrant_email": self.registrant_email,
            "created": _iso(self.created),
            "expires": _iso(self.expires),
            "updated": _iso(self.updated),
            "name_servers": list(self.name_servers),
            "statuses": list(self.statuses),
            "fetched_at": _iso_utc(self.fetched_at),
            "error": self.error,
        }

    def to_toml(self) -> dict[str, Any]:
        """The table written to `observations/<domain>.toml`; TOML has no null, so None is omitted."""
        out: dict[str, Any] = {}
        for key, value in self.to_json().items():
            if key in _DATE_FIELDS:
                value = getattr(self, key)
            elif key == "fetched_at" and self.fetched_at is not None:
                value = self.fetched_at.astimezone(UTC).replace(microsecond=0)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Observation:
        """Inverse of `to_toml`; raises ValueError/TypeError on a malformed table."""
        fetched = data.get("fetched_at")
        if isinstance(fetched, str):
            fetched = datetime.fromisoformat(fetched.replace("Z", "+00:00"))
        if fetched is not None and not isinstance(fetched, datetime):
            raise TypeError("fetched_at must be a date-time")
        dates: dict[str, date | None] = {}
        for key in _DATE_FIELDS:
            value = data.get(key)
            if isinstance(value, datetime):
                value = value.date()
            elif isinstance(value, str):
                value = date.fromisoformat(value)
            if value is not None and not isinstance(value, date):
                raise TypeError(f"{key} must be a date")
            dates[key] = value
        registered = data.get("registered")
        if registered is not None and not isinstance(registered, bool):
            raise TypeError("registered must be true or false")
        return cls(
            domain=str(data["domain"]),
            registered=registered,
            source=data.get("source"),
            server=data.get("server"),
            registrar=data.get("registrar"),
            registrant_org=data.get("registrant_org"),
            registrant_redacted=bool(data.get("registrant_redacted", False)),
            registrant_email=data.get("registrant_email"),
            created=dates["created"],
            expires=dates["expires"],
            updated=dates["updated"],
            name_servers=tuple(str(n) for n in data.get("name_servers", ())),
            statuses=tuple(str(s) for s in data.get("statuses", ())),
            fetched_at=fetched,
            error=data.get("error"),
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _iso_utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
