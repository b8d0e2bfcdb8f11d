"""`domain.auto_renew` is not true on a domain that matters.

Applies by default to domains of criticality `high` and `medium` (set `criticalities`
in the policy to change that). Missing counts as off.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    if asset.section.get("auto_renew") is not True:
        yield ctx.finding(
            asset,
            keys=("domain.auto_renew", "domain"),
            message=f"auto-renew is {'off' if 'auto_renew' in asset.section else 'not recorded'} for {asset.name} ({asset.criticality.value} criticality)",
            hint="turn on auto-renewal at the registrar, then set domain.auto_renew = true",
        )


RULE = Rule(
    RuleInfo(
        id="auto-renew-off",
        severity=Severity.MEDIUM,
        summary="`auto_renew` not true on a domain of the given criticalities.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        criticalities=("high", "medium"),
    ),
    check,
)
