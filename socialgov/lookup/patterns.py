"""General text patterns of registration data: placeholders, "not found", refusals, host names."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A registrant value that hides the holder: GDPR redaction or a privacy/proxy service.
_PLACEHOLDER = re.compile(
    r"redact|privacy|\bproxy\b|withheld|disclos|\bmask(ed|ing)\b|\bgdpr\b|non-?public"
    r"|anonymi[sz]|\bhidden\b|\bconcealed\b|obscured|\bwhois\b|whoisguard"
    r"|(domain|data|id|identity|contact|whois|registrant|private) ?protect"
    r"|\bprivate ?(whois|registration|registrant|domain|person|individual|by design)"
    r"|^\s*private\s*$|on behalf of|\bc/o\b|not (available|applicable|shown|published)"
    r"|statutory|please (query|contact|visit|see)|contact (the )?registrar|select contact"
    r"|^\s*(n/?a|none|null|-+|\*+|\.+)\s*$|data protected",
    re.IGNORECASE,
)


def is_placeholder(value: str) -> bool:
    """True for redaction and privacy-service texts: no evidence of who holds the domain."""
    return bool(_PLACEHOLDER.search(value))


# An answer that says positively that the domain is not registered. Anchored at a line
# start so that legal boilerplate ("…to check whether a domain is available…") never counts.
_NOT_FOUND = re.compile(
    r"^[ \t%#>*\[]*(?:"
    r"no match(es)?\b|not found\b|no entries found|no entry found|no data found|no object found"
    r"|object does not exist|the queried object does not exist|no such domain|nothing found"
    r"|no matching record|object[ _]not[ _]found|domain (name )?not found|domain (name )?not registered"
    r"|domain (name )?(is )?(not known|unknown|available|free)|not registered\b"
    r"|this domain name has not been registered|no information (is )?available"
    r"|we do not have an entry|does not exist in (the )?database|no records? found"
    r"|\S+ (is|was) (free|available)\b|available for (registration|purchase)"
    r"|(domain )?status\s*:\s*(free|available|not registered|no object found|avail)\s*$"
    r"|query_status\s*:\s*\d*\s*available"
    r")",
    re.IGNORECASE | re.MULTILINE,
)

_REFUSED = re.compile(
    r"rate.?limit(ed)? (exceeded|reached)|limit (exceeded|reached)|exceeded (the |your )?"
    r"(query|request|maximum|allowed|daily|hourly|rate)|too many (requests|queries|connections)"
    r"|quota (exceeded|reached)|try again (later|in)|temporarily (blocked|denied|unavailable|"
    r"restricted)|access (denied|refused|blocked)|blacklisted|you have been (blocked|banned)"
    r"|maximum (number of )?(queries|requests)|please wait \d+",
    re.IGNORECASE,
)


def says_not_found(text: str) -> bool:
    return bool(_NOT_FOUND.search(text))


def says_refused(text: str) -> str | None:
    """The refusal line (rate limit, block) if the answer is one, else None."""
    m = _REFUSED.search(text)
    if not m:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    return text[start : end if end != -1 else len(text)].strip(" %#>*\t")[:160]


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NS_SPLIT = re.compile(r"[\s,;]+")


def host_name(token: str) -> str | None:
    """A DNS host name from a token (`NS1.X.COM.`, `ns1.x.com[OK]`); None for IPs and junk."""
    name = token.strip().strip("[](){}<>\"'").lower().rstrip(".")
    if "." not in name or len(name) > 253:
        return None
    labels = name.split(".")  # IPv6 fails the label pattern, IPv4 the all-digit last label
    if not all(_HOST_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None
    return name


def name_servers_in(value: str) -> list[str]:
    """Host names in one WHOIS value: `ns1.x.com 1.2.3.4`, `ns1.x.com (1.2.3.4) [OK]`, `a, b`."""
    return [name for token in _NS_SPLIT.split(value) if (name := host_name(token))]


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """De-duplicated, order kept."""
    return tuple(dict.fromkeys(v for v in values if v))


# A registrar name is often followed by one identifier: `(292)`, `(R151-LRMS)`, `R45-ME`.
_TRAILING_ID = re.compile(r"\s*\((?:[A-Z]*\d[\w-]*|IANA[^)]*)\)\s*$", re.IGNORECASE)
_TRAILING_URL = re.compile(r"\s*\(\s*(https?://|www\.)[^)]*\)\s*$", re.IGNORECASE)
_TRAILING_HANDLE = re.compile(r"\s+R\d+-[A-Z0-9]+\s*$")


_NO_VALUE = re.compile(
    r"^\s*(n/?a|none|null|unknown|not (available|applicable|disclosed)|redacted.*|-+|\*+)\s*$",
    re.IGNORECASE,
)


def clean_registrar(value: str, *, strip_id: bool = False) -> str | None:
    """The registrar's name; `strip_id` for the older `Sponsoring Registrar: Name (ID)` keys,
    whose values carry the registry's identifier of the registrar after the name."""
    name = _TRAILING_URL.sub("", " ".join(value.split()))
    if strip_id:
        stripped = _TRAILING_ID.sub("", name)
        if stripped == name:
            stripped = _TRAILING_HANDLE.sub("", name)
        name = stripped
    name = name.strip(" ,;")
    if not name or _NO_VALUE.match(name):
        return None
    return name


_EPP_STATUS = re.compile(r"^([a-zA-Z]+)(\s+https?://\S+)?$")


def statuses_in(value: str) -> list[str]:
    """EPP status codes keep their camelCase; anything else is kept as written."""
    out: list[str] = []
    for part in re.split(r"\s*,\s*", value.strip()):
        if not part:
            continue
        m = _EPP_STATUS.match(part)
        first = part.split()[0]
        if m:
            out.append(m[1])
        elif re.match(r"^[a-z]+[A-Z]\w+$", first):
            out.append(first)
        else:
            out.append(" ".join(part.split()))
    return out
