"""The TLS certificate at an asset's URL expires soon.

Reads the latest web observation: the certificate's `notAfter` is within `warn_days`
(default 30) of `--today`; inside `critical_days` (default 7) the severity rises to
`critical_severity` (default high). A certificate that has already expired, or is not
valid for another reason, is the business of `tls-invalid`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import SEVERITY_TYPE, Option, Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import WEB_KINDS, url_keys, web
from socialgov.posture.targets import url_host
from socialgov.registry.schema import INT
from socialgov.words import plural


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = web(asset, ctx)
    if observation is None or observation.tls is None or not observation.tls.valid:
        return
    expires = observation.tls.not_after.date()
    days = (expires - ctx.today).days
    if days < 0 or days > ctx.options["warn_days"]:
        return
    critical = days <= ctx.options["critical_days"]
    host = url_host(observation.url) or observation.url
    yield ctx.finding(
        asset,
        keys=url_keys(asset),
        message=f"the TLS certificate of {host} expires on {expires.isoformat()}, in {plural(days, 'day')}"
        f" (issuer {observation.tls.issuer})",
        hint=f"renew the certificate of {host}, and check why it is not renewed automatically",
        subject=expires.isoformat(),
        severity=Severity(ctx.options["critical_severity"]) if critical else None,
    )


RULE = Rule(
    RuleInfo(
        id="tls-expiring",
        severity=Severity.MEDIUM,
        summary="The TLS certificate expires within `warn_days` (higher inside `critical_days`).",
        doc=__doc__ or "",
        options=(
            Option("warn_days", INT, 30, "days before notAfter to start warning"),
            Option("critical_days", INT, 7, "days before notAfter when severity rises"),
            Option("critical_severity", SEVERITY_TYPE, "high", "severity inside critical_days"),
        ),
        kinds=WEB_KINDS,
        needs=frozenset({"web_observations"}),
    ),
    check,
)
