"""Audit commands: audit, rules, waive."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from socialgov.cli.completion import complete_asset, complete_handle, complete_owner
from socialgov.cli.options import (
    AUTHOR,
    CHANGE_FORMAT,
    DRY_RUN,
    NO_COMMIT,
    OUTPUT,
    ChangeFormat,
    run_change,
)
from socialgov.cli.output import (
    ViewFormat,
    chatter,
    emit_output,
    emit_remembered,
    emit_table,
    emit_text,
    output_memo,
    to_json,
)
from socialgov.cli.reporting import rendered_alone, report_names
from socialgov.cli.state import leave_for_exit, parse_date, state
from socialgov.words import plural

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from socialgov.policy.audit_snapshot import AuditSnapshot
    from socialgov.registry.output_memo import OutputMemo

AuditFormat = StrEnum("AuditFormat", {name: name for name in report_names()})  # type: ignore[misc]


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
    app.command("rules")(rules)
    app.command("waive")(waive)


def audit(
    ctx: typer.Context,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="SEVERITY",
            help="Exit 1 when an unwaived finding is at or above this severity: info, low, medium, high, critical, or none.",
        ),
    ] = "high",
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", metavar="RULE", help="Run only this rule (repeatable)."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Only assets of this kind: domain, blog, social (repeatable).",
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="HANDLE",
            autocompletion=complete_owner,
            help="Only assets this person or team:NAME owns (directly or through a team).",
        ),
    ] = None,
    department: Annotated[
        str | None,
        typer.Option("--department", metavar="NAME", help="Only assets of this department."),
    ] = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy",
            metavar="FILE|NAME",
            help="Policy file (or shipped name: default, strict) instead of socialgov.toml's [policy] files (repeatable).",
        ),
    ] = None,
    format: Annotated[
        AuditFormat,
        typer.Option("--format", "-f", help="Output format."),
    ] = "table",  # type: ignore[assignment]
    output: OUTPUT = None,
) -> None:
    """Run every enabled rule over the registry; exit 1 on findings at or above --fail-on.

    Example: socialgov audit --fail-on medium --kind domain --format sarif -o audit.sarif
    """
    from socialgov.cli.reporting import emit_invalid, emit_report, render_report
    from socialgov.errors import InputError, UsageError
    from socialgov.model import Kind
    from socialgov.policy.audit_snapshot import patched_audit
    from socialgov.policy.findings_memo import audit_remembering
    from socialgov.policy.inputs import working_tree_inputs
    from socialgov.report.base import owners_by_asset

    st = state(ctx)
    threshold = _severity(fail_on)
    try:
        kinds = [Kind(k.lower()) for k in kind] if kind else None
    except ValueError:
        raise UsageError(f"--kind {kind!r}: expected domain, blog or social") from None
    loaded = None
    if policy:
        from socialgov.policy.config import load_policy_paths

        loaded = load_policy_paths(policy)
    root = st.root()
    memo = None
    given = [p for p in policy or () if p.is_file()]
    if rendered_alone(str(format)):
        memo = output_memo(ctx, root, st.today, given)
        if (kept := memo.recall()) is not None:
            emit_output(kept, output, quiet=st.quiet)
    whole = not rule and not kinds and owner is None and department is None
    snapshot = _snapshot(root, st.today, memo, given, output) if whole else None
    patched = patched_audit(snapshot, root, today=st.today, policy=loaded) if snapshot else None
    if patched is not None:
        result, owners = patched
        context = _context(str(format), root, threshold, owners if format == "table" else None)
    else:
        try:
            inputs = working_tree_inputs(root, policy=loaded, eager=True)
        except InputError as exc:
            emit_invalid(str(format), exc, _context(str(format), root, threshold), output)
            raise
        scope = None
        if owner is not None or department is not None:
            from socialgov.registry.query import AssetFilter, filter_assets

            where = AssetFilter.from_options(department=department, today=st.today)
            scope = [a.id for a in filter_assets(inputs.registry, owner=owner, where=where)]
        result = audit_remembering(
            root, inputs, today=st.today, rules=rule, kinds=kinds, assets=scope, snapshot=snapshot
        )
        owned = owners_by_asset(inputs.registry) if format == "table" else None  # the table's
        context = _context(str(format), root, threshold, owned)
        # Letting go of the registry and the findings would take seconds at 100,000 assets;
        # the report is written as it is made, never held whole beside them.
        leave_for_exit(inputs, result)
    failing = result.failing(threshold)
    note = ""
    if failing and str(format) != "table":
        note = f"{plural(len(failing), 'finding')} at or above {fail_on}; exit 1"
    code = result.exit_code(threshold)
    if memo is None:
        emit_report(str(format), result, context, output)
        if note:
            chatter(note, quiet=st.quiet)
        raise typer.Exit(code)
    report = render_report(str(format), result, context)
    emit_remembered(memo, report, code, note, output, quiet=st.quiet)


def _severity(text: str) -> Any:
    from socialgov.errors import UsageError
    from socialgov.model import Severity

    if text.lower() == "none":
        return None
    try:
        return Severity(text.lower())
    except ValueError:
        raise UsageError(
            f"--fail-on {text!r}: expected one of {', '.join(s.value for s in Severity)}, or none"
        ) from None


def _context(format: str, root: Path, threshold: Any, owners: Any = None) -> Any:
    from socialgov.report import ReportContext

    prefix = ""
    if format in ("github", "sarif", "junit", "markdown"):
        from socialgov.report.paths import repo_prefix

        prefix = repo_prefix(root)
    return ReportContext(owners=owners, prefix=prefix, fail_on=threshold)


def _snapshot(
    root: Path, today: date, memo: OutputMemo | None, given: list[Path], output: Path | None
) -> AuditSnapshot | None:
    """The snapshot of this whole audit's context (None: caching is off, or no context)."""
    from socialgov.policy.audit_snapshot import open_snapshot
    from socialgov.registry.content_cache import enabled
    from socialgov.registry.output_memo import output_inside, tree_entries

    if not enabled():
        return None
    if memo is None:
        return open_snapshot(root, today, tree_entries(root, output_inside(root, output)), given)
    entries, memo.entries = memo.entries, None  # the snapshot keeps what it needs of them
    return open_snapshot(root, today, entries, given)


def rules(
    rule: Annotated[
        str | None, typer.Argument(metavar="RULE", help="Show this rule's full documentation.")
    ] = None,
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
) -> None:
    """List the rules with their default severity, options and a line of help.

    Example: socialgov rules waiver-unused
    """
    from socialgov.errors import UsageError
    from socialgov.policy.rules import RULES
    from socialgov.registry.schema import did_you_mean

    infos = [r.info for r in RULES.values()]
    if rule is not None:
        if rule not in RULES:
            raise UsageError(f"unknown rule {rule!r}", hint=did_you_mean(rule, list(RULES)))
        infos = [RULES[rule].info]
    if format is ViewFormat.json:
        emit_text(to_json([i.to_json() for i in infos]), output)
    elif rule is not None:
        info = infos[0]
        text = f"{info.id} ({info.severity.value})\n\n{info.doc.strip()}\n"
        if info.options:
            text += "\noptions:\n" + "".join(
                f"  {o.name} = {o.default!r}  ({o.type.name}) {o.help}\n" for o in info.options
            )
        emit_text(text, output)
    else:
        emit_table(lambda c: _rules_table(c, infos), output)


def _rules_table(console: Console, infos: list[Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=plural(len(infos), "rule"), title_justify="left")
    for column in ("rule", "severity", "applies to", "options", "what it finds"):
        table.add_column(column, overflow="fold")
    for info in infos:
        scope = ", ".join(sorted(k.value for k in info.kinds)) if info.kinds else "all"
        if info.criticalities:
            scope += f" ({'/'.join(info.criticalities)})"
        options = ", ".join(f"{o.name}={o.default!r}" for o in info.options)
        table.add_row(info.id, info.severity.value, scope, escape(options), escape(info.summary))
    console.print(table)


def waive(
    ctx: typer.Context,
    rule: Annotated[str, typer.Argument(metavar="RULE", help="The rule id, e.g. mfa-missing.")],
    asset: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            autocompletion=complete_asset,
            help="The asset id (or its name where unambiguous).",
        ),
    ],
    reason: Annotated[
        str, typer.Option("--reason", metavar="REASON", help="Why the exception is accepted.")
    ] = ...,  # type: ignore[assignment]
    approved_by: Annotated[
        str,
        typer.Option(
            "--approved-by",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="The person of the roster who approved it (not one who has left).",
        ),
    ] = ...,  # type: ignore[assignment]
    until: Annotated[
        str,
        typer.Option(
            "--until",
            metavar="DATE",
            help="Last day the waiver applies, YYYY-MM-DD (at most the policy's [waivers] max_days ahead, default 365).",
        ),
    ] = ...,  # type: ignore[assignment]
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Record an accepted exception in waivers.toml, in one commit.

    Example: socialgov waive mfa-missing x/examplecorp --reason "shared login" --approved-by carol --until 2027-03-31
    """
    from socialgov.changes.waivers import add_waiver

    st = state(ctx)
    until_date = parse_date(until, "--until")
    assert until_date is not None
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: add_waiver(
            tx,
            registry,
            rule=rule,
            asset=asset,
            reason=reason,
            approved_by=approved_by,
            until=until_date,
            today=st.today,
        ),
        dry_run=dry_run,
        format=format,
    )
