"""The observation: one normalised, recorded result of an RDAP or WHOIS lookup (SPEC §1, §3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from socialgov.pickling import by_constructor

_DATE_FIELDS = ("created", "expires", "updated")
_NOT_LETTER = re.compile(r"[^a-z]")
_URL = re.compile(r"https?://\S*")
_SERVER_LOCKS = frozenset(
    {"serverupdateprohibited", "serverdeleteprohibited", "servertransferprohibited"}
)
# Words of registries that do not use EPP codes, by tier (letters only, lower case).
_HOLD = frozenset({"clienthold", "serverhold", "hold", "onhold", "registrarhold", "registryhold"})
_REDEMPTION = frozenset(
    {"redemptionperiod", "redemption", "pendingrestore", "restoreperiod", "quarantine"}
)
_PENDING_DELETE = frozenset(
    {"pendingdelete", "pendingdeletion", "deletionpending", "tobedeleted", "pendingpurge"}
)


def status_key(status: str) -> str:
    """`clientTransferProhibited https://icann.org/epp#…`, RDAP's `client transfer prohibited`
    and `CLIENT-TRANSFER-PROHIBITED` all become `clienttransferprohibited`."""
    return _NOT_LETTER.sub("", _URL.sub("", status).lower())


@dataclass(frozen=True, slots=True)
class StatusTiers:
    """The lock and life-cycle tiers of a domain, normalised from its status codes.

    - registrar lock: any `client{Update,Delete,Transfer}Prohibited` (set by the registrar);
    - registry lock: all three `server{Update,Delete,Transfer}Prohibited` (set by the
      registry on the registrar's request; a change then needs an out-of-band check);
    - transfer lock: `clientTransferProhibited` or `serverTransferProhibited`;
    - on hold: `clientHold` or `serverHold` (the domain does not resolve);
    - redemption: `redemptionPeriod` or `pendingRestore` (expired, deleted, still restorable);
    - pending delete: `pendingDelete` (about to be released for anyone to register).
    """

    registrar_lock: bool = False
    registry_lock: bool = False
    transfer_lock: bool = False
    on_hold: bool = False
    redemption: bool = False
    pending_delete: bool = False

    @classmethod
    def of(cls, statuses: tuple[str, ...] | list[str]) -> StatusTiers:
        keys = {status_key(s) for s in statuses}
        return cls(
            registrar_lock=any(k.startswith("client") and k.endswith("prohibited") for k in keys),
            registry_lock=keys >= _SERVER_LOCKS,
            transfer_lock=bool(keys & {"clienttransferprohibited", "servertransferprohibited"}),
            on_hold=bool(keys & _HOLD),
            redemption=bool(keys & _REDEMPTION),
            pending_delete=bool(keys & _PENDING_DELETE),
        )

    def to_json(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in TIER_FIELDS}


TIER_FIELDS = (
    "registrar_lock",
    "registry_lock",
    "transfer_lock",
    "on_hold",
    "redemption",
    "pending_delete",
)


@by_constructor
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

    @property
    def tiers(self) -> StatusTiers:
        """Lock and life-cycle tiers read from `statuses` (the rules of SPEC §8 use these)."""
        return StatusTiers.of(self.statuses)

    def to_json(self) -> dict[str, Any]:
        """The SPEC §3 JSON object (dates as ISO strings, fetched_at in UTC with a Z), plus
        the normalised status tiers of a registered domain (`registrar_lock`, …)."""
        out = {
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
        if self.registered is True:
            out.update(self.tiers.to_json())
        return out

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
