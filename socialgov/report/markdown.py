"""`--format markdown`: a summary fit for a pull-request comment.

With a baseline: a headline about new findings, then the new ones, the fixed ones, the
governance changes, and the pre-existing ones collapsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter, error_message, error_where, headline
from socialgov.words import plural

if TYPE_CHECKING:
    from socialgov.errors import InputError
    from socialgov.policy.governance import GovernanceChange
    from socialgov.policy.result import AuditResult, Finding

ICON = {
    Severity.CRITICAL: "🟥",
    Severity.HIGH: "🟧",
    Severity.MEDIUM: "🟨",
    Severity.LOW: "🟦",
    Severity.INFO: "⬜",
}
MAX_ROWS = 200  # pull-request comments are limited to 65,536 characters


def cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _row(finding: Finding, context: ReportContext) -> str:
    new = context.is_new(finding)
    mark = " 🆕" if new else ""
    where = f"`{cell(context.repo_path(finding.file))}:{finding.line}`"
    return (
        f"| {ICON[finding.severity]} {finding.severity.value}{mark} | `{finding.rule}` | "
        f"`{cell(str(finding.asset))}` | {where} | {cell(finding.message)} | {cell(finding.hint)} |"
    )


def _table(findings: Sequence[Finding], context: ReportContext) -> list[str]:
    lines = [
        "",
        "| severity | rule | asset | where | finding | what to do |",
        "|---|---|---|---|---|---|",
    ]
    lines += [_row(f, context) for f in findings[:MAX_ROWS]]
    if len(findings) > MAX_ROWS:
        lines += ["", f"…and {len(findings) - MAX_ROWS} more (run `socialgov audit` for all)."]
    return lines


def _change(change: GovernanceChange, context: ReportContext) -> str:
    flags = "".join(f" **⚠ {flag}**" for flag in change.flags)
    where = f"`{cell(context.repo_path(change.file))}:{change.line}`"
    return f"- {cell(change.message)} ({where}){flags}"


class MarkdownReporter(Reporter):
    name = "markdown"
    description = "a Markdown summary for pull-request comments"

    def render(self, result: AuditResult, context: ReportContext) -> str:
        if context.comparing:
            return "\n".join(self._comparison(result, context)) + "\n"
        summary = result.summary()
        open_ = [f for f in result.findings if not f.waived]
        lines = [
            f"## {context.title}",
            "",
            f"{headline(result, context)} · {plural(summary['assets'], 'asset')} checked · "
            f"{plural(summary['findings'], 'finding')}"
            + (f" ({summary['waived']} waived)" if summary["waived"] else ""),
            "",
            "| severity | findings |",
            "|---|---:|",
        ]
        lines += [
            f"| {ICON[Severity(s)]} {s} | {n} |" for s, n in summary["by_severity"].items() if n
        ]
        if open_:
            lines += _table(open_, context)
        lines += _waived([f for f in result.findings if f.waived])
        return "\n".join(lines) + "\n"

    def _comparison(self, result: AuditResult, context: ReportContext) -> list[str]:
        new = [f for f in context.new(result) if not f.waived]
        old = [f for f in context.preexisting(result) if not f.waived]
        against = f" against `{cell(context.base)}`" if context.base else ""
        lines = [
            f"## {context.title}",
            "",
            f"**{headline(result, context)}** · {plural(result.assets_checked, 'asset')} checked{against}",
        ]
        if new:
            lines += ["", f"### New findings ({len(new)})", *_table(new, context)]
        if context.fixed:
            lines += ["", f"### Fixed ({len(context.fixed)})", ""]
            lines += [
                f"- ✅ `{f.rule}` on `{cell(str(f.asset))}`: {cell(f.message)}"
                for f in context.fixed[:MAX_ROWS]
            ]
        if context.changes:
            lines += ["", f"### Governance changes ({len(context.changes)})", ""]
            lines += [_change(c, context) for c in context.changes[:MAX_ROWS]]
        if old:
            lines += ["", f"<details><summary>{len(old)} pre-existing</summary>"]
            lines += _table(old, context)
            lines += ["", "</details>"]
        lines += _waived([f for f in result.findings if f.waived])
        return lines

    def render_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        lines = [
            f"## {context.title}",
            "",
            f"**❌ {plural(len(errors), 'invalid file')}**: nothing was audited",
            "",
            "| where | problem |",
            "|---|---|",
        ]
        lines += [
            f"| `{cell(error_where(e, context))}` | {cell(error_message(e))} |" for e in errors
        ]
        return "\n".join(lines) + "\n"


def _waived(waived: list[Finding]) -> list[str]:
    if not waived:
        return []
    lines = ["", f"<details><summary>{len(waived)} waived</summary>", ""]
    lines += [
        f"- `{f.rule}` on `{cell(str(f.asset))}`: {cell(f.waiver.reason) if f.waiver else ''}"
        + (f" (until {f.waiver.expires.isoformat()})" if f.waiver else "")
        for f in waived[:MAX_ROWS]
    ]
    return [*lines, "", "</details>"]
