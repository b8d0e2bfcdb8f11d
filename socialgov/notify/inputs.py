"""Build what notify, expiring and calendar evaluate: the audit and the deadlines, read once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socialgov.model import Registry
from socialgov.notify.deadlines import Deadline, certificates_of, collect
from socialgov.policy.result import AuditResult


@dataclass(frozen=True)
class Inputs:
    registry: Registry
    today: date
    audit: AuditResult | None
    deadlines: list[Deadline]


def gather(registry: Registry, today: date, *, with_audit: bool = True) -> Inputs:
    from socialgov.policy.findings_memo import audit_remembering
    from socialgov.policy.inputs import working_tree_inputs
    from socialgov.policy.rules import RULES

    inputs = working_tree_inputs(registry)
    policy, observations, waivers = inputs.policy, inputs.observations, inputs.waivers
    # The whole audit, with the findings memo `audit` keeps (registry.root is the tree's).
    result = audit_remembering(registry.root, inputs, today=today) if with_audit else None
    review = policy.config(RULES["review-overdue"].info)
    deadlines = collect(
        registry,
        today=today,
        observations=observations,
        waivers=waivers,
        certificates=certificates_of(inputs.source("web_observations")),
        review_max_age=int(review.options["max_age_days"]) if review.enabled else None,
    )
    return Inputs(registry=registry, today=today, audit=result, deadlines=deadlines)
