"""The figures the HTML report shows, gathered from a loaded registry, its observations and findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from socialgov.model import (
    TEAM_PREFIX,
    Asset,
    AssetId,
    Kind,
    PersonStatus,
    Registry,
    Roster,
    Severity,
)
from socialgov.model.ownership import departed_holdings, is_orphaned

if TYPE_CHECKING:
    from socialgov.htmlreport.discovery import DiscoveredRow, LookalikeRow
    from socialgov.htmlreport.history import History
    from socialgov.htmlreport.posture import PostureData
    from socialgov.lookup.observation import Observation
    from socialgov.policy.result import Finding

EXPIRY_WINDOWS = (30, 60, 90)
TIMELINE_MONTHS = 12
NO_DEPARTMENT = "No department"
SEVERITIES_HIGH_FIRST = tuple(reversed(Severity))


@dataclass(frozen=True, slots=True)
class OwnerLabel:
    """One listed owner as a reader needs it: who, and whether they can still act."""

    ref: str  # a handle, or team:NAME
    name: str | None  # the person's name; None for teams and unknown owners
    state: str  # "active", "departed", "on leave", "unknown", "team", "empty team"
    accountable: bool  # the first owner listed


@dataclass(frozen=True, slots=True)
class AssetRow:
    id: AssetId
    department: str
    status: str
    criticality: str
    owners: tuple[OwnerLabel, ...]
    orphaned: bool
    departed_holders: tuple[str, ...]
    open_findings: int
    expires: date | None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class FindingRow:
    rule: str
    severity: Severity
    asset: AssetId
    department: str
    owners: tuple[OwnerLabel, ...]
    message: str
    hint: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class ExpiringDomain:
    asset: AssetId
    expires: date
    days: int  # negative once expired
    source: str  # "observation" or "registry"
    department: str
    owners: tuple[OwnerLabel, ...]


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    assets: tuple[AssetRow, ...]

    @property
    def orphaned(self) -> int:
        return sum(a.orphaned for a in self.assets)

    @property
    def departed_held(self) -> int:
        return sum(bool(a.departed_holders) for a in self.assets)


@dataclass(frozen=True)
class ReportData:
    org: str
    today: date
    assets_by_kind: Mapping[Kind, int]
    retired_assets: int
    orphaned: int
    departed_held: int
    findings_by_severity: Mapping[Severity, int]
    waived: int
    findings_by_department: Mapping[str, Mapping[Severity, int]]
    expiring_within: Mapping[int, int]  # window in days -> domains expiring within it
    expired: int
    expiry_months: Sequence[tuple[date, int]]  # first of month -> domains expiring that month
    upcoming: Sequence[ExpiringDomain]  # expired, or expiring within the longest window
    findings: Sequence[FindingRow]
    departments: Sequence[Department]
    history: History | None = None
    people: int = 0
    departed_people: int = 0
    discovered: tuple[DiscoveredRow, ...] = ()  # "Not in the registry" (htmlreport.discovery)
    lookalikes: tuple[LookalikeRow, ...] = ()  # "Lookalikes registered by others"
    posture: PostureData | None = None  # the "DNS and web" section

    @property
    def total_assets(self) -> int:
        return sum(self.assets_by_kind.values())

    @property
    def open_findings(self) -> int:
        return sum(self.findings_by_severity.values())


def owner_labels(owners: Iterable[str], roster: Roster) -> tuple[OwnerLabel, ...]:
    labels = []
    for index, ref in enumerate(owners):
        name: str | None = None
        if ref.startswith(TEAM_PREFIX):
            team = roster.teams.get(ref[len(TEAM_PREFIX) :])
            if team is None:
                state = "unknown"
            else:
                state = "team" if roster.is_active_owner(ref) else "empty team"
        else:
            person = roster.people.get(ref)
            if person is None:
                state = "unknown"
            else:
                name = person.name
                state = {
                    PersonStatus.ACTIVE: "active",
                    PersonStatus.DEPARTED: "departed",
                    PersonStatus.ON_LEAVE: "on leave",
                }[person.status]
        labels.append(OwnerLabel(ref=ref, name=name, state=state, accountable=index == 0))
    return tuple(labels)


def domain_expiry(asset: Asset, observations: Mapping[str, Observation]) -> tuple[date, str] | None:
    """The latest observation's `expires` when it has one, else the asset's own [domain] expires."""
    return asset.effective_expiry(observations.get(asset.name))


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def month_start(day: date, offset: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def gather(
    registry: Registry,
    observations: Mapping[str, Observation],
    findings: Iterable[Finding],
    *,
    today: date,
    history: History | None = None,
) -> ReportData:
    """Every figure of the report, computed once, in the order the page shows them."""
    roster = registry.roster
    assets = sorted(registry.assets.values(), key=lambda a: a.id)
    all_findings = list(findings)
    open_findings = sorted(
        (f for f in all_findings if not f.waived),
        key=lambda f: (-f.severity.rank, str(f.asset), f.rule, f.line),
    )
    waived = sum(f.waived for f in all_findings)
    findings_per_asset = Counter(f.asset for f in open_findings)
    owners_of = {a.id: owner_labels(a.owners, roster) for a in assets}

    def department_of(asset_id: AssetId) -> str:
        asset = registry.assets.get(asset_id)
        return (asset.department if asset else None) or NO_DEPARTMENT

    rows: list[AssetRow] = []
    upcoming: list[ExpiringDomain] = []
    windows = dict.fromkeys(EXPIRY_WINDOWS, 0)
    expired = 0
    timeline_start = month_start(today)
    months = [month_start(today, i) for i in range(TIMELINE_MONTHS)]
    per_month = dict.fromkeys(months, 0)
    for asset in assets:
        department = asset.department or NO_DEPARTMENT
        expiry = domain_expiry(asset, observations) if asset.kind is Kind.DOMAIN else None
        rows.append(
            AssetRow(
                id=asset.id,
                department=department,
                status=asset.status.value,
                criticality=asset.criticality.value,
                owners=owners_of[asset.id],
                orphaned=is_orphaned(asset, roster),
                departed_holders=tuple(
                    sorted({h.handle for h in departed_holdings(asset, roster)})
                ),
                open_findings=findings_per_asset.get(asset.id, 0),
                expires=expiry[0] if expiry else None,
                notes=_text(asset.data.get("notes")),
            )
        )
        if expiry is None or not asset.active:
            continue
        expires, source = expiry
        days = (expires - today).days
        if days < 0:
            expired += 1
        for window in EXPIRY_WINDOWS:
            windows[window] += 0 <= days <= window
        if days >= 0 and timeline_start <= expires and (key := month_start(expires)) in per_month:
            per_month[key] += 1
        if days <= max(EXPIRY_WINDOWS):
            upcoming.append(
                ExpiringDomain(asset.id, expires, days, source, department, owners_of[asset.id])
            )

    by_severity = {s: 0 for s in SEVERITIES_HIGH_FIRST}
    by_department: dict[str, dict[Severity, int]] = {}
    finding_rows = []
    for finding in open_findings:
        by_severity[finding.severity] += 1
        department = department_of(finding.asset)
        counts = by_department.setdefault(department, {s: 0 for s in SEVERITIES_HIGH_FIRST})
        counts[finding.severity] += 1
        finding_rows.append(
            FindingRow(
                rule=finding.rule,
                severity=finding.severity,
                asset=finding.asset,
                department=department,
                owners=owners_of.get(finding.asset, ()),
                message=finding.message,
                hint=finding.hint,
                file=finding.file,
                line=finding.line,
            )
        )

    departments: dict[str, list[AssetRow]] = {}
    for row in rows:
        departments.setdefault(row.department, []).append(row)
    kinds = Counter(a.kind for a in assets)
    return ReportData(
        org=registry.settings.org_name,
        today=today,
        assets_by_kind={k: kinds.get(k, 0) for k in Kind},
        retired_assets=sum(not a.active for a in assets),
        orphaned=sum(r.orphaned for r in rows),
        departed_held=sum(bool(r.departed_holders) for r in rows),
        findings_by_severity=by_severity,
        waived=waived,
        findings_by_department=dict(
            sorted(by_department.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ),
        expiring_within=windows,
        expired=expired,
        expiry_months=[(m, per_month[m]) for m in months],
        upcoming=sorted(upcoming, key=lambda d: (d.days, d.asset)),
        findings=finding_rows,
        departments=[
            Department(name, tuple(members))
            for name, members in sorted(
                departments.items(), key=lambda kv: (kv[0] == NO_DEPARTMENT, kv[0].lower())
            )
        ],
        history=history,
        people=len(roster.people),
        departed_people=sum(p.departed for p in roster.people.values()),
    )
