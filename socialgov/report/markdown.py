"""`--format markdown`: a summary fit for a pull-request comment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter
from socialgov.words import plural

if TYPE_CHECKING:
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


class MarkdownReporter(Reporter):
    name = "markdown"
    description = "a Markdown summary for pull-request comments"
    machine = False

    def render(self, result: AuditResult, context: ReportContext) -> str:
        summary = result.summary()
        failing = result.failing(context.fail_on)
        open_ = [f for f in result.findings if not f.waived]
        waived = [f for f in result.findings if f.waived]
        verdict = (
            f"❌ {plural(len(failing), 'finding')} at or above {context.fail_on.value}"
            if failing and context.fail_on
            else "✅ no finding fails the audit"
        )
        lines = [
            "## socialgov audit",
            "",
            f"{verdict} · {summary['assets']} assets checked · {summary['findings']} findings"
            + (f" ({summary['waived']} waived)" if summary["waived"] else ""),
            "",
            "| severity | findings |",
            "|---|---:|",
        ]
        lines += [
            f"| {ICON[Severity(s)]} {s} | {n} |" for s, n in summary["by_severity"].items() if n
        ]
        if open_:
            lines += [
                "",
                "| severity | rule | asset | where | finding | what to do |",
                "|---|---|---|---|---|---|",
            ]
            lines += [_row(f, context) for f in open_[:MAX_ROWS]]
            if len(open_) > MAX_ROWS:
                lines += ["", f"…and {len(open_) - MAX_ROWS} more (run `socialgov audit` for all)."]
        if waived:
            lines += ["", f"<details><summary>{len(waived)} waived</summary>", ""]
            lines += [
                f"- `{f.rule}` on `{cell(str(f.asset))}`: {cell(f.waiver.reason) if f.waiver else ''}"
                + (f" (until {f.waiver.expires.isoformat()})" if f.waiver else "")
                for f in waived[:MAX_ROWS]
            ]
            lines += ["", "</details>"]
        return "\n".join(lines) + "\n"
