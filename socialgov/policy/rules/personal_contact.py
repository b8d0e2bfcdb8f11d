"""A contact e-mail outside the organisation's e-mail domains.

Checks the asset's `[contacts]` addresses (registrant, admin, tech, billing, recovery),
a social account's `recovery_email` and a domain's observed registrant e-mail against
`organization.email_domains` of socialgov.toml (subdomains count as the company's). Registrations and recovery tied to a
personal mailbox leave with the person. Skipped when no e-mail domains are configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import OBSERVED_KEYS, observed_registrant_email


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    settings = ctx.settings
    if not settings.email_domains:
        return
    seen: set[str] = set()
    for key, email in asset.contact_emails():
        if not settings.is_company_email(email):
            seen.add(email.lower())
            yield ctx.finding(
                asset,
                keys=(key,),
                message=f"{key} of {asset.id} is {email}, outside the organisation's e-mail domains",
                hint="use a shared company address (e.g. hostmaster@ or social@ your domain)",
                subject=f"{key}:{email.lower()}",
            )
    observed = observed_registrant_email(asset, ctx)
    if observed and observed.lower() not in seen and not settings.is_company_email(observed):
        yield ctx.finding(
            asset,
            keys=OBSERVED_KEYS,
            message=f"the observed registrant e-mail of {asset.name} is {observed}, outside the organisation's e-mail domains",
            hint="have the registrar change the registrant contact to a shared company address",
            subject=f"observed:{observed.lower()}",
        )


RULE = Rule(
    RuleInfo(
        id="personal-contact",
        severity=Severity.MEDIUM,
        summary="A contact e-mail outside the organisation's e-mail domains.",
        doc=__doc__ or "",
        needs=frozenset({"observations"}),
    ),
    check,
)
