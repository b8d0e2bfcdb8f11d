"""A domain expires soon.

Expires within `warn_days` (default 45). Inside `critical_days` (default 14) the
severity rises to `critical_severity` (default high). The expiry date is the latest
observation's when there is one, else the recorded `domain.expires`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import SEVERITY_TYPE, Option, Rule, RuleContext, RuleInfo
from socialgov.registry.schema import INT
from socialgov.words import plural


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = ctx.observation(asset)
    found = asset.effective_expiry(observation)
    if found is None:
        return
    expires = found[0]
    days = (expires - ctx.today).days
    if days < 0 or days > ctx.options["warn_days"]:
        return
    critical = days <= ctx.options["critical_days"]
    renew = asset.section.get("auto_renew") is True
    yield ctx.finding(
        asset,
        keys=("domain.expires", "domain"),
        message=f"{asset.name} expires on {expires.isoformat()}, in {plural(days, 'day')}"
        + (" (auto-renew is on)" if renew else ""),
        hint="renew it at the registrar (and check the payment method), then record the new date"
        if not renew
        else "check that the auto-renewal will go through (payment method, registrar account)",
        severity=Severity(ctx.options["critical_severity"]) if critical else None,
    )


RULE = Rule(
    RuleInfo(
        id="domain-expiring",
        severity=Severity.MEDIUM,
        summary="Domain expires within `warn_days` (severity rises inside `critical_days`).",
        doc=__doc__ or "",
        options=(
            Option("warn_days", INT, 45, "days before expiry to start warning"),
            Option("critical_days", INT, 14, "days before expiry when severity rises"),
            Option("critical_severity", SEVERITY_TYPE, "high", "severity inside critical_days"),
        ),
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
