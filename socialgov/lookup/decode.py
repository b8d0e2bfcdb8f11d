"""Bytes of a WHOIS answer into text: UTF-8, else Latin-1 (which never fails) with a note."""

from __future__ import annotations

LATIN1_NOTE = "the answer was not valid UTF-8; decoded as Latin-1"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_answer(raw: bytes) -> tuple[str, str | None]:
    """(text with LF line ends, a note when the bytes were not UTF-8)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return normalise_newlines(raw.decode("utf-8")), None
    except UnicodeDecodeError:
        return normalise_newlines(raw.decode("latin-1")), LATIN1_NOTE


def looks_binary(text: str) -> bool:
    """NULs or many control characters: not a WHOIS text in any encoding we read."""
    if "\x00" in text:
        return True
    sample = text[:4096]
    controls = sum(
        1 for c in sample if (ord(c) < 32 and c not in "\n\t\f\v") or 0x7F <= ord(c) < 0xA0
    )
    return bool(sample) and controls / len(sample) > 0.02
