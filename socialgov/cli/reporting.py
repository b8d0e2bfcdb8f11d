"""Render audit and check results, and the invalid files that stop them, with the reporters.

The `--format` choices of `audit` and `check` are the names in socialgov.report.REPORTERS.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.cli.output import Pieces, emit_table, emit_text

if TYPE_CHECKING:
    from socialgov.errors import InputError
    from socialgov.policy.result import AuditResult
    from socialgov.report import ReportContext
    from socialgov.report.github import GithubReporter


def report_names() -> list[str]:
    """The --format choices: every reporter's name, the default (table) first."""
    from socialgov.report import REPORTERS

    return list(REPORTERS)


def emit_report(
    format: str, result: AuditResult, context: ReportContext, output: Path | None
) -> None:
    from socialgov.report import REPORTERS
    from socialgov.report.table import TableReporter

    reporter = REPORTERS[format]()
    if isinstance(reporter, TableReporter):
        emit_table(lambda console: reporter.print(console, result, context), output)
    else:
        emit_text(lambda put: reporter.write_pieces(result, context, put), output)
    _step_summary(format, lambda r: r.step_summary(result, context))


def rendered_alone(format: str) -> bool:
    """Whether a report in `format` is text made from the audit alone, which a run may keep
    (registry/output_memo.py): a table depends on the terminal, and GitHub's format also
    appends to $GITHUB_STEP_SUMMARY when that is set."""
    return format != "table" and not (format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"))


def render_report(format: str, result: AuditResult, context: ReportContext) -> Pieces:
    """The report, in a format other than the terminal's table, as a function that writes its
    pieces as they are made (see cli.output.emit_text)."""
    from socialgov.report import REPORTERS

    reporter = REPORTERS[format]()
    return lambda put: reporter.write_pieces(result, context, put)


def emit_invalid(
    format: str, error: InputError, context: ReportContext, output: Path | None
) -> None:
    """Every invalid file of `error` in `format`; the caller raises it afterwards (exit 2)."""
    from socialgov.errors import each_error
    from socialgov.report import REPORTERS
    from socialgov.report.table import TableReporter

    errors = each_error(error)
    reporter = REPORTERS[format]()
    if isinstance(reporter, TableReporter):
        # On a terminal the error paragraph on stderr lists them; a file gets the table.
        if output is not None:
            emit_text(reporter.render_errors(errors, context), output)
    else:
        emit_text(reporter.render_errors(errors, context), output)
    _step_summary(format, lambda r: r.step_summary_errors(errors, context))


def _step_summary(format: str, render: Callable[[GithubReporter], str]) -> None:
    """GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if format != "github" or not target:
        return
    from socialgov.report.github import GithubReporter

    text = render(GithubReporter())
    with open(target, "a", encoding="utf-8") as summary:
        summary.write(text)
