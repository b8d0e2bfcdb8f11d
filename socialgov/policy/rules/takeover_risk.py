"""The page at a blog's URL is the hosting service's "unclaimed" page.

Reads the latest web observation (observations/web/NAME.toml). `socialgov web` matched the
page against the signature of the hosting service that the host's CNAME points at
(signatures shipped with socialgov, see docs/dns-web.md): the service no longer has a site
for this name, so anyone can create one and serve pages, collect cookies or receive
password resets under the organisation's name (subdomain takeover).
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import url_keys, web
from socialgov.posture.targets import url_host


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    observation = web(asset, ctx)
    if observation is None or observation.unclaimed is None:
        return
    host = url_host(observation.url) or observation.url
    service = observation.unclaimed.service
    target = observation.cname[-1] if observation.cname else host
    yield ctx.finding(
        asset,
        keys=url_keys(asset),
        message=f"{host} points at {service} ({target}), which shows its unclaimed-site page: "
        "anyone can claim it there and serve pages as " + host,
        hint=f"claim the site at {service} again now, or delete the DNS record of {host}",
        subject=f"{host}|{service}",
    )


RULE = Rule(
    RuleInfo(
        id="takeover-risk",
        severity=Severity.CRITICAL,
        summary="The CNAME target shows the hosting service's unclaimed page.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.BLOG}),
        needs=frozenset({"web_observations"}),
    ),
    check,
)
