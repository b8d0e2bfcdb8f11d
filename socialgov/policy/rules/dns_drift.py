"""NS, MX or a blog host's CNAME changed since the previous DNS observation.

Compares the latest DNS observation (observations/dns/NAME.toml) with the one before it
in the registry's git history, like `registration-drift` does for registration data. For
a domain: its NS and MX sets; for a blog: the CNAME chain of its host. A change nobody
planned can mean a hijacked DNS account, or a provider move that was never recorded.
Sides whose query failed are not compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.dns_observation import DnsObservation
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._posture import url_keys
from socialgov.posture.targets import blog_host


def _changes(before: DnsObservation, after: DnsObservation, keys: tuple[str, ...]) -> list[str]:
    changes = []
    for key in keys:
        if key in before.failed or key in after.failed:
            continue
        old, new = getattr(before, key), getattr(after, key)
        if key != "cname":
            old, new = tuple(sorted(old)), tuple(sorted(new))
        if old != new:
            changes.append(f"{key.upper()} {_show(old)} → {_show(new)}")
    return changes


def _show(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "(none)"


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    if asset.kind is Kind.DOMAIN:
        name: str | None = asset.name
        keys: tuple[str, ...] = ("ns", "mx")
        where: tuple[str, ...] = ("domain.name_servers", "domain")
    else:
        name, keys, where = blog_host(asset), ("cname",), url_keys(asset)
    if name is None:
        return
    latest = ctx.data.dns_observations.get(name)
    previous = ctx.data.previous_dns_observations.get(name)
    if latest is None or previous is None or latest.error or previous.error:
        return
    if latest.status != previous.status:
        return  # the name vanished or came back: other rules say what that means
    changes = _changes(previous, latest, keys)
    if not changes:
        return
    yield ctx.finding(
        asset,
        keys=where,
        message=f"the DNS of {name} changed since the previous observation: " + "; ".join(changes),
        hint="confirm the change with the owners; if nobody planned it, check who can edit the zone",
        subject="|".join(f"{k}={','.join(sorted(getattr(latest, k)))}" for k in keys),
    )


RULE = Rule(
    RuleInfo(
        id="dns-drift",
        severity=Severity.HIGH,
        summary="NS, MX or a blog host's CNAME changed since the previous DNS observation.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN, Kind.BLOG}),
        needs=frozenset({"dns_observations", "previous_dns_observations"}),
    ),
    check,
)
