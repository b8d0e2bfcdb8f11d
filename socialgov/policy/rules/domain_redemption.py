"""The latest observation says the domain is in redemption or pending delete.

`redemptionPeriod` (or `pendingRestore`): the domain expired and was deleted; only the
last registrant can still restore it, at a fee, for about 30 days. `pendingDelete`: the
redemption period is over and the registry releases the name for anyone to register
within days. Either way the domain is about to be lost.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is None or observation.registered is not True:
        return
    tiers = observation.tiers
    if tiers.pending_delete:
        yield ctx.finding(
            asset,
            keys=("domain.expires", "domain"),
            message=f"{asset.name} is pending delete: the registry will release it to anyone",
            hint="ask the registrar at once whether it can still be restored; "
            "if not, be ready to register it the moment it is released",
        )
    elif tiers.redemption:
        yield ctx.finding(
            asset,
            keys=("domain.expires", "domain"),
            message=f"{asset.name} is in its redemption period: it expired and was deleted",
            hint="restore it through the registrar now (a restore fee applies), "
            "then turn on auto-renew",
        )


RULE = Rule(
    RuleInfo(
        id="domain-redemption",
        severity=Severity.CRITICAL,
        summary="Observed status redemptionPeriod or pendingDelete.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
