"""`--format json`: the SPEC §3 shape; with a baseline, `new`, `fixed` and `changes` (SPEC §10)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from socialgov.report.base import ReportContext, Reporter, finding_json, summary_counts
from socialgov.report.jsontext import pretty_json, pretty_json_pieces

if TYPE_CHECKING:
    from socialgov.errors import InputError
    from socialgov.policy.result import AuditResult


class JsonReporter(Reporter):
    name = "json"
    description = "the findings and a summary as JSON (SPEC §3)"

    def render(self, result: AuditResult, context: ReportContext) -> str:
        return pretty_json(self._document(result, context), end="\n")

    def write_pieces(
        self, result: AuditResult, context: ReportContext, put: Callable[[str], None]
    ) -> None:
        pretty_json_pieces(self._document(result, context), end="\n", sink=put)

    def _document(self, result: AuditResult, context: ReportContext) -> dict[str, Any]:
        summary = result.summary()
        summary.update(summary_counts(result, context))
        document: dict[str, Any] = {
            "findings": (finding_json(f, context) for f in result.findings),
            "summary": summary,
        }
        if context.comparing:
            document["fixed"] = [f.to_json() for f in context.fixed]
            document["changes"] = [c.to_json() for c in context.changes]
        return document

    def render_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        entries = [
            {
                "file": e.file,
                "line": e.line or 1,
                "column": e.column,
                "message": e.detail,
                "hint": e.hint,
            }
            for e in errors
        ]
        summary = {"findings": 0, "errors": len(entries)}
        return _dump({"findings": [], "errors": entries, "summary": summary})


def _dump(document: dict[str, Any]) -> str:
    return pretty_json(document, end="\n")
