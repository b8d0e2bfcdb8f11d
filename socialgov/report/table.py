"""`--format table`: findings for people, grouped by severity, with owners and hints (rich)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.policy.result import AuditResult

STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


class TableReporter(Reporter):
    name = "table"
    description = "tables for people, grouped by severity (the default)"
    machine = False

    def render(self, result: AuditResult, context: ReportContext) -> str:
        from rich.console import Console

        buffer = io.StringIO()
        self.print(Console(file=buffer, width=140, no_color=True), result, context)
        return buffer.getvalue()

    def print(self, console: Console, result: AuditResult, context: ReportContext) -> None:
        from rich.markup import escape
        from rich.table import Table

        for severity in reversed(Severity):
            group = [f for f in result.findings if f.severity is severity]
            if not group:
                continue
            table = Table(
                title=f"{severity.value}: {len(group)}",
                title_justify="left",
                title_style=STYLE[severity],
                expand=True,
            )
            table.add_column("asset and where", ratio=4, overflow="fold")
            table.add_column("rule", no_wrap=True)
            table.add_column("owners", ratio=2, overflow="fold")
            table.add_column("finding / what to do", ratio=7, overflow="fold")
            for finding in group:
                message = escape(finding.message)
                if finding.waived:
                    until = f" until {finding.waiver.expires.isoformat()}" if finding.waiver else ""
                    message = f"[dim]{message} (waived{until})[/]"
                elif context.is_new(finding):
                    message = f"[bold]new:[/] {message}"
                table.add_row(
                    f"{escape(str(finding.asset))}\n[dim]{escape(finding.file)}:{finding.line}[/]",
                    finding.rule,
                    escape(", ".join(context.owners_of(finding)) or "-"),
                    f"{message}\n[dim]→ {escape(finding.hint)}[/]",
                )
            console.print(table)
        summary = result.summary()
        counts = ", ".join(f"{n} {s}" for s, n in summary["by_severity"].items() if n)
        failing = result.failing(context.fail_on)
        tail = (
            f"[bold red]{len(failing)} at or above {context.fail_on.value}[/]"
            if failing and context.fail_on
            else "[green]none fails the audit[/]"
        )
        console.print(
            f"{_count(summary['assets'], 'asset')} checked, {_count(summary['findings'], 'finding')}"
            + (f" ({counts})" if counts else "")
            + (f", {summary['waived']} waived" if summary["waived"] else "")
            + f"; {tail}"
        )


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
