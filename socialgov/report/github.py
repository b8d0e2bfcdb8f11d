"""`--format github`: GitHub Actions workflow commands that annotate the TOML lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter

if TYPE_CHECKING:
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
    level = "notice" if finding.waived else LEVEL[finding.severity]
    title = f"{finding.rule} ({finding.severity.value})"
    message = f"{finding.asset}: {finding.message}"
    if finding.waived and finding.waiver is not None:
        title += " waived"
        message += f" [waived until {finding.waiver.expires.isoformat()}: {finding.waiver.reason}]"
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    props = {"file": context.repo_path(finding.file), "line": str(finding.line), "title": title}
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{level} {joined}::{escape_data(message)}"


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations (::error file=…,line=…::message)"

    def render(self, result: AuditResult, context: ReportContext) -> str:
        return "".join(annotation(f, context) + "\n" for f in result.findings)
