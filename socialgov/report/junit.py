"""`--format junit`: JUnit XML, one test case per rule and asset checked, a failure per finding."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from socialgov.report.base import ReportContext, Reporter

if TYPE_CHECKING:
    from socialgov.model import AssetId
    from socialgov.policy.result import AuditResult, Finding


def _text(findings: list[Finding], context: ReportContext) -> str:
    return "\n".join(
        f"{context.repo_path(f.file)}:{f.line}: [{f.severity.value}] {f.message}\nhint: {f.hint}"
        for f in findings
    )


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML for CI test reports (one case per rule and asset)"

    def render(self, result: AuditResult, context: ReportContext) -> str:
        by_pair: dict[tuple[str, AssetId], list[Finding]] = defaultdict(list)
        for finding in result.findings:
            by_pair[(finding.rule, finding.asset)].append(finding)
        suites = ET.Element("testsuites", name="socialgov audit")
        total = failed = skipped = 0
        rule_ids = [info.id for info in result.rules]
        rule_ids += sorted({rule for rule, _ in by_pair} - set(rule_ids))
        for rule_id in rule_ids:
            assets = list(result.checked.get(rule_id, ()))
            assets += sorted({a for r, a in by_pair if r == rule_id} - set(assets))
            suite = ET.SubElement(suites, "testsuite", name=rule_id)
            counts = {"tests": 0, "failures": 0, "skipped": 0}
            for asset_id in assets:
                case = ET.SubElement(suite, "testcase", classname=rule_id, name=str(asset_id))
                counts["tests"] += 1
                findings = by_pair.get((rule_id, asset_id), [])
                open_ = [f for f in findings if not f.waived]
                if open_:
                    worst = max(open_, key=lambda f: f.severity.rank)
                    failure = ET.SubElement(
                        case, "failure", message=worst.message, type=worst.severity.value
                    )
                    failure.text = _text(open_, context)
                    counts["failures"] += 1
                elif findings:
                    waiver = findings[0].waiver
                    reason = f"waived: {waiver.reason}" if waiver else "waived"
                    ET.SubElement(case, "skipped", message=reason)
                    counts["skipped"] += 1
            for key, value in counts.items():
                suite.set(key, str(value))
            suite.set("errors", "0")
            total += counts["tests"]
            failed += counts["failures"]
            skipped += counts["skipped"]
        suites.set("tests", str(total))
        suites.set("failures", str(failed))
        suites.set("skipped", str(skipped))
        suites.set("errors", "0")
        ET.indent(suites)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(suites, encoding="unicode")
            + "\n"
        )
