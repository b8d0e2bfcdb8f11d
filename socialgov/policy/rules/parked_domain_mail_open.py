"""A parked domain does not refuse mail.

For a domain with `domain.parked = true` (it serves no mail and no site), the latest DNS
observation must show all three: a null MX (`0 .`, RFC 7505), SPF `v=spf1 -all` and
DMARC `p=reject`. Without them anyone can send mail as the parked domain and receivers
have no policy telling them to drop it. Records whose query failed are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import domain_dns


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    if asset.section.get("parked") is not True:
        return
    observation = domain_dns(asset, ctx)
    if observation is None:
        return
    missing = []
    if "mx" not in observation.failed and not observation.null_mx:
        missing.append("a null MX (MX 0 .)")
    if "txt" not in observation.failed and not observation.spf_hard_fail_only:
        missing.append('SPF "v=spf1 -all"')
    if "dmarc" not in observation.failed and observation.dmarc_policy != "reject":
        missing.append("DMARC p=reject")
    if not missing:
        return
    yield ctx.finding(
        asset,
        keys=("domain.parked", "domain"),
        message=f"{asset.name} is parked but does not refuse mail: it lacks " + ", ".join(missing),
        hint=f"publish at {asset.name} a null MX (MX 0 .) and TXT 'v=spf1 -all', "
        f"and at _dmarc.{asset.name} TXT 'v=DMARC1; p=reject'",
        subject="parked",
    )


RULE = Rule(
    RuleInfo(
        id="parked-domain-mail-open",
        severity=Severity.MEDIUM,
        summary="A parked domain lacks null MX, SPF -all or DMARC p=reject.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"dns_observations"}),
    ),
    check,
)
