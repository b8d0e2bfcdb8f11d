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
    from socialgov.lookalikes.store import Recorded
    from socialgov.lookup.dns_observation import DnsObservation
    from socialgov.lookup.web_observation import WebObservation
    from socialgov.policy.inputs import AuditInputs

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
    # What the rule reads besides the asset, the roster and the settings: a source of
    # policy.inputs.SOURCES, or "assets" for the registry's other assets, which a rule reads
    # through AuditData.domains only (held_domains, domain_names). check --base and a
    # patched audit (policy.audit_snapshot) reuse the findings of an unchanged asset for
    # rules that do not read "assets", and for those that do when the domains are the same.
    needs: frozenset[str] = frozenset()

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


def domain_states(registry: Registry) -> dict[str, bool]:
    """Every domain asset of the registry by name, and whether it is active: all that a rule
    reading "assets" may read of the other assets."""
    return {a.name: a.active for a in registry.assets.values() if a.kind is Kind.DOMAIN}


class AuditData:
    """What every rule may read: the audit's inputs (sources load on a rule's first use)."""

    def __init__(self, inputs: AuditInputs, today: date) -> None:
        self.inputs = inputs
        self.registry = inputs.registry
        self.policy = inputs.policy  # for rules that ask what another rule finds
        self.today = today
        self.waivers = inputs.waivers

    @property
    def dns_observations(self) -> Mapping[str, DnsObservation]:
        """Name → latest DNS observation (observations/dns/)."""
        return self.inputs.source("dns_observations")

    @property
    def previous_dns_observations(self) -> Mapping[str, DnsObservation]:
        return self.inputs.source("previous_dns_observations")

    @property
    def web_observations(self) -> Mapping[str, WebObservation]:
        """Asset id → latest web observation (observations/web/)."""
        return self.inputs.source("web_observations")

    def source(self, name: str) -> Any:
        """An observation source by name (see policy.inputs.SOURCES)."""
        return self.inputs.source(name)

    @property
    def observations(self) -> Mapping[str, Observation]:
        return self.inputs.observations

    @property
    def previous_observations(self) -> Mapping[str, Observation]:
        return self.inputs.previous_observations

    @property
    def lookalikes(self) -> Mapping[str, Recorded]:
        """Recorded lookalike observations (observations/lookalikes/), by lookalike name."""
        return self.inputs.source("lookalikes")

    @cached_property
    def waivers_by_asset(self) -> dict[AssetId, list[Waiver]]:
        index: dict[AssetId, list[Waiver]] = {}
        for waiver in self.waivers:
            index.setdefault(waiver.asset, []).append(waiver)
        return index

    @cached_property
    def domains(self) -> Mapping[str, bool]:
        """Every domain asset by name, and whether it is active: what a rule that needs
        "assets" reads of the other assets (given when the registry holds only some)."""
        given = self.inputs.domains
        return given if given is not None else domain_states(self.registry)

    @cached_property
    def held_domains(self) -> frozenset[str]:
        """Names of the active domain assets, for rules that ask whether a domain is governed."""
        return frozenset(name for name, active in self.domains.items() if active)

    @cached_property
    def domain_names(self) -> frozenset[str]:
        """Names of every domain asset, retired ones too."""
        return frozenset(self.domains)

    def rule_finds(self, rule: Rule, asset: Asset) -> bool:
        """Whether `rule`, as the audit's policy configures it, finds anything on `asset`."""
        from socialgov.policy.config import Policy

        if self.policy is not None:
            assert isinstance(self.policy, Policy)
            config = self.policy.config(rule.info)
            severity, options = config.severity, config.options
            if not config.in_scope(asset.kind, asset.criticality.value, asset.tags):
                return False
        else:
            severity, options = rule.info.severity, options_from(rule.info)
            if rule.info.kinds is not None and asset.kind not in rule.info.kinds:
                return False
        if not (asset.active or rule.info.include_retired):
            return False
        context = RuleContext(self, rule.info, severity, options)
        return next(iter(rule.check(asset, context)), None) is not None


class RuleContext:
    """One rule's view of an audit: its configured severity and options, and a finding builder."""

    def __init__(
        self, data: AuditData, info: RuleInfo, severity: Severity, options: Mapping[str, Any]
    ) -> None:
        self.data = data
        self.info = info
        self.severity = severity
        self.options = options
        # The rule's own values for this audit, worked out once and read for many assets.
        self.memo: dict[str, Any] = {}

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
