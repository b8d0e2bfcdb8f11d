"""Generate lookalikes with dnstwist's fuzzers and its per-TLD homoglyph tables.

dnstwist is used as a library, offline: only its `Fuzzer` (string permutations and data
tables) is called, never its scanner, DNS or WHOIS code. Two choices keep the result to
names someone could actually register, and fast enough for every audit:

- homoglyphs replace one character or pair at a time, from dnstwist's table for the TLD
  (a TLD whose registry accepts no IDN gets only the ASCII look-alikes); dnstwist's own
  second pass of replacements squares the count for little gain;
- every name is kept only if it is a registrable domain of the public-suffix list (no
  subdomain fuzzers), and only names with non-ASCII letters go through IDNA, which is what
  makes dnstwist's own `generate()` slow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from socialgov.errors import UsageError
from socialgov.model import AssetId, Kind, Registry

# SPEC §9's kinds, named as dnstwist names its fuzzers.
FUZZERS = (
    "omission",
    "insertion",
    "replacement",
    "transposition",
    "repetition",
    "hyphenation",
    "bitsquatting",
    "vowel-swap",
    "homoglyph",
    "tld-swap",
)

# The TLDs a tld-swap tries: the big generic ones and those phishing campaigns favour.
TLD_SWAP = (
    "com",
    "net",
    "org",
    "info",
    "biz",
    "co",
    "io",
    "app",
    "online",
    "site",
    "shop",
    "store",
    "xyz",
    "eu",
    "us",
    "co.uk",
    "de",
)

_ASCII_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True, order=True)
class Lookalike:
    original: str  # the registry's domain it imitates
    name: str  # the lookalike, ASCII (punycode)
    fuzzer: str
    defensive: bool = False  # the registry holds it

    @property
    def unicode(self) -> str:
        if "xn--" not in self.name:
            return self.name
        # Names generated here are valid IDNA: the punycode codec decodes them, and far
        # faster than the idna package's full checks.
        try:
            return ".".join(
                label[4:].encode("ascii").decode("punycode") if label.startswith("xn--") else label
                for label in self.name.split(".")
            )
        except UnicodeError:
            return AssetId(Kind.DOMAIN, self.name).display_name

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.name,
            "unicode": self.unicode,
            "original": self.original,
            "fuzzer": self.fuzzer,
            "defensive": self.defensive,
        }


def check_fuzzers(names: Sequence[str]) -> tuple[str, ...]:
    for name in names:
        if name not in FUZZERS:
            raise UsageError(
                f"unknown lookalike kind {name!r}", hint="kinds: " + ", ".join(FUZZERS)
            )
    return tuple(names) or FUZZERS


def generate_for_registry(
    registry: Registry, domains: Sequence[str], fuzzers: Sequence[str]
) -> list[Lookalike]:
    """Lookalikes of the given domains, else of every active domain asset of the registry."""
    from socialgov.changes.observe import normalise_domains

    kinds = check_fuzzers(fuzzers)
    held = frozenset(a.name for a in registry.by_kind(Kind.DOMAIN))
    originals = (
        normalise_domains(domains)
        if domains
        else sorted(
            a.name for a in registry.by_kind(Kind.DOMAIN) if a.active and "discovered" not in a.tags
        )
    )
    return generate(originals, held, kinds)


def generate(
    originals: Iterable[str], held: frozenset[str] | set[str], fuzzers: Sequence[str] = FUZZERS
) -> list[Lookalike]:
    """Every lookalike of every original, once (the first original that yields it wins)."""
    out: dict[str, Lookalike] = {}
    original_set = set(originals)
    for original in sorted(original_set):
        for fuzzer, name in permutations(original, tuple(fuzzers)):
            if name in out:
                continue
            out[name] = Lookalike(original, name, fuzzer, defensive=name in held)
    return sorted(out.values())


@cache
def permutations(domain: str, fuzzers: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(fuzzer, registrable lookalike) pairs of one domain, in a stable order."""
    from socialgov.discover.names import registrable_with, split

    registrable_domain, suffix = split(domain)
    if not registrable_domain or registrable_domain != domain:
        return ()  # a host or a bare suffix has no lookalikes of its own
    label = domain[: -len(suffix) - 1]
    fuzzer = _fuzzer(domain, label, suffix)
    seen: set[str] = {domain}
    result: list[tuple[str, str]] = []
    for kind in fuzzers:
        if kind == "tld-swap":
            pairs: Iterable[tuple[str, str]] = ((label, tld) for tld in TLD_SWAP if tld != suffix)
        elif kind == "homoglyph":
            pairs = ((variant, suffix) for variant in _homoglyphs(label, suffix))
        else:
            # dnstwist's fuzzers by name, as its own Fuzzer.generate() calls them.
            method = getattr(fuzzer, "_" + kind.replace("-", "_"))
            pairs = ((variant, suffix) for variant in method())
        for variant, tld in sorted(set(pairs)):
            ascii_label = _ascii_label(variant)
            if ascii_label is None:
                continue
            name = f"{ascii_label}.{tld}"
            if name in seen or not registrable_with(ascii_label, tld):
                continue
            seen.add(name)
            result.append((kind, name))
    return tuple(result)


def _fuzzer(domain: str, label: str, suffix: str) -> Any:
    import dnstwist

    fuzzer = dnstwist.Fuzzer(domain)
    # Our public-suffix split, not dnstwist's guess, decides what the label and TLD are.
    fuzzer.subdomain, fuzzer.domain, fuzzer.tld = "", _unicode_label(label), suffix
    return fuzzer


def _unicode_label(label: str) -> str:
    if "xn--" not in label:
        return label
    import idna

    try:
        return str(idna.decode(label))
    except idna.IDNAError:
        return label


def _homoglyphs(label: str, suffix: str) -> set[str]:
    import dnstwist

    tables = dnstwist.Fuzzer.glyphs_idn_by_tld
    idn = tables.get(suffix, tables.get(suffix.rsplit(".", 1)[-1], dnstwist.Fuzzer.glyphs_unicode))
    glyphs: dict[str, set[str]] = {}
    for table in (dnstwist.Fuzzer.glyphs_ascii, idn):
        for key, values in table.items():
            glyphs.setdefault(key, set()).update(values)
    word = _unicode_label(label)
    out: set[str] = set()
    for i, char in enumerate(word):
        for glyph in glyphs.get(char, ()):
            out.add(word[:i] + glyph + word[i + 1 :])
    for i in range(len(word) - 1):
        pair = word[i : i + 2]
        for glyph in glyphs.get(pair, ()):
            out.add(word[:i] + glyph + word[i + 2 :])
    out.discard(word)
    return out


def _ascii_label(label: str) -> str | None:
    """The label's ASCII form if it is a valid IDNA label, else None."""
    import idna

    if label.isascii():
        if not _ASCII_LABEL.fullmatch(label):
            return None
        if label[2:4] == "--":  # only a valid IDNA label may look like xn--…
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                return None
        return label
    # IDNA 2008 judges code points one by one, plus context and bidi rules; the glyph tables
    # hold lower-case letters, so a label of valid, precomposed, left-to-right code points is
    # encoded directly with the standard punycode codec, and anything else goes to idna.
    if (
        all(_valid_code_point(c) for c in label if not c.isascii())
        and unicodedata.is_normalized("NFC", label)
        and len(label) <= 63
        and not label.startswith("-")
        and not label.endswith("-")
    ):
        encoded = "xn--" + label.encode("punycode").decode("ascii")
        return encoded if len(encoded) <= 63 else None
    try:
        return idna.encode(label).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return None


@cache
def _valid_code_point(char: str) -> bool:
    import idna

    if unicodedata.bidirectional(char) in ("R", "AL", "AN") or unicodedata.combining(char):
        return False
    try:
        idna.encode(f"a{char}a")
    except (idna.IDNAError, UnicodeError):
        return False
    return True
