"""A waiver approved by someone who has left.

An accepted exception rests on the judgement of the person who approved it. Once they
have departed (or their `leaving_on` date has passed) nobody answers for it any more:
have an active person approve it again with `socialgov waivers renew RULE ID --until DATE
--approved-by HANDLE`, or fix the finding and remove the waiver.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.changes.guards import gone
from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.registry.paths import WAIVERS_FILE


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    for waiver in ctx.data.waivers_by_asset.get(asset.id, ()):
        if not waiver.active_on(ctx.today):
            continue
        person = ctx.roster.people.get(waiver.approved_by)
        reason = gone(person, ctx.today) if person is not None else "is not in the roster"
        if reason is None:
            continue
        who = waiver.approved_by + (f" ({reason})" if person is not None else f", who {reason}")
        yield ctx.finding(
            asset,
            message=f"the waiver of {waiver.rule} on {asset.id} was approved by {who}",
            hint=f"have an active person approve it: socialgov waivers renew {waiver.rule} {asset.id} --until DATE --approved-by HANDLE",
            subject=f"{waiver.rule}:{waiver.approved_by}",
            file=WAIVERS_FILE,
            line=waiver.line,
        )


RULE = Rule(
    RuleInfo(
        id="waiver-approver-departed",
        severity=Severity.MEDIUM,
        summary="A waiver approved by someone who has left.",
        doc=__doc__ or "",
    ),
    check,
)
