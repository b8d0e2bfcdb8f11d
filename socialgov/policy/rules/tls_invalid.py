"""The TLS certificate at an asset's URL is not valid: expired, for another name, or from
an authority nobody trusts.

Reads the latest web observation: `socialgov web` verified the certificate against the
system's CAs (plus `[web] ca_file`) and the host name, and recorded why it failed. A
certificate whose `notAfter` has passed by `--today` counts as expired even if it was
still valid when observed.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.web_observation import EXPIRED
from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import WEB_KINDS, url_keys, web
from socialgov.posture.targets import url_host

_SAID = {
    "expired": "expired on {date}",
    "not-yet-valid": "is not valid yet",
    "wrong-name": "is not valid for this name (it names {names})",
    "untrusted": "is not from a trusted authority ({detail})",
}


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = web(asset, ctx)
    if observation is None or observation.tls is None:
        return
    tls = observation.tls
    problem = tls.problem
    if problem is None and tls.not_after.date() < ctx.today:
        problem = EXPIRED
    if problem is None:
        return
    host = url_host(observation.url) or observation.url
    said = _SAID.get(problem, problem).format(
        date=tls.not_after.date().isoformat(),
        names=", ".join(tls.names) or tls.subject,
        detail=tls.detail or tls.issuer,
    )
    yield ctx.finding(
        asset,
        keys=url_keys(asset),
        message=f"the TLS certificate of {host} {said}",
        hint=f"install a valid certificate for {host} (for example with ACME / Let's Encrypt)",
        subject=problem,
    )


RULE = Rule(
    RuleInfo(
        id="tls-invalid",
        severity=Severity.HIGH,
        summary="The TLS certificate is expired, for another name, or untrusted.",
        doc=__doc__ or "",
        kinds=WEB_KINDS,
        needs=frozenset({"web_observations"}),
    ),
    check,
)
