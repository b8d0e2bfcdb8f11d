"""A waiver past its date.

A waiver in waivers.toml accepts one rule's findings on one asset until `expires`. After
that day the waiver no longer applies, the finding it covered counts again, and this rule
points at the waiver so that it is renewed (`socialgov waive`) or removed.

`max_days` is the longest a waiver should run from the day it was created (0: no limit);
`check --base` flags a waiver added or changed beyond it for reviewers.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Option, Rule, RuleContext, RuleInfo
from socialgov.registry.paths import WAIVERS_FILE
from socialgov.registry.schema import INT


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    for waiver in ctx.data.waivers_by_asset.get(asset.id, ()):
        if waiver.active_on(ctx.today):
            continue
        yield ctx.finding(
            asset,
            message=f"the waiver of {waiver.rule} on {asset.id} expired on {waiver.expires.isoformat()} (approved by {waiver.approved_by}); its findings count again",
            hint=f"fix the finding and delete the waiver, or renew it: socialgov waive {waiver.rule} {asset.id} --until DATE ...",
            subject=f"{waiver.rule}:{waiver.expires.isoformat()}",
            file=WAIVERS_FILE,
            line=waiver.line,
        )


RULE = Rule(
    RuleInfo(
        id="waiver-expired",
        severity=Severity.MEDIUM,
        summary="A waiver past its date; the finding it covered is active again.",
        doc=__doc__ or "",
        options=(Option("max_days", INT, 365, "longest a waiver should run; 0: no limit"),),
    ),
    check,
)
