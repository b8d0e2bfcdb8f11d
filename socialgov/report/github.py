"""`--format github`: GitHub Actions workflow commands that annotate the TOML lines.

With a baseline (check --base), only new findings are annotated — `::error` at or above
--fail-on, `::warning` below — unless --all; GitHub shows only the first few annotations
of a step, so pre-existing ones would bury what the change brings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter, error_message

if TYPE_CHECKING:
    from socialgov.errors import InputError
    from socialgov.policy.result import AuditResult, Finding

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, context: ReportContext) -> str:
    """`::error` at or above fail-on, `::warning` below it, `::notice` when waived."""
    if finding.waived:
        level = "notice"
    elif context.comparing:
        failing = context.fail_on is not None and finding.severity.rank >= context.fail_on.rank
        level = "error" if failing else "warning"
    else:
        level = LEVEL[finding.severity]
    title = f"{finding.rule} ({finding.severity.value})"
    message = f"{finding.asset}: {finding.message}"
    if finding.waived and finding.waiver is not None:
        title += " waived"
        message += f" [waived until {finding.waiver.expires.isoformat()}: {finding.waiver.reason}]"
    elif context.is_new(finding) is False:
        title += " pre-existing"
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    props = {"file": context.repo_path(finding.file), "line": str(finding.line), "title": title}
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{level} {joined}::{escape_data(message)}"


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations (::error file=…,line=…::message)"

    def render(self, result: AuditResult, context: ReportContext) -> str:
        """Annotations of the new findings (all with --all, or when not comparing)."""
        shown = result.findings if context.all_findings else context.new(result)
        return "".join(annotation(f, context) + "\n" for f in shown)

    def render_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        lines = []
        for error in errors:
            props = {"file": context.repo_path(error.file), "line": str(error.line or 1)}
            if error.column:
                props["col"] = str(error.column)
            props["title"] = "socialgov: invalid file"
            joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
            lines.append(f"::error {joined}::{escape_data(error_message(error))}\n")
        return "".join(lines)

    def step_summary(self, result: AuditResult, context: ReportContext) -> str:
        """The Markdown for $GITHUB_STEP_SUMMARY: counts, then the new findings listed."""
        from socialgov.report.markdown import MarkdownReporter

        return MarkdownReporter().render(result, context)

    def step_summary_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        from socialgov.report.markdown import MarkdownReporter

        return MarkdownReporter().render_errors(errors, context)
