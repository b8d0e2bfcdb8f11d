"""The reporter interface, and what every reporter may be given besides the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from socialgov.model import Severity
from socialgov.words import plural

if TYPE_CHECKING:
    from socialgov.errors import InputError
    from socialgov.model import AssetId, Registry
    from socialgov.policy.governance import GovernanceChange
    from socialgov.policy.result import AuditResult, Finding


@dataclass(frozen=True)
class ReportContext:
    """`baseline`: fingerprints of findings that already existed (check --base); when set,
    each finding is new or pre-existing, `fixed` lists the base's findings that are gone and
    `changes` what the change does to governance. `prefix`: the registry's folder relative
    to the repository top ("" at the top), for formats whose paths are read by CI.
    `all_findings`: check --all, where pre-existing findings count as much as new ones."""

    owners: Mapping[AssetId, tuple[str, ...]] | None = None  # by asset: the table names them
    baseline: frozenset[str] | None = None
    prefix: str = ""
    fail_on: Severity | None = Severity.HIGH
    fixed: tuple[Finding, ...] = ()
    changes: tuple[GovernanceChange, ...] = ()
    all_findings: bool = False
    base: str | None = None
    title: str = "socialgov audit"

    @property
    def comparing(self) -> bool:
        return self.baseline is not None

    def is_new(self, finding: Finding) -> bool | None:
        if self.baseline is None:
            return None
        return finding.fingerprint not in self.baseline

    def new(self, result: AuditResult) -> list[Finding]:
        """The findings the change brings (every finding when not comparing)."""
        return [f for f in result.findings if self.is_new(f) is not False]

    def preexisting(self, result: AuditResult) -> list[Finding]:
        return [f for f in result.findings if self.is_new(f) is False]

    def failing(self, result: AuditResult) -> list[Finding]:
        """The findings that fail the run: new ones at or above fail_on (all with --all)."""
        failing = result.failing(self.fail_on)
        if self.all_findings:
            return failing
        return [f for f in failing if self.is_new(f) is not False]

    def repo_path(self, file: str) -> str:
        return f"{self.prefix}/{file}" if self.prefix else file

    def owners_of(self, finding: Finding) -> tuple[str, ...]:
        return self.owners.get(finding.asset, ()) if self.owners is not None else ()


def owners_by_asset(registry: Registry) -> dict[AssetId, tuple[str, ...]]:
    """What a report context shows of a registry: each asset's owners."""
    return {asset_id: asset.owners for asset_id, asset in registry.assets.items()}


class Reporter:
    """Renders an audit result, or the invalid files that stopped one, as text.

    Subclasses set `name` and implement `render` and `render_errors`."""

    name: ClassVar[str]
    description: ClassVar[str]

    def render(self, result: AuditResult, context: ReportContext) -> str:
        raise NotImplementedError

    def write_pieces(
        self, result: AuditResult, context: ReportContext, put: Callable[[str], None]
    ) -> None:
        """`render`'s text given to `put` in pieces, in order, as they are made: a format
        whose reports run to megabytes makes them so, and is never held whole."""
        put(self.render(result, context))

    def render_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        """Every invalid file of one load, each at file:line:col."""
        raise NotImplementedError


def finding_json(finding: Finding, context: ReportContext) -> dict[str, object]:
    out = finding.to_json()
    new = context.is_new(finding)
    if new is not None:
        out["new"] = new
    return out


def error_message(error: InputError) -> str:
    return error.detail + (f" ({error.hint})" if error.hint else "")


def error_where(error: InputError, context: ReportContext) -> str:
    """`path:line:col` of an error, the path from the repository top."""
    where = f"{context.repo_path(error.file)}:{error.line or 1}"
    return where + (f":{error.column}" if error.column else "")


def headline(result: AuditResult, context: ReportContext) -> str:
    """One line about what counts: new findings when comparing, else every finding."""
    if not context.comparing:
        failing = result.failing(context.fail_on)
        if failing and context.fail_on:
            return f"❌ {plural(len(failing), 'finding')} at or above {context.fail_on.value}"
        return "✅ no finding fails the audit"
    new = context.new(result)
    failing = context.failing(result)
    if failing and context.fail_on:
        first = f"❌ {plural(len(new), 'new finding')}, {len(failing)} at or above {context.fail_on.value}"
        if context.all_findings:
            first = f"❌ {plural(len(failing), 'finding')} at or above {context.fail_on.value}"
    elif new:
        first = f"⚠️ {plural(len(new), 'new finding')}, none at or above {_threshold(context)}"
    else:
        first = "✅ no new findings"
    parts = [
        first,
        f"{len(context.fixed)} fixed",
        f"{len(context.preexisting(result))} pre-existing",
    ]
    return " · ".join(parts)


def _threshold(context: ReportContext) -> str:
    return context.fail_on.value if context.fail_on else "the threshold"


def summary_counts(result: AuditResult, context: ReportContext) -> dict[str, int]:
    """summary.new, .fixed and .preexisting (only when comparing)."""
    if not context.comparing:
        return {}
    return {
        "new": len(context.new(result)),
        "fixed": len(context.fixed),
        "preexisting": len(context.preexisting(result)),
    }
