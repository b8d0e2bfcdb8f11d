"""The self-contained HTML report: figures from the registry, its audit and its git history, on one page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.forked import forked
from socialgov.htmlreport.data import ReportData

if TYPE_CHECKING:
    from socialgov.htmlreport.posture import PostureData
    from socialgov.model import Registry

__all__ = ["ReportData", "build_report"]


def build_report(root: Path, *, today: date, months: int = 24) -> tuple[str, ReportData]:
    """Load the registry at `root`, audit it, replay `months` of its history; return the page and its figures."""
    from socialgov.htmlreport.data import gather
    from socialgov.htmlreport.discovery import gather_discovery
    from socialgov.htmlreport.history import monthly_history
    from socialgov.htmlreport.render import render_html
    from socialgov.policy.findings_memo import audit_remembering
    from socialgov.policy.inputs import working_tree_inputs
    from socialgov.registry.files import DiskFiles
    from socialgov.registry.load import load_observations
    from socialgov.registry.store import load_current

    registry = load_current(root)
    # The history replay reads git alone: a child replays it while this process audits.
    with forked(lambda: monthly_history(root, today=today, months=months, seed=registry)) as job:
        observations = load_observations(root, disk=root)  # through the content cache
        inputs = working_tree_inputs(registry, observations=observations)
        result = audit_remembering(root, inputs, today=today)  # and audit's findings memo
        data = gather(registry, observations, result.findings, today=today)
        discovered, lookalikes = gather_discovery(registry, DiskFiles(root))
        data = replace(data, discovered=discovered, lookalikes=lookalikes)
        data = replace(data, posture=_posture(registry, today), history=job.result())
    return render_html(data), data


def _posture(registry: Registry, today: date) -> PostureData:
    from socialgov.htmlreport.posture import gather_posture
    from socialgov.posture.load import load_dns_observations, load_web_observations
    from socialgov.registry.files import DiskFiles

    files = DiskFiles(registry.root)
    return gather_posture(
        registry, load_dns_observations(files), load_web_observations(files), today=today
    )
