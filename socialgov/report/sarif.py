"""`--format sarif`: SARIF 2.1.0 for code-scanning tools; each rule listed once, results by index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from socialgov import __version__
from socialgov.model import Severity
from socialgov.report.base import ReportContext, Reporter, error_message
from socialgov.report.jsontext import pretty_json

if TYPE_CHECKING:
    from socialgov.errors import InputError
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
        """With a baseline, each result has a baselineState; fixed findings are `absent`."""
        from socialgov.policy.rules import RULES

        infos = {info.id: info for info in result.rules}
        for finding in (*result.findings, *context.fixed):
            infos.setdefault(finding.rule, RULES[finding.rule].info)
        index = {rule_id: i for i, rule_id in enumerate(infos)}
        results = [_result(f, index[f.rule], context) for f in result.findings]
        for finding in context.fixed:
            gone = _result(finding, index[finding.rule], context)
            gone["baselineState"] = "absent"
            results.append(gone)
        return _document([_rule(info) for info in infos.values()], results)

    def render_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        results = []
        for error in errors:
            region: dict[str, int] = {"startLine": error.line or 1}
            if error.column:
                region["startColumn"] = error.column
            results.append(
                {
                    "ruleId": INVALID_FILE["id"],
                    "ruleIndex": 0,
                    "level": "error",
                    "message": {"text": error_message(error)},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {
                                    "uri": context.repo_path(error.file),
                                    "uriBaseId": SRCROOT,
                                },
                                "region": region,
                            }
                        }
                    ],
                }
            )
        return _document([INVALID_FILE], results, successful=False)


INVALID_FILE: dict[str, Any] = {
    "id": "invalid-file",
    "name": "InvalidFile",
    "shortDescription": {"text": "A registry file does not load"},
    "defaultConfiguration": {"level": "error"},
}


def _document(
    rules: list[dict[str, Any]], results: list[dict[str, Any]], *, successful: bool = True
) -> str:
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "socialgov",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://github.com/socialgov/socialgov",
                "rules": rules,
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The top of the git repository."}}
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if not successful:
        run["invocations"] = [{"executionSuccessful": False}]
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return pretty_json(document, end="\n")
