"""A value that looks like a password, token or private key.

Every string of the asset file is checked, notes included: private-key blocks, known
token formats (GitHub `ghp_`/`github_pat_`, Slack `xox…-`, AWS `AKIA…`, Stripe
`sk_live_`, GitLab `glpat-`, Google `AIza…`, npm, JWTs), `password: …`-style text,
credentials inside URLs, and long high-entropy strings. `credential_ref` values that are
references (`op://…`, `1password://…`, `vault:…`, `bitwarden://…`, `keychain:…`) are
fine; that is where credentials belong. Findings never repeat the secret; they name
the key that holds it. Also runs on retired assets: a leaked secret stays in history.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo

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


def _strings(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, str):
            yield dotted, value
        elif isinstance(value, Mapping):
            yield from _strings(value, f"{dotted}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    yield dotted, item
                elif isinstance(item, Mapping):
                    yield from _strings(item, f"{dotted}.")


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    reported: set[str] = set()
    for key, value in _strings(asset.data):
        if key.endswith("credential_ref") and _REFERENCE.match(value.strip()):
            continue
        kind = classify(value)
        if kind is None or key in reported:
            continue
        reported.add(key)
        yield ctx.finding(
            asset,
            keys=(key,),
            message=f"{key} of {asset.id} looks like it holds {kind}",
            hint="remove it from the file and from git history, revoke it, store it in the password manager and keep only a reference in credential_ref",
            subject=key,
        )


RULE = Rule(
    RuleInfo(
        id="secret-in-registry",
        severity=Severity.CRITICAL,
        summary="A value that looks like a password, token or private key.",
        doc=__doc__ or "",
        include_retired=True,
    ),
    check,
)
