"""A domain has expired, or the latest observation says it is not registered.

The expiry date is the latest observation's when there is one, else the recorded
`domain.expires`. An expired domain can be registered by anyone after the grace period.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is not None and observation.registered is False:
        yield ctx.finding(
            asset,
            keys=("domain.expires", "domain"),
            message=f"{asset.name} is not registered according to the latest observation",
            hint="register it again at once, or retire the asset: socialgov retire "
            + str(asset.id),
        )
        return
    found = asset.effective_expiry(observation)
    if found is not None and found[0] < ctx.today:
        expires = found[0]
        yield ctx.finding(
            asset,
            keys=("domain.expires", "domain"),
            message=f"{asset.name} expired on {expires.isoformat()}",
            hint="renew it now (most registries allow redemption for a while), or retire the asset",
        )


RULE = Rule(
    RuleInfo(
        id="domain-expired",
        severity=Severity.CRITICAL,
        summary="Domain past its expiry date, or observed as not registered.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
