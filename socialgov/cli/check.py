"""`socialgov check`: the CI mode."""

from __future__ import annotations

from typing import Annotated

import typer

from socialgov.cli.audit import AuditFormat, _severity
from socialgov.cli.options import OUTPUT
from socialgov.cli.output import chatter, emit_table, emit_text
from socialgov.cli.state import state


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def check(
    ctx: typer.Context,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Revision to compare with (e.g. origin/main); read from git objects, never checked out.",
        ),
    ] = None,
    all_findings: Annotated[
        bool, typer.Option("--all", help="Fail on every finding, not only new ones.")
    ] = False,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Severity that fails the run: info, low, medium, high, critical, or none.",
        ),
    ] = "high",
    rule: Annotated[
        list[str] | None, typer.Option("--rule", help="Run only this rule (repeatable).")
    ] = None,
    allow_policy_change: Annotated[
        bool,
        typer.Option(
            "--allow-policy-change",
            help="Check with the change's own policy; by default --base's policy applies.",
        ),
    ] = False,
    format: Annotated[AuditFormat, typer.Option("--format", "-f", help="Output format.")] = "table",  # type: ignore[assignment]
    output: OUTPUT = None,
) -> None:
    """CI mode: validate, audit the working tree and --base, fail only on findings new since --base."""
    from socialgov.ci_check import codeowners_note, run_check
    from socialgov.errors import InputError
    from socialgov.invalid_report import render_invalid
    from socialgov.report import REPORTERS, ReportContext
    from socialgov.report.paths import repo_prefix

    st = state(ctx)
    threshold = _severity(fail_on)
    root = st.root()
    prefix = repo_prefix(root)
    try:
        outcome = run_check(
            root, base=base, today=st.today, rules=rule, allow_policy_change=allow_policy_change
        )
    except InputError as exc:
        rendered = render_invalid(str(format), exc, prefix)
        if rendered is not None:
            emit_text(rendered, output)
        raise
    for note in outcome.notes:
        chatter(f"note: {note}", quiet=st.quiet)
    stale = codeowners_note(outcome.registry)
    context = ReportContext(
        registry=outcome.registry, baseline=outcome.baseline, prefix=prefix, fail_on=threshold
    )
    reporter = REPORTERS[str(format)]()
    summary = _ownership_text(outcome.ownership, stale, markdown=str(format) == "markdown")
    if str(format) == "table":
        from socialgov.report.table import TableReporter

        assert isinstance(reporter, TableReporter)

        def render(console: object) -> None:
            reporter.print(console, outcome.result, context)  # type: ignore[arg-type]
            if summary:
                console.print(summary)  # type: ignore[attr-defined]

        emit_table(render, output)
    else:
        text = reporter.render(outcome.result, context)
        emit_text(text + summary if str(format) == "markdown" else text, output)
        if stale:
            chatter(f"note: {stale}", quiet=st.quiet)
    failing = outcome.failing(threshold, all_findings=all_findings)
    if failing:
        which = "" if all_findings else " new"
        chatter(f"{len(failing)}{which} finding(s) at or above {fail_on}; exit 1", quiet=st.quiet)
        raise typer.Exit(1)


def _ownership_text(lines: tuple[str, ...], stale: str | None, *, markdown: bool) -> str:
    if not lines and not stale:
        return ""
    if markdown:
        text = "\n### What this change does to ownership\n\n" + "".join(
            f"- {line}\n" for line in lines
        )
        return text + (f"\n> **Note:** {stale}\n" if stale else "")
    from rich.markup import escape

    text = "\nWhat this change does to ownership:\n" + "".join(
        f"  {escape(line)}\n" for line in lines
    )
    return text + (f"note: {escape(stale)}\n" if stale else "")
