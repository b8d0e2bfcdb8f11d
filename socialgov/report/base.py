"""The reporter interface, and what every reporter may be given besides the result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from socialgov.model import Severity

if TYPE_CHECKING:
    from socialgov.model import Registry
    from socialgov.policy.result import AuditResult, Finding


@dataclass(frozen=True)
class ReportContext:
    """`baseline`: fingerprints of findings that already existed (check --base); when set,
    each finding carries `new`. `prefix`: the registry's folder relative to the repository
    top ("" at the top), for formats whose paths are read by CI."""

    registry: Registry | None = None
    baseline: frozenset[str] | None = None
    prefix: str = ""
    fail_on: Severity | None = Severity.HIGH

    def is_new(self, finding: Finding) -> bool | None:
        if self.baseline is None:
            return None
        return finding.fingerprint not in self.baseline

    def repo_path(self, file: str) -> str:
        return f"{self.prefix}/{file}" if self.prefix else file

    def owners_of(self, finding: Finding) -> tuple[str, ...]:
        if self.registry is None:
            return ()
        asset = self.registry.assets.get(finding.asset)
        return asset.owners if asset is not None else ()


class Reporter:
    """Renders an audit result as text. Subclasses set `name` and implement `render`."""

    name: ClassVar[str]
    description: ClassVar[str]
    machine: ClassVar[bool] = True  # data for programs (stdout untouched) vs. text for people

    def render(self, result: AuditResult, context: ReportContext) -> str:
        raise NotImplementedError


def finding_json(finding: Finding, context: ReportContext) -> dict[str, object]:
    out = finding.to_json()
    new = context.is_new(finding)
    if new is not None:
        out["new"] = new
    return out
