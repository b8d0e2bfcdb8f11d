"""A domain that matters lacks a registry lock.

A registry lock is all three of `serverUpdateProhibited`, `serverDeleteProhibited` and
`serverTransferProhibited` in the latest observation (in any spelling: RDAP's "server
update prohibited", WHOIS's `serverUpdateProhibited https://icann.org/epp#…`). The registry
sets them on the registrar's request and lifts them only after an out-of-band check, so a
hijacked registrar account alone cannot move, delete or repoint the domain. A registrar
lock (`client…Prohibited`) does not count: whoever holds the registrar account can lift it.

Applies by default to domains of criticality `high` (set `criticalities` in the policy to
change that), and only to domains observed as registered.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.observation import status_key
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo

_CODES = ("serverUpdateProhibited", "serverDeleteProhibited", "serverTransferProhibited")


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is None or observation.registered is not True:
        return
    tiers = observation.tiers
    if tiers.registry_lock:
        return
    present = {status_key(s) for s in observation.statuses}
    missing = [code for code in _CODES if code.lower() not in present]
    kind = "only a registrar lock" if tiers.registrar_lock else "no lock"
    yield ctx.finding(
        asset,
        keys=("domain",),
        message=f"{asset.name} has {kind}, not a registry lock (missing: {', '.join(missing)})",
        hint="ask the registrar for a registry lock (all three server…Prohibited statuses), "
        f"then record it: socialgov whois {asset.name} --record",
    )


RULE = Rule(
    RuleInfo(
        id="registry-lock-missing",
        severity=Severity.MEDIUM,
        summary="A domain of the given criticalities without all three server…Prohibited statuses.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        criticalities=("high",),
        needs=frozenset({"observations"}),
    ),
    check,
)
