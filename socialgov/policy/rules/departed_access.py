"""A departed person still holds credentials.

Looks at `access` (people who hold the credentials without being owners) and, for social
accounts, `recovery_phone_holder`: whoever holds the recovery phone can take the account.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import describe


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    people = ctx.roster.people
    for handle in asset.access:
        person = people.get(handle)
        if person is not None and person.departed:
            yield ctx.finding(
                asset,
                keys=("access",),
                message=f"{describe(person)} still has access to {asset.id}",
                hint="remove them from access and rotate the credentials",
                subject=f"access:{handle}",
            )
    if asset.kind is Kind.SOCIAL:
        holder = asset.section.get("recovery_phone_holder")
        person = people.get(holder) if isinstance(holder, str) else None
        if person is not None and person.departed:
            yield ctx.finding(
                asset,
                keys=("social.recovery_phone_holder", "social"),
                message=f"the recovery phone of {asset.id} is held by {describe(person)}",
                hint="move account recovery to a phone an active person or team holds",
                subject=f"recovery:{person.handle}",
            )


RULE = Rule(
    RuleInfo(
        id="departed-access",
        severity=Severity.HIGH,
        summary="A departed person still holds credentials (access, recovery phone).",
        doc=__doc__ or "",
    ),
    check,
)
