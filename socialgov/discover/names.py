"""Host and domain names: registrable domains from the public-suffix list, offline.

The list is tldextract's bundled snapshot; socialgov never fetches a newer one at run time.
A name under a suffix the list does not know (`.example`, `.test`, `.corp`) counts its last
label as the suffix, so reserved and private top-level names still group by domain.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tldextract import TLDExtract

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@cache
def _extractor() -> TLDExtract:
    import tldextract

    # No suffix_list_urls and no cache folder: the snapshot inside the package, no network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def split(name: str) -> tuple[str, str]:
    """(registrable domain, public suffix) of a lower-case ASCII name."""
    return _split(name)


@lru_cache(maxsize=262_144)
def _split(name: str) -> tuple[str, str]:
    result = _extractor().extract_str(name, include_psl_private_domains=False)
    suffix = result.suffix
    if not suffix:
        labels = name.rsplit(".", 2)
        suffix = labels[-1]
        domain = ".".join(labels[-2:]) if len(labels) >= 2 else ""
        return domain, suffix
    if not result.domain:
        return "", suffix
    return f"{result.domain}.{suffix}", suffix


def registrable(name: str) -> str:
    """The registrable domain of a host (`shop.example.co.uk` → `example.co.uk`); '' for a bare suffix."""
    return _split(name)[0]


def clean_host(text: str) -> str | None:
    """A host name as certificates, zones and exports write it, to lower-case ASCII; None if it
    is not one (an IP address, an e-mail address, a name with spaces)."""
    name = text.strip().rstrip(".").lower()
    if not name or "." not in name or "@" in name or " " in name:
        return None
    if not name.isascii():
        import idna

        try:
            name = idna.encode(name, uts46=True).decode("ascii")
        except idna.IDNAError:
            return None
    labels = name.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None  # an IPv4 address
    return name


def under(name: str, domain: str) -> bool:
    """Whether `name` is `domain` or a host below it."""
    return name == domain or name.endswith("." + domain)


def parent_in(name: str, domains: set[str] | frozenset[str]) -> str | None:
    """The first of `domains` that `name` is, or lies under, looking up the labels; else None."""
    labels = name.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in domains:
            return candidate
    return None


@cache
def _public_suffixes() -> frozenset[str]:
    return frozenset(_extractor().tlds)


def registrable_with(label: str, suffix: str) -> bool:
    """Whether `label.suffix` is registrable, for a single ASCII label under a known suffix:
    whether the name is its own registrable domain, from a set lookup instead of a full parse."""
    rules = _public_suffixes()
    name = f"{label}.{suffix}"
    if name in rules:
        return False
    return f"*.{suffix}" not in rules or f"!{name}" in rules
