"""What a rule is (id, default severity, typed options, check) and what it sees while it runs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from socialgov.lookup.observation import Observation
from socialgov.model import Asset, AssetId, Kind, Registry, Roster, Settings, Severity, Waiver
from socialgov.policy.result import Finding
from socialgov.registry.schema import FieldType

if TYPE_CHECKING:
    from socialgov.lookup.dns_observation import DnsObservation
    from socialgov.lookup.web_observation import WebObservation

SEVERITY_TYPE = FieldType("string", tuple(s.value for s in Severity))
CRITICALITY_TYPE = FieldType("list of strings")


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    type: FieldType
    default: Any
    help: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type.name,
            "default": self.default,
            "help": self.help,
        }


@dataclass(frozen=True)
class RuleInfo:
    """A rule's declaration. `doc` is its user documentation (the module docstring)."""

    id: str
    severity: Severity
    summary: str
    doc: str = ""
    options: tuple[Option, ...] = ()
    kinds: frozenset[Kind] | None = None  # None: every kind
    criticalities: tuple[str, ...] | None = None  # default scope; None: every criticality
    include_retired: bool = False
    needs: frozenset[str] = frozenset()  # "observations", "previous_observations"

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "summary": self.summary,
            "kinds": sorted(k.value for k in self.kinds) if self.kinds else None,
            "criticalities": list(self.criticalities) if self.criticalities else None,
            "options": [o.to_json() for o in self.options],
            "doc": self.doc.strip(),
        }


CheckFn = Callable[[Asset, "RuleContext"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    check: CheckFn


class AuditData:
    """What every rule may read, loaded at most once per audit, and only when a rule needs it."""

    def __init__(
        self,
        registry: Registry,
        today: date,
        observations: Callable[[], Mapping[str, Observation]],
        previous_observations: Callable[[], Mapping[str, Observation]],
        waivers: Sequence[Waiver],
        *,
        dns_observations: Callable[[], Mapping[str, DnsObservation]] = dict,
        previous_dns_observations: Callable[[], Mapping[str, DnsObservation]] = dict,
        web_observations: Callable[[], Mapping[str, WebObservation]] = dict,
    ) -> None:
        self.registry = registry
        self.today = today
        self._observations = observations
        self._previous = previous_observations
        self.waivers = waivers
        self._dns = dns_observations
        self._previous_dns = previous_dns_observations
        self._web = web_observations

    @cached_property
    def dns_observations(self) -> Mapping[str, DnsObservation]:
        """Name → latest DNS observation (observations/dns/)."""
        return self._dns()

    @cached_property
    def previous_dns_observations(self) -> Mapping[str, DnsObservation]:
        return self._previous_dns()

    @cached_property
    def web_observations(self) -> Mapping[str, WebObservation]:
        """Asset id → latest web observation (observations/web/)."""
        return self._web()

    @cached_property
    def observations(self) -> Mapping[str, Observation]:
        return self._observations()

    @cached_property
    def previous_observations(self) -> Mapping[str, Observation]:
        return self._previous()

    @cached_property
    def waivers_by_asset(self) -> dict[AssetId, list[Waiver]]:
        index: dict[AssetId, list[Waiver]] = {}
        for waiver in self.waivers:
            index.setdefault(waiver.asset, []).append(waiver)
        return index

    @cached_property
    def held_domains(self) -> frozenset[str]:
        """Names of the active domain assets, for rules that ask whether a domain is governed."""
        return frozenset(
            a.name for a in self.registry.assets.values() if a.kind is Kind.DOMAIN and a.active
        )


class RuleContext:
    """One rule's view of an audit: its configured severity and options, and a finding builder."""

    def __init__(
        self, data: AuditData, info: RuleInfo, severity: Severity, options: Mapping[str, Any]
    ) -> None:
        self.data = data
        self.info = info
        self.severity = severity
        self.options = options

    @property
    def today(self) -> date:
        return self.data.today

    @property
    def roster(self) -> Roster:
        return self.data.registry.roster

    @property
    def settings(self) -> Settings:
        return self.data.registry.settings

    def observation(self, asset: Asset) -> Observation | None:
        return self.data.observations.get(asset.name)

    def finding(
        self,
        asset: Asset,
        *,
        keys: Sequence[str] = (),
        message: str,
        hint: str,
        subject: str = "",
        severity: Severity | None = None,
        file: str | None = None,
        line: int | None = None,
    ) -> Finding:
        """A finding at the first of `keys` found in the asset file (else line 1).

        `subject` is what the finding is about within the asset (a handle, a contact key);
        it and the rule and asset make the fingerprint, so it must not change from day to day.
        """
        return Finding(
            rule=self.info.id,
            severity=severity or self.severity,
            asset=asset.id,
            file=file if file is not None else asset.file,
            line=line if line is not None else asset.line_of(*keys),
            message=message,
            hint=hint,
            fingerprint=fingerprint(self.info.id, asset.id, subject),
        )


def fingerprint(rule: str, asset: AssetId, subject: str) -> str:
    return hashlib.sha256(f"{rule}\x1f{asset}\x1f{subject}".encode()).hexdigest()[:32]


def options_from(info: RuleInfo, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    values = {o.name: o.default for o in info.options}
    values.update(overrides or {})
    return values


__all__ = [
    "CRITICALITY_TYPE",
    "SEVERITY_TYPE",
    "AuditData",
    "CheckFn",
    "Option",
    "Rule",
    "RuleContext",
    "RuleInfo",
    "fingerprint",
]
