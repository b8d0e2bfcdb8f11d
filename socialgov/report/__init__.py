"""Audit reporters by format name. The CLI's --format choices come from REPORTERS."""

from __future__ import annotations

from socialgov.report.base import ReportContext, Reporter
from socialgov.report.github import GithubReporter
from socialgov.report.json import JsonReporter
from socialgov.report.junit import JunitReporter
from socialgov.report.markdown import MarkdownReporter
from socialgov.report.sarif import SarifReporter
from socialgov.report.table import TableReporter

REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls
    for cls in (
        TableReporter,
        JsonReporter,
        SarifReporter,
        JunitReporter,
        GithubReporter,
        MarkdownReporter,
    )
}

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
