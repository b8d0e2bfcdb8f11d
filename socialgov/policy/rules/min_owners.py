"""Fewer active owners than `min` on an asset that matters.

Applies by default to assets of criticality `high` (set `criticalities` in the policy to
widen it). An active owner is a person whose status is `active` or a team with at least
one active member; a backup owner keeps the asset governed when the first one leaves.

Options: `min` (default 2).
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Option, Rule, RuleContext, RuleInfo
from socialgov.registry.schema import INT
from socialgov.words import plural


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    wanted: int = ctx.options["min"]
    active = [o for o in asset.owners if ctx.roster.is_active_owner(o)]
    if len(active) < wanted:
        yield ctx.finding(
            asset,
            keys=("owners",),
            message=f"{asset.id} ({asset.criticality.value} criticality) has {plural(len(active), 'active owner')}; at least {wanted} expected",
            hint=f"add a backup owner: socialgov owners {asset.id} --add PERSON",
        )


RULE = Rule(
    RuleInfo(
        id="min-owners",
        severity=Severity.MEDIUM,
        summary="Fewer active owners than `min` on assets of the given criticalities.",
        doc=__doc__ or "",
        options=(Option("min", INT, 2, "the fewest active owners accepted"),),
        criticalities=("high",),
    ),
    check,
)
