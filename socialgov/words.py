"""Counting words: `1 finding`, `2 findings`, never a hedged plural with a bracketed "s"."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None, *, grouped: bool = False) -> str:
    """`plural(1, "finding")` is "1 finding"; irregular plurals are given: `plural(n, "person",
    "people")`; `grouped` writes the count with thousands separators ("10,000 assets")."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {word if count == 1 else (words or word + 's')}"
