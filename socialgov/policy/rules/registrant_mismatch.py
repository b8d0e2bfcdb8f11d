"""The observed registrant organisation is not the expected one.

Expected is `domain.registrant`, else `organization.name` of socialgov.toml. Case,
punctuation and legal forms (Inc, Ltd, GmbH, …) are ignored. A redacted registrant or a
privacy-service placeholder is no evidence either way and is not a mismatch.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.patterns import is_placeholder
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import normalise_org


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is None or observation.registered is not True:
        return
    observed = observation.registrant_org
    if not observed or observation.registrant_redacted or is_placeholder(observed):
        return
    expected = asset.section.get("registrant") or ctx.settings.org_name
    if normalise_org(observed) != normalise_org(expected):
        yield ctx.finding(
            asset,
            keys=("domain.registrant", "domain"),
            message=f"{asset.name} is registered to {observed!r}, not {expected!r}",
            hint="have the registrar move the registration to the organisation, or correct domain.registrant",
            subject=normalise_org(observed),
        )


RULE = Rule(
    RuleInfo(
        id="registrant-mismatch",
        severity=Severity.HIGH,
        summary="Observed registrant organisation is not the expected one.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
