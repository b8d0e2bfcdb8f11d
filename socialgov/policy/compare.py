"""Two audits compared by fingerprint: what a change brings (new), removes (fixed) and keeps."""

from __future__ import annotations

from dataclasses import dataclass

from socialgov.policy.result import AuditResult, Finding


@dataclass(frozen=True)
class Comparison:
    """`result` (the working tree) against the audit of a base revision."""

    base: str
    baseline: frozenset[str]  # fingerprints of the findings at the base
    fixed: tuple[Finding, ...]  # findings of the base that are gone

    def is_new(self, finding: Finding) -> bool:
        return finding.fingerprint not in self.baseline

    def new(self, result: AuditResult) -> list[Finding]:
        return [f for f in result.findings if self.is_new(f)]

    def preexisting(self, result: AuditResult) -> list[Finding]:
        return [f for f in result.findings if not self.is_new(f)]


def compare(result: AuditResult, base_result: AuditResult, base: str) -> Comparison:
    current = {f.fingerprint for f in result.findings}
    fixed = tuple(f for f in base_result.findings if f.fingerprint not in current)
    return Comparison(
        base=base,
        baseline=frozenset(f.fingerprint for f in base_result.findings),
        fixed=fixed,
    )
