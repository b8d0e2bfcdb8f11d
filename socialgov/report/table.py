"""`--format table`: findings for people, grouped by severity, with owners and hints (rich)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter, error_message, error_where, headline
from socialgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.errors import InputError
    from socialgov.policy.result import AuditResult, Finding

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

    def render(self, result: AuditResult, context: ReportContext) -> str:
        from rich.console import Console

        buffer = io.StringIO()
        self.print(Console(file=buffer, width=140, no_color=True), result, context)
        return buffer.getvalue()

    def print(self, console: Console, result: AuditResult, context: ReportContext) -> None:
        if context.comparing:
            self._comparison(console, result, context)
            return
        self._tables(console, result.findings, context)
        summary = result.summary()
        counts = ", ".join(f"{n} {s}" for s, n in summary["by_severity"].items() if n)
        failing = result.failing(context.fail_on)
        tail = (
            f"[bold red]{len(failing)} at or above {context.fail_on.value}[/]"
            if failing and context.fail_on
            else "[green]none fails the audit[/]"
        )
        console.print(
            f"{plural(summary['assets'], 'asset')} checked, {plural(summary['findings'], 'finding')}"
            + (f" ({counts})" if counts else "")
            + (f", {summary['waived']} waived" if summary["waived"] else "")
            + f"; {tail}"
        )

    def _comparison(self, console: Console, result: AuditResult, context: ReportContext) -> None:
        """Headline, new findings in full, then fixed, governance changes, pre-existing in brief."""
        from rich.markup import escape

        new = context.new(result)
        style = "bold red" if context.failing(result) else "bold green" if not new else "yellow"
        console.print(f"[{style}]{escape(headline(result, context))}[/]")
        if new:
            console.print(f"\nNew findings ({len(new)}):")
            self._tables(console, tuple(new), context)
        if context.fixed:
            console.print(f"\nFixed ({len(context.fixed)}):")
            for finding in context.fixed:
                console.print(
                    f"  ✓ {finding.rule} on {escape(str(finding.asset))}: {escape(finding.message)}"
                )
        if context.changes:
            console.print(f"\nGovernance changes ({len(context.changes)}):")
            for change in context.changes:
                flags = "".join(f" [bold red]⚠ {flag}[/]" for flag in change.flags)
                where = f"{change.file}:{change.line}"
                console.print(f"  {escape(change.message)} [dim]({escape(where)})[/]{flags}")
        old = context.preexisting(result)
        if old:
            console.print(f"\nPre-existing ({len(old)}), not caused by this change:")
            for finding in old:
                waived = " (waived)" if finding.waived else ""
                console.print(
                    f"  [dim]{finding.severity.value} {finding.rule} {escape(str(finding.asset))}"
                    f" {escape(finding.file)}:{finding.line}{waived}[/]"
                )

    def _tables(
        self, console: Console, findings: tuple[Finding, ...], context: ReportContext
    ) -> None:
        from rich.markup import escape
        from rich.table import Table

        for severity in reversed(Severity):
            group = [f for f in findings if f.severity is severity]
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

    def render_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        from rich.console import Console

        buffer = io.StringIO()
        self.print_errors(Console(file=buffer, width=140, no_color=True), errors, context)
        return buffer.getvalue()

    def print_errors(
        self, console: Console, errors: Sequence[InputError], context: ReportContext
    ) -> None:
        from rich.markup import escape
        from rich.table import Table

        table = Table(
            title=f"{plural(len(errors), 'invalid file')}: nothing was audited",
            title_justify="left",
            title_style="bold red",
            expand=True,
        )
        table.add_column("where", ratio=2, overflow="fold")
        table.add_column("problem", ratio=5, overflow="fold")
        for error in errors:
            table.add_row(escape(error_where(error, context)), escape(error_message(error)))
        console.print(table)
