"""A departed person is still listed as an owner.

The person has left, so the asset's accountability rests with someone who can no longer
act on it. One finding per departed owner, at the `owners` line.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import describe


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    people = ctx.roster.people
    for owner in asset.owners:
        person = people.get(owner)
        if person is not None and person.departed:
            yield ctx.finding(
                asset,
                keys=("owners",),
                message=f"{describe(person)} is still an owner of {asset.id}",
                hint=f"reassign with: socialgov offboard {owner} --to PERSON",
                subject=owner,
            )


RULE = Rule(
    RuleInfo(
        id="departed-owner",
        severity=Severity.HIGH,
        summary="A departed person is still an owner.",
        doc=__doc__ or "",
    ),
    check,
)
