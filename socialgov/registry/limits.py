"""Shape limits checked on a TOML text before it reaches the parser.

A hostile file can make a TOML parser recurse past Python's limit (arrays nested a
thousand deep) or allocate gigabytes (a 40 kB dotted key builds one table per segment).
These checks run in linear time on the raw text and refuse such files at file:line:col.
"""

from __future__ import annotations

import re

from socialgov.errors import InputError

MAX_LINE_CHARS = 64 * 1024
MAX_DEPTH = 64  # nested arrays and inline tables
MAX_KEY_PARTS = 64  # segments of one dotted key or table header

# Strings and comments are single tokens, so their content never counts; what is left are
# the characters that build structure.
_SEGMENT = r"""(?:[A-Za-z0-9_-]++|"[^"\n]*+"|'[^'\n]*+')"""
_DOTTED_BOMB = re.compile(
    rf"(?<![A-Za-z0-9_-]){_SEGMENT}(?:[ \t]*+\.[ \t]*+{_SEGMENT}){{{MAX_KEY_PARTS},}}"
)
_TOKENS = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|$)'
    r"|'''[^']*(?:'(?!'')[^']*)*(?:'''|$)"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?'
    r"|'[^'\n]*'?"
    r"|#[^\n]*"
    r"|[\[\]{}]",
    re.DOTALL,
)


def check_shape(text: str, rel: str) -> None:
    """Refuse over-long lines, deep nesting and very long dotted keys, naming the place."""
    if len(text) > MAX_LINE_CHARS:
        for number, content in enumerate(text.split("\n"), start=1):
            if len(content) > MAX_LINE_CHARS:
                raise InputError(
                    f"the line is longer than {MAX_LINE_CHARS} characters", file=rel, line=number
                )
    # such a key has a dot between each two parts: a text with fewer dots needs no search
    if text.count(".") >= MAX_KEY_PARTS and (m := _DOTTED_BOMB.search(text)):
        raise _at(text, m.start(), rel, f"a dotted key with more than {MAX_KEY_PARTS} parts")
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return  # nesting cannot go deeper than the brackets there are
    depth = 0
    for m in _TOKENS.finditer(text):
        first = m.group()[0]
        if first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _at(
                    text, m.start(), rel, f"arrays or tables nested more than {MAX_DEPTH} deep"
                )
        elif first in "]}":
            depth = max(0, depth - 1)


def _at(text: str, offset: int, rel: str, message: str) -> InputError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return InputError(message, file=rel, line=line, column=column)
