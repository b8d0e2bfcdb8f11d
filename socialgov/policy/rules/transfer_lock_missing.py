"""The observed status lacks a transfer lock.

A registered domain should carry `clientTransferProhibited` or
`serverTransferProhibited` (in any spelling: RDAP's "client transfer prohibited",
WHOIS's `clientTransferProhibited https://icann.org/epp#…`). Without it, a hijacked
registrar account can move the domain away.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo

_LOCK = re.compile(r"(client|server)transferprohibited")
_NON_LETTER = re.compile(r"[^a-z]")


def is_locked(statuses: tuple[str, ...]) -> bool:
    return any(_LOCK.search(_NON_LETTER.sub("", s.lower())) for s in statuses)


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is None or observation.registered is not True:
        return
    if not is_locked(observation.statuses):
        shown = ", ".join(observation.statuses) or "no status"
        yield ctx.finding(
            asset,
            keys=("domain",),
            message=f"{asset.name} has no transfer lock (observed: {shown})",
            hint="turn on the registrar lock (clientTransferProhibited) at the registrar",
        )


RULE = Rule(
    RuleInfo(
        id="transfer-lock-missing",
        severity=Severity.MEDIUM,
        summary="Observed status lacks a transfer lock.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
