"""A waiver that matches no finding.

A waiver accepts one rule's findings on one asset. When that rule finds nothing on the
asset any more (the problem was fixed, or the waiver was recorded against the wrong rule
or asset), the waiver only hides whatever appears there next. Remove it with
`socialgov waivers remove RULE ID`. Expired waivers are left to `waiver-expired`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.registry.paths import WAIVERS_FILE

_ID = "waiver-unused"


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    from socialgov.policy.rules import RULES

    for waiver in ctx.data.waivers_by_asset.get(asset.id, ()):
        rule = RULES.get(waiver.rule)
        if rule is None or rule.info.id == _ID or not waiver.active_on(ctx.today):
            continue
        if ctx.data.rule_finds(rule, asset):
            continue
        yield ctx.finding(
            asset,
            message=f"the waiver of {waiver.rule} on {asset.id} (until {waiver.expires.isoformat()}) matches no finding",
            hint=f"remove it: socialgov waivers remove {waiver.rule} {asset.id}",
            subject=waiver.rule,
            file=WAIVERS_FILE,
            line=waiver.line,
        )


RULE = Rule(
    RuleInfo(
        id=_ID,
        severity=Severity.LOW,
        summary="A waiver that matches no finding.",
        doc=__doc__ or "",
        include_retired=True,
    ),
    check,
)
