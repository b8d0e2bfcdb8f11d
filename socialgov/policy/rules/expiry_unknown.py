"""Nobody knows when the domain expires.

Neither the registry (`domain.expires` in the asset file) nor the latest observation gives
an expiry date, so `domain-expiring` and `domain-expired` cannot warn before it lapses.
Some registries publish no expiry date (.de, .nl, .at among others): record the date from
the registrar's invoice or portal in `domain.expires`. A domain observed as not registered
is left to `domain-expired`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is not None and observation.registered is False:
        return
    if asset.effective_expiry(observation) is not None:
        return
    seen = (
        "the latest observation has none"
        if observation is not None and observation.registered is True
        else "there is no successful observation"
    )
    yield ctx.finding(
        asset,
        keys=("domain.expires", "domain"),
        message=f"the expiry date of {asset.name} is unknown: none is recorded and {seen}",
        hint=f"record it: socialgov set {asset.id} domain.expires=YYYY-MM-DD "
        f"(from the registrar), or socialgov whois {asset.name} --record",
    )


RULE = Rule(
    RuleInfo(
        id="expiry-unknown",
        severity=Severity.LOW,
        summary="Neither the registry nor an observation gives an expiry date.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
