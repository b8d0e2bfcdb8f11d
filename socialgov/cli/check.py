"""`socialgov check`: the CI mode."""

from __future__ import annotations

from typing import Annotated

import typer

from socialgov.cli.audit import AuditFormat, _severity
from socialgov.cli.options import OUTPUT
from socialgov.cli.output import chatter
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
        bool,
        typer.Option("--all", help="Fail on (and annotate) every finding, not only new ones."),
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
    from socialgov.cli.reporting import emit_invalid, emit_report
    from socialgov.errors import InputError
    from socialgov.policy.check import codeowners_note, run_check
    from socialgov.report import ReportContext
    from socialgov.report.paths import repo_prefix

    st = state(ctx)
    threshold = _severity(fail_on)
    root = st.root()
    prefix = repo_prefix(root)
    title = "socialgov check"
    try:
        outcome = run_check(
            root, base=base, today=st.today, rules=rule, allow_policy_change=allow_policy_change
        )
    except InputError as exc:
        emit_invalid(str(format), exc, ReportContext(prefix=prefix, title=title), output)
        raise
    for note in outcome.notes:
        chatter(f"note: {note}", quiet=st.quiet)
    comparison = outcome.comparison
    context = ReportContext(
        registry=outcome.registry,
        baseline=outcome.baseline,
        prefix=prefix,
        fail_on=threshold,
        fixed=comparison.fixed if comparison else (),
        changes=outcome.changes,
        all_findings=all_findings,
        base=base,
        title=title,
    )
    emit_report(str(format), outcome.result, context, output)
    stale = codeowners_note(outcome.registry)
    if stale:
        chatter(f"note: {stale}", quiet=st.quiet)
    failing = outcome.failing(threshold, all_findings=all_findings)
    if failing:
        from socialgov.words import plural

        which = "finding" if all_findings else "new finding"
        chatter(f"{plural(len(failing), which)} at or above {fail_on}; exit 1", quiet=st.quiet)
        raise typer.Exit(1)
