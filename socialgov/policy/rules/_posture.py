"""What the DNS and web rules share: finding an asset's recorded observations."""

from __future__ import annotations

from socialgov.lookup.dns_observation import DnsObservation
from socialgov.lookup.web_observation import WebObservation
from socialgov.model import Asset, Kind
from socialgov.policy.rule import RuleContext
from socialgov.posture.targets import blog_host


def domain_dns(asset: Asset, ctx: RuleContext) -> DnsObservation | None:
    """The latest DNS observation of a domain asset, if it was observed as a domain."""
    observation = ctx.data.dns_observations.get(asset.name)
    if observation is None or not observation.is_domain or observation.error:
        return None
    return observation


def host_dns(asset: Asset, ctx: RuleContext) -> tuple[str, DnsObservation] | None:
    """A blog's host and the latest DNS observation of it."""
    host = blog_host(asset)
    if host is None:
        return None
    observation = ctx.data.dns_observations.get(host)
    if observation is None or observation.error:
        return None
    return host, observation


def web(asset: Asset, ctx: RuleContext) -> WebObservation | None:
    return ctx.data.web_observations.get(str(asset.id))


def url_keys(asset: Asset) -> tuple[str, ...]:
    """Where a finding about an asset's URL points: its `url` key, else its table."""
    return (f"{asset.kind.value}.url", asset.kind.value)


DOMAIN_KEYS = ("domain",)
WEB_KINDS = frozenset({Kind.BLOG, Kind.SOCIAL})
