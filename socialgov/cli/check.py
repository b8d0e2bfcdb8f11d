"""`socialgov check`: the CI mode."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.audit import AuditFormat, _severity
from socialgov.cli.options import OUTPUT
from socialgov.cli.output import chatter, emit_output, emit_remembered, output_memo
from socialgov.cli.reporting import rendered_alone
from socialgov.cli.state import state
from socialgov.words import plural

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from socialgov.registry.output_memo import OutputMemo


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
    from socialgov.cli.reporting import emit_invalid, emit_report, render_report
    from socialgov.errors import InputError
    from socialgov.policy.check import codeowners_note, run_check
    from socialgov.report import ReportContext
    from socialgov.report.base import owners_by_asset
    from socialgov.report.paths import repo_prefix

    st = state(ctx)
    threshold = _severity(fail_on)
    root = st.root()
    memo = _memo(ctx, root, st.today, base) if rendered_alone(str(format)) else None
    if memo is not None and (kept := memo.recall()) is not None:
        emit_output(kept, output, quiet=st.quiet)
    prefix = repo_prefix(root)
    title = "socialgov check"
    try:
        outcome = run_check(
            root, base=base, today=st.today, rules=rule, allow_policy_change=allow_policy_change
        )
    except InputError as exc:
        emit_invalid(str(format), exc, ReportContext(prefix=prefix, title=title), output)
        raise
    comparison = outcome.comparison
    context = ReportContext(
        owners=owners_by_asset(outcome.registry) if str(format) == "table" else None,
        baseline=outcome.baseline,
        prefix=prefix,
        fail_on=threshold,
        fixed=comparison.fixed if comparison else (),
        changes=outcome.changes,
        all_findings=all_findings,
        base=base,
        title=title,
    )
    before = [f"note: {note}" for note in outcome.notes]
    after = [f"note: {stale}"] if (stale := codeowners_note(outcome.registry)) else []
    failing = outcome.failing(threshold, all_findings=all_findings)
    if failing:
        which = "finding" if all_findings else "new finding"
        after.append(f"{plural(len(failing), which)} at or above {fail_on}; exit 1")
    code = 1 if failing else 0
    if memo is None:  # the terminal's table, printed as it is made, between the notes
        for note in before:
            chatter(note, quiet=st.quiet)
        emit_report(str(format), outcome.result, context, output)
        for note in after:
            chatter(note, quiet=st.quiet)
        raise typer.Exit(code)
    report = render_report(str(format), outcome.result, context)
    emit_remembered(memo, report, code, "\n".join(before + after), output, quiet=st.quiet)


def _memo(ctx: typer.Context, root: Path, today: date, base: str | None) -> OutputMemo | None:
    """The output memo of a check: besides the working tree, keyed by the commit --base names
    and the repository's CODEOWNERS files (the note on a stale one)."""
    from socialgov.changes.codeowners import DEFAULT_PATH
    from socialgov.errors import SocialgovError
    from socialgov.vcs import Repo

    try:
        repo = Repo.find(root)
        commit = repo.resolve_commit(base) if base is not None else ""
    except SocialgovError:
        return None  # the check itself reports it
    owners = [repo.top / c for c in (DEFAULT_PATH, "CODEOWNERS", "docs/CODEOWNERS")]
    return output_memo(ctx, root, today, [p for p in owners if p.is_file()], facts=[commit])
