"""Blog and site platforms, recognised by where a host's CNAME or A record points.

The targets are the ones each platform's own documentation tells customers to set for a
custom domain (as of 2026). A host under the organisation's domains that points at one of
them is a blog or site someone set up, and belongs in the registry as a `blog:` asset.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Platform:
    name: str  # the registry's [blog] platform value
    cname_suffixes: tuple[str, ...] = ()  # a CNAME target equal to or under one of these
    addresses: tuple[str, ...] = ()  # A/AAAA addresses the platform asks customers to use


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "wordpress.com", ("wordpress.com", "wpcomstaging.com"), ("192.0.78.24", "192.0.78.25")
    ),
    Platform("blogger", ("ghs.google.com", "ghs.googlehosted.com", "blogspot.com")),
    Platform("medium", ("medium.com",), ("162.159.152.4", "162.159.153.4")),
    Platform("ghost", ("ghost.io",), ("178.128.137.126",)),
    Platform("substack", ("substack.com", "substack-custom-domains.com")),
    Platform("tumblr", ("domains.tumblr.com", "tumblr.com"), ("66.6.44.4",)),
    Platform("github-pages", ("github.io",), tuple(f"185.199.{n}.153" for n in range(108, 112))),
    Platform("netlify", ("netlify.app", "netlify.com"), ("75.2.60.5",)),
    Platform("vercel", ("vercel-dns.com", "vercel.app"), ("76.76.21.21",)),
    Platform(
        "squarespace",
        ("squarespace.com",),
        ("198.185.159.144", "198.185.159.145", "198.49.23.144", "198.49.23.145"),
    ),
    Platform("wix", ("wixdns.net", "wixsite.com"), ("23.236.62.147",)),
    Platform("webflow", ("webflow.com", "webflow.io"), ("75.2.70.75", "99.83.190.102")),
    Platform("hubspot", ("hs-sites.com", "hubspot.net", "hs-sites-eu1.com")),
    Platform("shopify", ("myshopify.com",), ("23.227.38.65",)),
    Platform("weebly", ("weebly.com",), ("199.34.228.49",)),
    Platform("strikingly", ("strikinglydns.com", "strikingly.com")),
    Platform("jimdo", ("jimdo.com", "jimdosite.com")),
    Platform("carrd", ("carrd.co",)),
    Platform("notion", ("notion.site",)),
    Platform("gitbook", ("gitbook.io",)),
    Platform("readthedocs", ("readthedocs.io", "readthedocs.org")),
    Platform("heroku", ("herokudns.com", "herokuapp.com")),
    Platform("azure-app-service", ("azurewebsites.net",)),
    Platform("pantheon", ("pantheonsite.io",)),
    Platform("wpengine", ("wpengine.com", "wpenginepowered.com")),
    Platform("kinsta", ("kinsta.cloud",)),
    Platform("unbounce", ("unbouncepages.com",)),
    Platform("mailchimp-sites", ("mailchimpsites.com",)),
)

_BY_ADDRESS = {address: p for p in PLATFORMS for address in p.addresses}
_SUFFIXES = sorted(
    ((suffix, p) for p in PLATFORMS for suffix in p.cname_suffixes), key=lambda item: -len(item[0])
)


def platform_of(rtype: str, target: str) -> Platform | None:
    """The platform a CNAME target or an A/AAAA address belongs to, if any."""
    if rtype in ("A", "AAAA"):
        return _BY_ADDRESS.get(target)
    if rtype == "CNAME":
        name = target.rstrip(".").lower()
        for suffix, platform in _SUFFIXES:
            if name == suffix or name.endswith("." + suffix):
                return platform
    return None
