"""An active asset with no active owner.

An owner is active when it is a person whose status is `active`, or a team with at
least one active member. The asset is orphaned when no owner is listed, or every listed
owner has departed, is on leave, is unknown to the roster, or is an empty team.
Nobody is accountable for it: when it lapses or is taken over, nobody notices.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.model.ownership import is_orphaned
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    if not is_orphaned(asset, ctx.roster):
        return
    listed = ", ".join(asset.owners) if asset.owners else "none listed"
    yield ctx.finding(
        asset,
        keys=("owners",),
        message=f"{asset.id} has no active owner (owners: {listed})",
        hint=f"give it an active owner: socialgov owners {asset.id} --add PERSON",
    )


RULE = Rule(
    RuleInfo(
        id="orphaned",
        severity=Severity.HIGH,
        summary="Active asset with no active owner.",
        doc=__doc__ or "",
    ),
    check,
)
