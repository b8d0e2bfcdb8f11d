"""`--format json`: the SPEC §3 shape, `new` only when a baseline is given."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from socialgov.report.base import ReportContext, Reporter, finding_json

if TYPE_CHECKING:
    from socialgov.policy.result import AuditResult


class JsonReporter(Reporter):
    name = "json"
    description = "the findings and a summary as JSON (SPEC §3)"

    def render(self, result: AuditResult, context: ReportContext) -> str:
        summary = result.summary()
        if context.baseline is not None:
            summary["new"] = sum(1 for f in result.findings if context.is_new(f))
        document = {
            "findings": [finding_json(f, context) for f in result.findings],
            "summary": summary,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
