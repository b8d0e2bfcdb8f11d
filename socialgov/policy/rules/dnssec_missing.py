"""A domain is not signed with DNSSEC, or its signatures do not validate.

Reads the latest DNS observation: a DS record at the parent and a DNSKEY at the apex are
both needed, and the keys must match the DS and validate the zone's SOA. A DS without
matching keys is worse than none: validating resolvers then refuse to resolve the domain.
Disabled in the `default` policy, enabled in `strict`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import DOMAIN_KEYS, domain_dns


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = domain_dns(asset, ctx)
    if observation is None or observation.dnssec is None:
        return
    dnssec = observation.dnssec
    if dnssec.ds is None or dnssec.dnskey is None:
        return  # a query failed: nothing to judge
    if dnssec.ds and dnssec.dnskey:
        if dnssec.validates is not False:
            return
        yield ctx.finding(
            asset,
            keys=DOMAIN_KEYS,
            message=f"the DNSSEC signatures of {asset.name} do not validate"
            + (f" ({dnssec.detail})" if dnssec.detail else "")
            + ": validating resolvers cannot resolve it",
            hint="fix the signing or replace the DS record at the registrar with one for "
            "the current key",
            subject="invalid",
        )
        return
    missing = [w for w, present in (("DS", dnssec.ds), ("DNSKEY", dnssec.dnskey)) if not present]
    yield ctx.finding(
        asset,
        keys=DOMAIN_KEYS,
        message=f"{asset.name} is not signed with DNSSEC (no {' and no '.join(missing)})",
        hint="sign the zone at the DNS provider and publish its DS record at the registrar",
        subject="unsigned",
    )


RULE = Rule(
    RuleInfo(
        id="dnssec-missing",
        severity=Severity.LOW,
        summary="No DS/DNSKEY, or DNSSEC that does not validate.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"dns_observations"}),
    ),
    check,
)
