"""A fast reader for people.toml as socialgov and roster feeds write it; tomli for the rest.

Parsing a 20,000-person roster as TOML is most of a roster import's first run. The file
socialgov writes has few shapes: `[people.HANDLE]` and `[teams.NAME]` headers, `key = "text"`, `key = 2026-01-31`, `key = ["a", "b"]`, comments and
blank lines. `read_people` reads a file made only of such lines itself, giving exactly the
tables tomli gives; any other line (a quoted key, an escape in a string, a multi-line
array, a date-time, a key defined twice…) makes it return None, and the caller parses the
whole file with tomli, which also reports every error as before.
tests/registry/test_people_text.py compares both on written and generated files.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from socialgov.registry.limits import MAX_LINE_CHARS

_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_STRING = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
# A handle bare or quoted without escapes: `[people.alice]`, `[people."ulla.kim0"]`.
_HEADER = re.compile(rf"[ \t]*\[(people|teams)\.(?:([A-Za-z0-9_-]+)|({_STRING}))\][ \t]*{_COMMENT}")
_KEY_VALUE = re.compile(
    rf"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
    rf"(?:({_STRING})|([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})|\[((?:[ \t]*{_STRING}[ \t]*,)*"
    rf"(?:[ \t]*{_STRING})?[ \t]*)\])[ \t]*{_COMMENT}"
)
_ITEM = re.compile(_STRING)
_NOTHING = re.compile(rf"[ \t]*{_COMMENT}")


def read_people(text: str) -> dict[str, Any] | None:
    """people.toml's tables as tomli would give them; None when tomli must read it."""
    if "\r" in text:
        return None
    data: dict[str, Any] = {}
    table: dict[str, Any] | None = None
    header = _HEADER.fullmatch
    key_value = _KEY_VALUE.fullmatch
    for line in text.split("\n"):
        if len(line) > MAX_LINE_CHARS:
            return None  # check_shape's error
        if m := key_value(line):
            if table is None:
                return None  # a key outside any table
            key, string, day, array = m.groups()
            if key in table:
                return None  # defined twice: tomli's error
            if string is not None:
                table[key] = string[1:-1]
            elif day is not None:
                try:
                    table[key] = date.fromisoformat(day)
                except ValueError:
                    return None
            else:
                table[key] = [item[1:-1] for item in _ITEM.findall(array)]
        elif m := header(line):
            section, bare, quoted = m.groups()
            name = bare if bare is not None else quoted[1:-1]
            tables = data.setdefault(section, {})
            if name in tables:
                return None
            table = tables[name] = {}
        elif not _NOTHING.fullmatch(line):
            return None
    return data
