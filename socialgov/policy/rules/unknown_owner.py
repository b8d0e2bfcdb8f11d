"""An owner that is neither a person nor a team of the roster.

Usually a typo, a renamed handle, or a person removed from people.toml. Teams are
written `team:NAME`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    roster = ctx.roster
    for owner in asset.owners:
        if not roster.knows(owner):
            yield ctx.finding(
                asset,
                keys=("owners",),
                message=f"owner {owner!r} of {asset.id} is neither a person nor a team of the roster",
                hint="fix the handle, or add the person with `socialgov people add`",
                subject=owner,
            )


RULE = Rule(
    RuleInfo(
        id="unknown-owner",
        severity=Severity.HIGH,
        summary="An owner that is neither a person nor a team of the roster.",
        doc=__doc__ or "",
    ),
    check,
)
