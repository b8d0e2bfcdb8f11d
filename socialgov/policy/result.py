"""What an audit produces: findings and the result that decides the exit code."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from socialgov.model import AssetId, Severity, Waiver
from socialgov.pickling import by_constructor

if TYPE_CHECKING:
    from socialgov.policy.rule import RuleInfo


@by_constructor
@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    asset: AssetId
    file: str
    line: int
    message: str
    hint: str
    fingerprint: str
    waived: bool = False
    waiver: Waiver | None = None

    def to_json(self) -> dict[str, Any]:
        """The SPEC §3 finding object."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "asset": str(self.asset),
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
            "fingerprint": self.fingerprint,
            "waived": self.waived,
        }
        if self.waiver is not None:
            out["waiver"] = {
                "reason": self.waiver.reason,
                "approved_by": self.waiver.approved_by,
                "expires": self.waiver.expires.isoformat(),
            }
        return out


class CheckedBy(Mapping[str, tuple[AssetId, ...]]):
    """Rule id → the assets it was applied to, from each asset's bit mask of the rules
    (bit i: `rules[i]`), `masks` in asset order; made when first read (only JUnit reads it,
    and a large audit has millions of pairs)."""

    def __init__(self, rules: Sequence[str], masks: Sequence[tuple[AssetId, int]]) -> None:
        self._rules, self._masks = rules, masks
        self._made: dict[str, tuple[AssetId, ...]] | None = None

    def _table(self) -> dict[str, tuple[AssetId, ...]]:
        if self._made is None:
            checked: dict[str, list[AssetId]] = {rule: [] for rule in self._rules}
            for asset, mask in self._masks:
                index = 0
                while mask:
                    if mask & 1:
                        checked[self._rules[index]].append(asset)
                    mask >>= 1
                    index += 1
            self._made = {rule: tuple(assets) for rule, assets in checked.items()}
        return self._made

    def __getitem__(self, rule: str) -> tuple[AssetId, ...]:
        return self._table()[rule]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


@dataclass(frozen=True)
class AuditResult:
    findings: tuple[Finding, ...]
    assets_checked: int
    rules: tuple[RuleInfo, ...]
    # rule id -> the assets it was applied to (after scoping); JUnit reports one case per pair.
    checked: Mapping[str, tuple[AssetId, ...]] = field(default_factory=dict, repr=False)

    def failing(self, fail_on: Severity | None) -> list[Finding]:
        """Unwaived findings at or above `fail_on`; None never fails."""
        if fail_on is None:
            return []
        return [f for f in self.findings if not f.waived and f.severity.rank >= fail_on.rank]

    def exit_code(self, fail_on: Severity | None) -> int:
        return 1 if self.failing(fail_on) else 0

    def summary(self) -> dict[str, Any]:
        by_severity = {s.value: 0 for s in reversed(Severity)}
        waived = 0
        for finding in self.findings:
            by_severity[finding.severity.value] += 1
            waived += finding.waived
        return {
            "assets": self.assets_checked,
            "findings": len(self.findings),
            "by_severity": by_severity,
            "waived": waived,
        }

    def to_json(self) -> dict[str, Any]:
        return {"findings": [f.to_json() for f in self.findings], "summary": self.summary()}
