"""Recognise values that look like a password, token or private key, without echoing them.

Used by the `secret-in-registry` rule and by the commands that write asset files, which
refuse to put a secret into the registry in the first place.
"""

from __future__ import annotations

import math
import re

_KNOWN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    (
        "a GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})"),
    ),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("an AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a Stripe key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}")),
    ("a GitLab token", re.compile(r"\bglpat-[0-9A-Za-z_-]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}")),
    ("an API key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}")),
    (
        "a JSON web token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ),
    ("credentials in a URL", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)),
    (
        "a password",
        re.compile(
            r"(?i)\b(?:password|passwd|pwd|passcode|passphrase|secret|api[_ -]?key|access[_ -]?token|auth[_ -]?token|token|pin)\s*[:=]\s*[\"']?(?!(?:stored|kept|managed|held|see|in|at|via|from|the|is|are|was|rotated|reset|changed|set|none|unknown|tbd|n/a)\b)[^\s\"']{4,}"
        ),
    ),
)
_REFERENCE = re.compile(
    r"^(?:op|1password|vault|bitwarden|bw|keychain|keepass|lastpass|pass|secret|aws-sm|gcp-sm|azure-kv)(?::|://)\S*$",
    re.I,
)
_CANDIDATE = re.compile(r"[A-Za-z0-9+=_-]{24,}")
_WORD_OR_NUMBER = re.compile(r"^(?:[A-Za-z]+|[0-9]+)$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_HEX = re.compile(r"^[0-9a-fA-F]+$")
# Fast pre-filter: most values are short, plain words; only these can hold a secret.
_MAYBE = re.compile(r"[:=@_-]|[A-Za-z0-9+/]{16}|-----BEGIN")


def _entropy(text: str) -> float:
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _high_entropy(text: str) -> bool:
    for token in _CANDIDATE.findall(text):
        if _UUID.match(token) or not re.search(r"\d", token) or not re.search(r"[A-Za-z]", token):
            continue
        if all(_WORD_OR_NUMBER.match(part) for part in re.split(r"[-_]+", token) if part):
            continue  # a slug: words and numbers joined by dashes
        if _HEX.match(token):
            if len(token) >= 32 and _entropy(token) >= 3.0:
                return True
        elif _entropy(token) >= 4.0:
            return True
    return False


def classify(value: str) -> str | None:
    """What kind of secret `value` looks like, or None."""
    if not _MAYBE.search(value):
        return None
    for kind, pattern in _KNOWN:
        if pattern.search(value):
            return kind
    if _high_entropy(value):
        return "a high-entropy string (a token or key?)"
    return None


def secret_kind(key: str, value: str) -> str | None:
    """What kind of secret the value of `key` looks like; None for ordinary values and for
    `credential_ref` values that are references to a password manager."""
    if key.endswith("credential_ref") and _REFERENCE.match(value.strip()):
        return None
    return classify(value)
