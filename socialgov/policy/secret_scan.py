"""Recognise values that look like a password, token or private key, without echoing them.

Used by the `secret-in-registry` rule and by the commands that write asset files, which
refuse to put a secret into the registry in the first place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache

# Every pattern is linear: bounded repetitions after a literal anchor, no nested quantifiers.
_PASSWORD_WORDS = (
    r"password|passwort|passwd|pwd|pw|pass|kennwort|mot de passe|contraseña|senha|wachtwoord"
    r"|passcode|passphrase|secret|client[_ -]?secret|api[_ -]?key|access[_ -]?token|auth[_ -]?token"
    r"|token|pin|auth[_ -]?code|authcode|authinfo|auth[_ -]?info|epp[_ -]?code|transfer[_ -]?code"
    r"|recovery[_ -]?codes?|backup[_ -]?codes?|totp[_ -]?(?:seed|secret)|2fa[_ -]?(?:seed|secret|code)"
)
_KNOWN: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a private key",
        re.compile(r"-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----"),
    ),
    (
        "a GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{20,255})"),
    ),
    ("a Slack token", re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,255}")),
    (
        "a webhook URL",
        re.compile(
            r"hooks\.slack\.com/services/|discord(?:app)?\.com/api/webhooks/|webhook\.office\.com/webhookb2/",
            re.I,
        ),
    ),
    ("an AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a Stripe key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,255}")),
    ("a GitLab token", re.compile(r"\bglpat-[0-9A-Za-z_-]{20,255}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("a Google OAuth secret", re.compile(r"\bGOCSPX-[0-9A-Za-z_-]{20,64}")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}")),
    ("a PyPI token", re.compile(r"\bpypi-AgE[A-Za-z0-9_-]{50,}")),
    ("an API key", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,255}")),
    (
        "a Facebook or Instagram access token",
        re.compile(r"\bEA(?:AB|AG|AI|AC|AJ|AA)[A-Za-z0-9]{30,}"),
    ),
    ("a Twilio key", re.compile(r"\bSK[0-9a-f]{32}\b")),
    ("a SendGrid key", re.compile(r"\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}")),
    ("a Mailgun key", re.compile(r"\bkey-[0-9a-f]{32}\b")),
    ("a Telegram bot token", re.compile(r"\b[0-9]{8,10}:AA[A-Za-z0-9_-]{32,33}\b")),
    ("a Shopify token", re.compile(r"\bshp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}\b")),
    ("a DigitalOcean token", re.compile(r"\bdo[opr]_v1_[0-9a-f]{64}\b")),
    ("a Vault token", re.compile(r"\bhv[sb]\.[A-Za-z0-9_-]{24,}")),
    ("a Databricks token", re.compile(r"\bdapi[0-9a-f]{32}\b")),
    ("an Atlassian token", re.compile(r"\bATATT3[A-Za-z0-9_=-]{30,}")),
    ("a Linear key", re.compile(r"\blin_(?:api|oauth)_[A-Za-z0-9]{32,}")),
    ("a Dropbox token", re.compile(r"\bsl\.[A-Za-z0-9_-]{60,}")),
    ("a Square token", re.compile(r"\b(?:sq0atp|sq0csp|EAAA)[A-Za-z0-9_-]{22,}")),
    ("a Twitter bearer token", re.compile(r"\bAAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{30,}")),
    ("an Azure storage key", re.compile(r"AccountKey=[A-Za-z0-9+/=]{40,}", re.I)),
    (
        "a JSON web token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}"),
    ),
    ("a TOTP seed", re.compile(r"otpauth://|[?&]secret=[A-Z2-7]{16,}", re.I)),
    (
        "HTTP credentials",
        re.compile(r"\bauthorization\s*:\s*(?:basic|bearer|token)\s+\S{8,}", re.I),
    ),
    (
        "credentials in a URL",
        re.compile(r"\b[a-z][a-z0-9+.-]{0,30}://[^/\s:@]{1,256}:[^/\s@]{1,256}@", re.I),
    ),
    ("recovery codes", re.compile(r"(?:\b[0-9a-z]{4,5}-[0-9a-z]{4,5}\b[\s,;]{1,5}){3}", re.I)),
    (
        "a password",
        re.compile(
            rf"(?i)(?<![a-z])(?:{_PASSWORD_WORDS})\s{{0,5}}[:=]\s{{0,5}}[\"']?(?!(?:stored|kept|managed|held|see|in|at|via|from|the|is|are|was|rotated|reset|changed|set|none|unknown|tbd|n/a|op|vault|1password|bitwarden|keepass)\b)[^\s\"']{{4,}}"
        ),
    ),
    (
        "an AWS secret key",
        re.compile(
            r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[/+])(?=[A-Za-z0-9/+]{0,39}[0-9])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"
        ),
    ),
)
# Values that look random but are public by design: digests, public keys, DNS records, ids.
_PUBLIC = re.compile(
    r"^\s*(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-ssh-ed25519@openssh\.com)\s"
    r"|-----BEGIN (?:PGP PUBLIC KEY BLOCK|PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY)-----"
    r"|\bv=(?:DKIM1|spf1|DMARC1|BIMI1|STSv1|TLSRPTv1)\b"
    r"|^\s*[a-z0-9.-]{0,40}(?:site|domain)-verification[=:]"
    r"|^\s*(?:MS=ms\d+|_?github-challenge|keybase-site-verification)"
    r"|^\s*UC[A-Za-z0-9_-]{22}\s*$",
    re.I,
)
# Registry lines are at most 64 KiB (registry/limits.py); a longer value is refused unread,
# which keeps every scan within a fraction of a second.
MAX_SCANNED = 64 * 1024
# A password-manager reference: `op://Vault/Item name/field` (item names have spaces), or a
# short `op:item-id` form (no spaces there, so `pass: hunter2 …` is never taken for one).
_MANAGERS = r"(?:op|1password|vault|bitwarden|bw|keychain|keepass|lastpass|pass|secret|aws-sm|gcp-sm|azure-kv)"
_REFERENCE = re.compile(rf"^{_MANAGERS}://[^\s/][^\n]*$|^{_MANAGERS}:\S*$", re.I)
_CANDIDATE = re.compile(r"[A-Za-z0-9+=_-]{24,}")
_WORD_OR_NUMBER = re.compile(r"^(?:[A-Za-z]+|[0-9]+)$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_HEX = re.compile(r"^[0-9a-fA-F]+$")
# Fast pre-filter: most values are short, plain words; only these can hold a secret.
_MAYBE = re.compile(r"[:=@_.-]|[A-Za-z0-9+/]{16}|-----BEGIN")


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
            continue  # digests and commit ids are hex; hex tokens are caught by their prefix
        if _entropy(token) >= 4.0:
            return True
    return False


# What each pattern cannot match without: a mark of each group in the text. A case-insensitive
# pattern's marks are looked for in the text folded to lower case, when it is ASCII (Unicode
# folding takes a few other characters to ASCII letters: such a text is always scanned).
# Most values lack the marks of most patterns: a scan is mostly substring tests.
_Marks = tuple[tuple[str, ...], ...]
# Every word of _PASSWORD_WORDS that ASCII text can hold has one of these.
_PASSWORD_MARKS = ("pw", "pass", "secret", "key", "token", "pin", "code", "info", "seed")
_MARKS: dict[str, _Marks] = {
    "a private key": (("PRIVATE KEY",),),
    "a GitHub token": (("gh", "github_pat_"),),
    "a Slack token": (("xox",),),
    "a webhook URL": (("hooks.slack.com/services/", "/api/webhooks/", "webhook.office.com/"),),
    "an AWS access key": (("AKIA", "ASIA"),),
    "a Stripe key": (("_live_", "_test_"),),
    "a GitLab token": (("glpat-",),),
    "a Google API key": (("AIza",),),
    "a Google OAuth secret": (("GOCSPX-",),),
    "an npm token": (("npm_",),),
    "a PyPI token": (("pypi-AgE",),),
    "an API key": (("sk-",),),
    "a Facebook or Instagram access token": (("EA",),),
    "a Twilio key": (("SK",),),
    "a SendGrid key": (("SG.",),),
    "a Mailgun key": (("key-",),),
    "a Telegram bot token": ((":AA",),),
    "a Shopify token": (("shp",),),
    "a DigitalOcean token": (("_v1_",),),
    "a Vault token": (("hvs.", "hvb."),),
    "a Databricks token": (("dapi",),),
    "an Atlassian token": (("ATATT3",),),
    "a Linear key": (("lin_",),),
    "a Dropbox token": (("sl.",),),
    "a Square token": (("sq0", "EAAA"),),
    "a Twitter bearer token": (("A" * 21,),),
    "an Azure storage key": (("accountkey=",),),
    "a JSON web token": (("eyJ",),),
    "a TOTP seed": (("otpauth://", "secret="),),
    "HTTP credentials": (("authorization",),),
    "credentials in a URL": (("://",), ("@",)),
    "recovery codes": (("-",),),
    "a password": ((":", "="), (*_PASSWORD_MARKS, "kennwort", "senha", "wachtwoord")),
    "an AWS secret key": (("/", "+"),),
}
# The shortest text a few patterns can match, where their marks are common.
_SHORTEST = {"recovery codes": 30, "an AWS secret key": 40}
_SCANS = tuple(
    (kind, pattern, _MARKS[kind], bool(pattern.flags & re.IGNORECASE), _SHORTEST.get(kind, 0))
    for kind, pattern in _KNOWN
)
# The patterns anchored on literal, case-sensitive marks of two or more characters (token
# prefixes): one search for all those marks rules them all out of most values.
_ANCHORED = {
    kind
    for kind, _, marks, caseless, _ in _SCANS
    if not caseless and len(marks) == 1 and all(len(mark) > 1 for mark in marks[0])
}
_ANCHORS = re.compile("|".join(re.escape(mark) for kind in _ANCHORED for mark in _MARKS[kind][0]))
_UNANCHORED_SCANS = tuple(scan for scan in _SCANS if scan[0] not in _ANCHORED)
# A high-entropy token is at least this long (see _CANDIDATE).
_TOKEN_MIN = 24


def _marked(text: str, marks: _Marks) -> bool:
    for group in marks:
        for mark in group:
            if mark in text:
                break
        else:
            return False
    return True


@lru_cache(maxsize=1 << 18)
def classify(value: str) -> str | None:
    """What kind of secret `value` looks like, or None (remembered: owners, addresses and
    departments repeat across thousands of assets; room for a 100,000-asset registry's
    values, or the one-off values push out the ones that repeat)."""
    if len(value) > MAX_SCANNED:
        return f"a value too long to check for secrets (over {MAX_SCANNED} characters)"
    if not _MAYBE.search(value):
        return None
    length = len(value)
    folded = value.lower() if value.isascii() else None
    scans = _SCANS if _ANCHORS.search(value) else _UNANCHORED_SCANS
    for kind, pattern, marks, caseless, shortest in scans:
        text = folded if caseless else value
        if length < shortest or (text is not None and not _marked(text, marks)):
            continue
        if pattern.search(value):
            return kind
    if length >= _TOKEN_MIN and _high_entropy(value) and not _PUBLIC.search(value):
        return "a high-entropy string (a token or key?)"
    return None


def secret_kind(key: str, value: str) -> str | None:
    """What kind of secret the value of `key` looks like; None for ordinary values and for
    `credential_ref` values that are references to a password manager."""
    if key.endswith("credential_ref") and _REFERENCE.match(value.strip()):
        return None
    return classify(value)


def refuse_secrets(values: Mapping[str, object], where: str = "") -> None:
    """UsageError naming the first of `values` (option or key → text) that looks like a secret."""
    from socialgov.errors import UsageError

    for key, value in values.items():
        if isinstance(value, str) and (kind := secret_kind(key, value)) is not None:
            raise UsageError(
                f"refusing to write {key}{where}: the value looks like {kind}",
                hint="keep credentials in the password manager and record only where they are",
            )
