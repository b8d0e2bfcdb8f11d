"""A domain that receives mail has no DMARC policy, or only `p=none`.

Reads the latest DNS observation: the domain has MX records (other than a null MX) but
`_dmarc.DOMAIN` has no `v=DMARC1` record, or its policy is `p=none`, which asks receivers
to deliver spoofed mail anyway. Parked domains are the business of
`parked-domain-mail-open`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import DOMAIN_KEYS, domain_dns


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    if asset.section.get("parked") is True:
        return
    observation = domain_dns(asset, ctx)
    if observation is None or "dmarc" in observation.failed or not observation.receives_mail:
        return
    policy = observation.dmarc_policy
    if observation.dmarc and policy not in (None, "none"):
        return
    if not observation.dmarc:
        message, subject = f"{asset.name} receives mail but publishes no DMARC record", "missing"
    else:
        message, subject = f"{asset.name} has DMARC p=none: spoofed mail is still delivered", "none"
    yield ctx.finding(
        asset,
        keys=DOMAIN_KEYS,
        message=message,
        hint=f"publish at _dmarc.{asset.name} TXT 'v=DMARC1; p=quarantine; rua=mailto:…', "
        "then move to p=reject once the reports are clean",
        subject=subject,
    )


RULE = Rule(
    RuleInfo(
        id="dmarc-missing",
        severity=Severity.MEDIUM,
        summary="A domain with MX has no DMARC record, or p=none.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"dns_observations"}),
    ),
    check,
)
