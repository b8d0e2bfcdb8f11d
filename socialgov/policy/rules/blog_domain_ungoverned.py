"""A blog runs on a domain that the registry does not hold.

The domain is `blog.domain` when set, else the host of `blog.url`. It is governed when
it, or a parent domain of it (`blog.example.com` under `example.com`), is an active
domain asset. A blog on a hosted platform's own address (`*.wordpress.com`,
`medium.com`, `*.substack.com`, `*.blogspot.com`, …, under any top-level domain) has
no domain to hold, unless `blog.domain` names one.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from socialgov.errors import UsageError
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo

HOSTED = (
    "wordpress.com",
    "medium.com",
    "substack.com",
    "blogspot.com",
    "blogger.com",
    "ghost.io",
    "tumblr.com",
    "github.io",
    "gitlab.io",
    "hashnode.dev",
    "wixsite.com",
    "squarespace.com",
    "webflow.io",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "dev.to",
    "typepad.com",
    "livejournal.com",
    "weebly.com",
)


_PLATFORM_NAMES = frozenset(p.split(".")[0] for p in HOSTED)


def _on_platform(host: str) -> bool:
    """The platform's own address: `x.wordpress.com`, `medium.com/@x`, also under other TLDs."""
    if any(host == p or host.endswith("." + p) for p in HOSTED):
        return True
    labels = host.split(".")
    return len(labels) >= 2 and labels[-2] in _PLATFORM_NAMES


def _host(url: str) -> str | None:
    text = url.strip()
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def governed(host: str, held: frozenset[str]) -> bool:
    labels = host.split(".")
    return any(".".join(labels[i:]) in held for i in range(len(labels) - 1))


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    from socialgov.model.domains import to_ascii

    section = asset.section
    explicit = section.get("domain")
    if explicit:
        key = "blog.domain"
        host: str | None = explicit.removeprefix("domain:")
    else:
        key = "blog.url"
        host = _host(section.get("url", "")) if section.get("url") else None
        if host is None or _on_platform(host):
            return
    try:
        name = to_ascii(host or "")
    except UsageError:
        return
    if governed(name, ctx.data.held_domains):
        return
    yield ctx.finding(
        asset,
        keys=(key, "blog"),
        message=f"{asset.id} runs on {name}, which is not an active domain asset of the registry",
        hint=f"add it: socialgov add domain {name} --owner PERSON (or correct {key})",
        subject=name,
    )


RULE = Rule(
    RuleInfo(
        id="blog-domain-ungoverned",
        severity=Severity.MEDIUM,
        summary="A blog runs on a domain that the registry does not hold.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.BLOG}),
        needs=frozenset({"assets"}),
    ),
    check,
)
