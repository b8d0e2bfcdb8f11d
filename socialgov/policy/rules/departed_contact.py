"""A contact e-mail belongs to a departed person.

Matches the asset's contact addresses, a social account's `recovery_email`, and a
domain's observed registrant e-mail against every address of departed people: their
work `email` and the personal `other_emails` of the roster.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import OBSERVED_KEYS, describe, observed_registrant_email


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    by_email = ctx.roster.person_by_email
    seen: set[str] = set()
    for key, email in asset.contact_emails():
        address = email.lower()
        person = by_email.get(address)
        if person is not None and person.departed:
            seen.add(address)
            yield ctx.finding(
                asset,
                keys=(key,),
                message=f"{key} of {asset.id} is {email}, an address of {describe(person)}",
                hint="change it to a shared company address at the registrar or platform, then here",
                subject=f"{key}:{address}",
            )
    observed = observed_registrant_email(asset, ctx)
    if observed and observed.lower() not in seen:
        person = by_email.get(observed.lower())
        if person is not None and person.departed:
            yield ctx.finding(
                asset,
                keys=OBSERVED_KEYS,
                message=f"the observed registrant e-mail of {asset.name} is {observed}, an address of {describe(person)}",
                hint="update the registrant contact at the registrar",
                subject=f"observed:{observed.lower()}",
            )


RULE = Rule(
    RuleInfo(
        id="departed-contact",
        severity=Severity.HIGH,
        summary="A contact e-mail belongs to a departed person (work or personal address).",
        doc=__doc__ or "",
        needs=frozenset({"observations"}),
    ),
    check,
)
