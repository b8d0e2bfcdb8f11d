"""Domain-name validation: IDNA to ASCII (punycode) and back."""

from __future__ import annotations

import re

from socialgov.errors import UsageError

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def to_ascii(name: str) -> str:
    """Validate a domain name and return its lower-case ASCII form (`bücher.example` → `xn--bcher-kva.example`)."""
    text = name.strip().rstrip(".").lower()
    if not text or "/" in text or "\\" in text or ".." in text or text.startswith("."):
        raise UsageError(f"{name!r} is not a domain name", hint="write it like example.com")
    if text.isascii() and _plain_ldh(text):
        return text  # the common case needs no IDNA processing (which is slow per name)
    import idna

    try:
        ascii_name = idna.encode(text, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise UsageError(f"{name!r} is not a valid domain name: {exc}") from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise UsageError(f"{name!r} is not a domain name", hint="write it like example.com")
    return ascii_name


def _plain_ldh(text: str) -> bool:
    labels = text.split(".")
    return len(labels) >= 2 and all(
        _LABEL.fullmatch(label) and label[2:4] != "--" for label in labels
    )


def to_unicode(ascii_name: str) -> str:
    import idna

    try:
        return str(idna.decode(ascii_name))
    except idna.IDNAError:
        return ascii_name
