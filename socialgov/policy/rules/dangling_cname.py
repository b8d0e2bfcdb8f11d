"""A blog's host is a CNAME to a name that does not exist.

Reads the latest DNS observation of the host of `blog.url` (observations/dns/HOST.toml).
When the CNAME chain ends in NXDOMAIN, the service the blog ran on has let the name go:
whoever registers it there (a new WordPress.com site, a Ghost or Heroku app, a bucket)
serves pages under the organisation's name. A chain that ended in SERVFAIL or a timeout
is not flagged: that says nothing about the target.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.dns_observation import NXDOMAIN
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import host_dns, url_keys


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    found = host_dns(asset, ctx)
    if found is None:
        return
    host, observation = found
    if not observation.cname or observation.cname_end != NXDOMAIN:
        return
    target = observation.cname[-1]
    yield ctx.finding(
        asset,
        keys=url_keys(asset),
        message=f"{host} is a CNAME to {target}, which does not exist (NXDOMAIN): "
        "anyone who claims that name can serve pages as " + host,
        hint=f"delete the CNAME record of {host}, or claim {target} again at the hosting service",
        subject=host,
    )


RULE = Rule(
    RuleInfo(
        id="dangling-cname",
        severity=Severity.HIGH,
        summary="A blog host's CNAME chain ends in NXDOMAIN.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.BLOG}),
        needs=frozenset({"dns_observations"}),
    ),
    check,
)
