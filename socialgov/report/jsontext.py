"""JSON text as socialgov prints it: indented by two, non-ASCII kept.

`json.dumps(indent=2)` runs the pure Python encoder, which is most of the time of a large
report; this walks the containers itself and encodes every scalar with the C encoder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import Any


def pretty_json(value: Any, *, default: Callable[[Any], Any] | None = None) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False, default=default)`, text for text."""
    out: list[str] = []
    scalar = json.JSONEncoder(ensure_ascii=False, default=default).encode
    _pretty(value, "\n", out, scalar)
    return "".join(out)


def _pretty(value: Any, newline: str, out: list[str], scalar: Callable[[Any], str]) -> None:
    if isinstance(value, dict):
        labels = (scalar(k if isinstance(k, str) else _key_text(k)) + ": " for k in value)
        _container("{", "}", zip(labels, value.values(), strict=True), newline, out, scalar)
    elif isinstance(value, list | tuple):
        _container("[", "]", (("", item) for item in value), newline, out, scalar)
    elif type(value) is str:
        out.append(encode_basestring(value))
    elif type(value) is int:
        out.append(int.__repr__(value))
    else:
        out.append(scalar(value))


def _container(
    opening: str,
    closing: str,
    items: Iterable[tuple[str, Any]],
    newline: str,
    out: list[str],
    scalar: Callable[[Any], str],
) -> None:
    """An object or array: each item on its own line, indented, after its label."""
    inner = newline + "  "
    separator = inner
    out.append(opening)
    for label, item in items:
        out.append(separator + label)
        separator = "," + inner
        _pretty(item, inner, out, scalar)
    out.append(closing if separator == inner else newline + closing)


def _key_text(key: Any) -> str:
    """A key as `json.dumps` writes it: numbers and constants as their JSON text."""
    return json.dumps(key)
