"""`--format sarif`: SARIF 2.1.0 for code-scanning tools; each rule listed once, results by index."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from socialgov import __version__
from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter

if TYPE_CHECKING:
    from socialgov.policy.result import AuditResult, Finding
    from socialgov.policy.rule import RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning ranks security results by this CVSS-like score.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _rule(info: RuleInfo) -> dict[str, Any]:
    doc = info.doc.strip() or info.summary
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.split("-")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": doc},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVEL[info.severity]},
        "properties": {
            "tags": ["socialgov", "governance"],
            "security-severity": SECURITY_SEVERITY[info.severity],
        },
    }


def _result(finding: Finding, index: int, context: ReportContext) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVEL[finding.severity],
        "message": {"text": f"{finding.asset}: {finding.message}\nhint: {finding.hint}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": context.repo_path(finding.file),
                        "uriBaseId": SRCROOT,
                    },
                    "region": {"startLine": max(finding.line, 1)},
                },
                "logicalLocations": [{"name": str(finding.asset), "kind": "resource"}],
            }
        ],
        "partialFingerprints": {"socialgov/v1": finding.fingerprint},
        "properties": {"severity": finding.severity.value, "asset": str(finding.asset)},
    }
    if finding.waived:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if finding.waiver is not None:
            suppression["justification"] = (
                f"{finding.waiver.reason} (approved by {finding.waiver.approved_by}, "
                f"until {finding.waiver.expires.isoformat()})"
            )
        result["suppressions"] = [suppression]
    new = context.is_new(finding)
    if new is not None:
        result["baselineState"] = "new" if new else "unchanged"
    return result


class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)"

    def render(self, result: AuditResult, context: ReportContext) -> str:
        from socialgov.policy.rules import RULES

        infos = {info.id: info for info in result.rules}
        for finding in result.findings:
            infos.setdefault(finding.rule, RULES[finding.rule].info)
        index = {rule_id: i for i, rule_id in enumerate(infos)}
        rules = [_rule(info) for info in infos.values()]
        document = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "socialgov",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "rules": rules,
                        }
                    },
                    "originalUriBaseIds": {
                        SRCROOT: {"description": {"text": "The top of the git repository."}}
                    },
                    "results": [_result(f, index[f.rule], context) for f in result.findings],
                    "columnKind": "unicodeCodePoints",
                }
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
