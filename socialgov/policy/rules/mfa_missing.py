"""A social account without multi-factor authentication.

`social.mfa` must be `true`; missing counts as off.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    if asset.section.get("mfa") is not True:
        state = "off" if "mfa" in asset.section else "not recorded"
        yield ctx.finding(
            asset,
            keys=("social.mfa", "social"),
            message=f"{asset.id} has multi-factor authentication {state}",
            hint="turn on MFA with a shared authenticator, then set social.mfa = true",
        )


RULE = Rule(
    RuleInfo(
        id="mfa-missing",
        severity=Severity.MEDIUM,
        summary="A social account without `mfa = true`.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.SOCIAL}),
    ),
    check,
)
