"""Counting words: `1 finding`, `2 findings`, never a hedged plural with a bracketed "s"."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """`plural(1, "finding")` is "1 finding"; irregular plurals are given: `plural(n, "person", "people")`."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
