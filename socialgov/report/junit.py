"""`--format junit`: JUnit XML, one test case per rule and asset checked.

An open finding is a failure; with a baseline (check --base) only a new one is, and
pre-existing and fixed findings are told in the case's output without failing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from socialgov.report.base import ReportContext, Reporter, error_message, error_where

if TYPE_CHECKING:
    from socialgov.errors import InputError
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
        fixed: dict[tuple[str, AssetId], list[Finding]] = defaultdict(list)
        for finding in context.fixed:
            fixed[(finding.rule, finding.asset)].append(finding)
        suites = ET.Element("testsuites", name=context.title)
        total = failed = skipped = 0
        rule_ids = [info.id for info in result.rules]
        rule_ids += sorted({rule for rule, _ in [*by_pair, *fixed]} - set(rule_ids))
        for rule_id in rule_ids:
            assets = list(result.checked.get(rule_id, ()))
            assets += sorted({a for r, a in [*by_pair, *fixed] if r == rule_id} - set(assets))
            suite = ET.SubElement(suites, "testsuite", name=rule_id)
            counts = {"tests": 0, "failures": 0, "skipped": 0}
            for asset_id in assets:
                case = ET.SubElement(suite, "testcase", classname=rule_id, name=str(asset_id))
                counts["tests"] += 1
                findings = by_pair.get((rule_id, asset_id), [])
                open_ = [f for f in findings if not f.waived]
                failing = [
                    f for f in open_ if context.all_findings or context.is_new(f) is not False
                ]
                old = [f for f in open_ if f not in failing]
                out: list[str] = []
                if failing:
                    worst = max(failing, key=lambda f: f.severity.rank)
                    failure = ET.SubElement(
                        case, "failure", message=worst.message, type=worst.severity.value
                    )
                    failure.text = _text(failing, context)
                    counts["failures"] += 1
                elif findings and not open_:
                    waiver = findings[0].waiver
                    reason = f"waived: {waiver.reason}" if waiver else "waived"
                    ET.SubElement(case, "skipped", message=reason)
                    counts["skipped"] += 1
                if old:
                    out.append("pre-existing (not failed):\n" + _text(old, context))
                if (rule_id, asset_id) in fixed:
                    out.append(
                        "fixed by this change:\n" + _text(fixed[(rule_id, asset_id)], context)
                    )
                if out:
                    ET.SubElement(case, "system-out").text = "\n".join(out)
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
        return _dump(suites)

    def render_errors(self, errors: Sequence[InputError], context: ReportContext) -> str:
        count = str(len(errors))
        suites = ET.Element("testsuites", name="socialgov", tests=count, failures="0", errors=count)
        suite = ET.SubElement(
            suites, "testsuite", name="validate", tests=count, failures="0", errors=count
        )
        for error in errors:
            where = error_where(error, context)
            case = ET.SubElement(suite, "testcase", classname="validate", name=where)
            message = error_message(error)
            ET.SubElement(
                case, "error", message=message, type="invalid-file"
            ).text = f"{where}: {message}"
        return _dump(suites)


def _dump(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
