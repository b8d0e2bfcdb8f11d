"""Build what notify, expiring and calendar evaluate: the audit and the deadlines, read once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date

from socialgov.model import Registry
from socialgov.notify.deadlines import Deadline, collect, read_certificates
from socialgov.policy.result import AuditResult
from socialgov.registry import paths
from socialgov.registry.files import DiskFiles, Files

WEB_OBSERVATIONS_DIR = f"{paths.OBSERVATIONS_DIR}/web"


@dataclass(frozen=True)
class Inputs:
    registry: Registry
    today: date
    audit: AuditResult | None
    deadlines: list[Deadline]


def gather(registry: Registry, today: date, *, with_audit: bool = True) -> Inputs:
    from socialgov.policy.engine import audit
    from socialgov.policy.inputs import working_tree_inputs
    from socialgov.policy.rules import RULES

    files = DiskFiles(registry.root)
    inputs = working_tree_inputs(registry)
    policy, observations, waivers = inputs.policy, inputs.observations, inputs.waivers
    result = audit(inputs, today=today) if with_audit else None
    review = policy.config(RULES["review-overdue"].info)
    deadlines = collect(
        registry,
        today=today,
        observations=observations,
        waivers=waivers,
        certificates=read_certificates(_web_tables(files)),
        review_max_age=int(review.options["max_age_days"]) if review.enabled else None,
    )
    return Inputs(registry=registry, today=today, audit=result, deadlines=deadlines)


def _web_tables(files: Files) -> list[dict[str, object]]:
    tables = []
    for rel in files.walk(WEB_OBSERVATIONS_DIR):
        raw = files.read(rel) if rel.endswith(".toml") else None
        if raw is None:
            continue
        try:
            tables.append(tomllib.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # reported by the web observations' own loader, not by a listing
    return tables
