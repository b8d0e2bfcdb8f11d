"""A domain has no CAA record.

Reads the latest DNS observation. Without CAA records any certificate authority may
issue certificates for the domain; with them only the named ones may (RFC 8659). By
default only high-criticality domains are checked (`criticalities`).
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.dns_observation import ADDRESS
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import DOMAIN_KEYS, domain_dns


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = domain_dns(asset, ctx)
    if observation is None or observation.status != ADDRESS or "caa" in observation.failed:
        return
    if observation.caa:
        return
    yield ctx.finding(
        asset,
        keys=DOMAIN_KEYS,
        message=f"{asset.name} has no CAA record: any certificate authority may issue for it",
        hint=f"publish at {asset.name} a CAA record (0 issue 'your-ca.example') for each CA you use",
        subject="caa",
    )


RULE = Rule(
    RuleInfo(
        id="caa-missing",
        severity=Severity.LOW,
        summary="A domain has no CAA record (high-criticality domains by default).",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        criticalities=("high",),
        needs=frozenset({"dns_observations"}),
    ),
    check,
)
