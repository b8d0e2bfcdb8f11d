"""A departed person still holds credentials.

Looks at `access` (people who hold the credentials without being owners) and, for social
accounts, `recovery_phone_holder`: whoever holds the recovery phone can take the account.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import describe

_REMEDY = {"recovery phone": "move account recovery to a phone an active person or team holds"}


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
    for key, holder, role in asset.section_holders():
        person = people.get(holder)
        if person is not None and person.departed:
            yield ctx.finding(
                asset,
                keys=(key, asset.kind.value),
                message=f"the {role} of {asset.id} is held by {describe(person)}",
                hint=_REMEDY.get(role, f"hand the {role} to an active person or team"),
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
