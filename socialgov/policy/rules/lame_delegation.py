"""A name server of the domain does not answer for it authoritatively.

Reads the latest DNS observation of the domain: `socialgov dns` asked each listed name
server directly for the domain's SOA. A server that refuses, fails, times out, has no
address or answers without authority is lame: the delegation points at an account or a
provider nobody maintains any more. Resolvers then fail over slowly, and whoever takes
over the provider account can answer for the domain. Servers that were not asked
(a private address, see `[web] allow_private`) are not flagged.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import domain_dns

_SAID = {
    "refused": "refuses to answer (REFUSED)",
    "servfail": "fails (SERVFAIL)",
    "timeout": "does not answer (timeout)",
    "no-address": "has no address",
    "not-authoritative": "answers without authority",
}


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = domain_dns(asset, ctx)
    if observation is None:
        return
    for server in observation.name_servers:
        if not server.lame:
            continue
        yield ctx.finding(
            asset,
            keys=("domain.name_servers", "domain"),
            message=f"the name server {server.host} of {asset.name} "
            f"{_SAID.get(server.answer, server.answer)} for the domain",
            hint=f"remove {server.host} from the delegation at the registrar, or set the zone "
            "up on it again",
            subject=server.host,
        )


RULE = Rule(
    RuleInfo(
        id="lame-delegation",
        severity=Severity.HIGH,
        summary="A listed name server does not answer authoritatively.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"dns_observations"}),
    ),
    check,
)
