"""A social account's credentials were not rotated since someone who held them left.

People who held the credentials are the owners, the people in `access` and the
`recovery_phone_holder`. When one of them has departed, `social.credentials_rotated`
must be on or after their `departed_on` date; a missing rotation date counts as never
rotated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    people = ctx.roster.people
    section = asset.section
    rotated = section.get("credentials_rotated")
    rotated = rotated if isinstance(rotated, date) else None
    holders = dict.fromkeys([*asset.owners, *asset.access])
    holders.update(dict.fromkeys(handle for _, handle, _ in asset.section_holders()))
    for handle in holders:
        person = people.get(handle)
        if person is None or not person.departed:
            continue
        left = person.departed_on
        if rotated is not None and (left is None or rotated >= left):
            continue
        since = f" since {handle} left on {left.isoformat()}" if left else f" since {handle} left"
        last = f"last rotated {rotated.isoformat()}" if rotated else "no rotation recorded"
        yield ctx.finding(
            asset,
            keys=("social.credentials_rotated", "social"),
            message=f"the credentials of {asset.id} were not rotated{since} ({last})",
            hint="rotate the password and tokens, then set social.credentials_rotated to that day",
            subject=handle,
        )


RULE = Rule(
    RuleInfo(
        id="credentials-not-rotated",
        severity=Severity.HIGH,
        summary="Credentials not rotated since someone with access left.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.SOCIAL}),
    ),
    check,
)
