"""What `dns` and `web` observe for a registry, and where each observation is recorded."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from socialgov.errors import UsageError
from socialgov.lookup.dns import DnsTarget
from socialgov.lookup.web import WebTarget
from socialgov.model import Asset, AssetId, Kind, Registry
from socialgov.registry import paths

DNS_DIR = f"{paths.OBSERVATIONS_DIR}/dns"
WEB_DIR = f"{paths.OBSERVATIONS_DIR}/web"
DOMAIN, HOST = "domain", "host"


def dns_relpath(name: str) -> str:
    return f"{DNS_DIR}/{name}.toml"


def web_stem(asset_id: AssetId) -> str:
    """The asset file's path below its kind's folder, without .toml (`eng-blog`, `x/examplecorp`)."""
    return asset_id.relpath.split("/", 2)[2].removesuffix(".toml")


def web_relpath(asset_id: AssetId) -> str:
    return f"{WEB_DIR}/{web_stem(asset_id)}.toml"


def asset_url(asset: Asset) -> str | None:
    url = asset.section.get("url")
    return url.strip() if isinstance(url, str) and url.strip() else None


def url_host(url: str) -> str | None:
    """The lower-case host of a URL (a bare `blog.example.com` counts as https)."""
    try:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        host = parts.hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def blog_host(asset: Asset) -> str | None:
    """The host a blog runs on (from `blog.url`), or None."""
    if asset.kind is not Kind.BLOG:
        return None
    url = asset_url(asset)
    return url_host(url) if url else None


def dns_targets(
    registry: Registry | None, names: Sequence[str], *, all_assets: bool
) -> list[DnsTarget]:
    """Each name once, with its roles: a domain asset's records, a blog host's CNAME chain.
    A name the registry does not know gets both."""
    domains: set[str] = set()
    hosts: set[str] = set()
    order: list[str] = []
    if registry is not None:
        for asset in sorted(registry.assets.values(), key=lambda a: a.id):
            if not asset.active:
                continue
            if asset.kind is Kind.DOMAIN:
                domains.add(asset.name)
                if all_assets:
                    order.append(asset.name)
            elif (host := blog_host(asset)) is not None:
                hosts.add(host)
                if all_assets:
                    order.append(host)
    order.extend(AssetId.of(Kind.DOMAIN, text).name for text in names)
    targets = []
    for name in dict.fromkeys(order):
        known_domain, known_host = name in domains, name in hosts
        roles = tuple(
            role
            for role, wanted in (
                (DOMAIN, known_domain or not known_host),
                (HOST, known_host or not known_domain),
            )
            if wanted
        )
        targets.append(DnsTarget(name, roles))
    return targets


def web_targets(registry: Registry, ids: Sequence[str], *, all_assets: bool) -> list[WebTarget]:
    """Each asset with a URL (blogs, and any asset with `url`)."""
    from socialgov.registry.query import resolve_id

    chosen: list[Asset] = []
    if all_assets:
        chosen = [
            a
            for a in sorted(registry.assets.values(), key=lambda a: a.id)
            if a.active and asset_url(a)
        ]
    for text in ids:
        asset = registry.assets[resolve_id(registry, text)]
        if asset_url(asset) is None:
            raise UsageError(
                f"{asset.id} has no url to fetch",
                hint=f"set one: socialgov set {asset.id} {asset.kind.value}.url=https://…",
            )
        if asset not in chosen:
            chosen.append(asset)
    out = []
    for asset in chosen:
        url = asset_url(asset)
        assert url is not None
        out.append(WebTarget(str(asset.id), url if "://" in url else f"https://{url}"))
    return out
