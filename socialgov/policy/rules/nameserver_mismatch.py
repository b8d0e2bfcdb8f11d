"""The observed name servers differ from the recorded ones.

Compares the set of the latest observation's name servers with `domain.name_servers`
(case and a trailing dot ignored). Skipped when either side is empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def hosts(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n.strip().lower().rstrip(".") for n in names if n.strip())


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is None or observation.registered is not True:
        return
    observed = hosts(observation.name_servers)
    recorded = hosts(asset.section.get("name_servers", ()))
    if not observed or not recorded or observed == recorded:
        return
    extra = ", ".join(sorted(observed - recorded)) or "none"
    missing = ", ".join(sorted(recorded - observed)) or "none"
    yield ctx.finding(
        asset,
        keys=("domain.name_servers", "domain"),
        message=f"{asset.name} is delegated to name servers not recorded here (unexpected: {extra}; missing: {missing})",
        hint="if the change was intended, update domain.name_servers; if not, the DNS delegation may have been hijacked",
        subject=",".join(sorted(observed)),
    )


RULE = Rule(
    RuleInfo(
        id="nameserver-mismatch",
        severity=Severity.MEDIUM,
        summary="Observed name servers differ from the recorded ones.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
