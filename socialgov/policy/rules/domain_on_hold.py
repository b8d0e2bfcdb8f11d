"""The latest observation says the domain is on hold (`clientHold` or `serverHold`).

A domain on hold is not published in the DNS: its web sites, blogs and mail stop working.
Registrars set `clientHold` for unpaid renewals, failed contact verification or abuse
reports; registries set `serverHold` for disputes and court orders.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.observation import status_key
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    if observation is None or observation.registered is not True:
        return
    if not observation.tiers.on_hold:
        return
    holds = [s for s in observation.statuses if "hold" in status_key(s)]
    server = any(status_key(s).startswith("server") for s in holds)
    yield ctx.finding(
        asset,
        keys=("domain",),
        message=f"{asset.name} is on hold ({', '.join(holds)}): it does not resolve",
        hint=(
            "ask the registrar why the registry holds it (dispute or court order)"
            if server
            else "ask the registrar why it is on hold (unpaid renewal, contact verification, "
            "abuse report) and fix the cause"
        ),
    )


RULE = Rule(
    RuleInfo(
        id="domain-on-hold",
        severity=Severity.HIGH,
        summary="Observed status clientHold or serverHold.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
