"""JSON text as socialgov prints it: indented by two, non-ASCII kept.

`json.dumps(indent=2)` runs the pure Python encoder, which is most of the time of a large
report; this walks the containers itself and encodes every scalar with the C encoder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any


def pretty_json(value: Any, *, default: Callable[[Any], Any] | None = None, end: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False, default=default) + end`, text for
    text. An iterator is written as an array, an item at a time: a report's findings need
    not all be objects at once."""
    return "".join(pretty_json_pieces(value, default=default, end=end))


def pretty_json_pieces(
    value: Any,
    *,
    default: Callable[[Any], Any] | None = None,
    end: str = "",
    sink: Callable[[str], None] | None = None,
) -> list[str]:
    """`pretty_json`'s text in pieces of some hundred kilobytes, in order: a large report is
    written out piece by piece rather than held twice, as its parts and as one string. With
    `sink`, each piece is given to it as it is made (and none is returned): the report is
    never held whole."""
    out = _Pieces(sink)
    scalar = json.JSONEncoder(ensure_ascii=False, default=default).encode
    _pretty(value, "\n", out, scalar)
    out.append(end)
    out.settle(0)
    return out.pieces


class _Pieces(list[str]):
    """The parts of a text, joined into a piece every so many parts."""

    def __init__(self, sink: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.sink = sink if sink is not None else self.pieces.append

    def settle(self, most: int = 2048) -> None:
        if len(self) > most:
            self.sink("".join(self))
            self.clear()


_FLAT: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda b: "true" if b else "false",
    type(None): lambda _: "null",
}
_LABELS: dict[str, str] = {}  # a key as it starts its line: `"rule": `


def _flat(value: dict[Any, Any], newline: str) -> str | None:
    """An object of text keys and text, integer, boolean or null values (a finding, say) in
    one go; None for any other."""
    parts = []
    for key, item in value.items():
        # _FLAT's encodings, written out: a quarter faster on a report's every finding
        kind = type(item)
        if kind is str:
            text = encode_basestring(item)
        elif kind is int:
            text = int.__repr__(item)
        elif kind is bool:
            text = "true" if item else "false"
        elif item is None:
            text = "null"
        else:
            return None
        label = _LABELS.get(key)
        if label is None:
            if type(key) is not str:
                return None
            label = encode_basestring(key) + ": "
            if len(_LABELS) < 4096:  # the keys of reports, not of every document
                _LABELS[key] = label
        parts.append(label + text)
    inner = newline + "  "
    return "{" + inner + ("," + inner).join(parts) + newline + "}"


def _pretty(value: Any, newline: str, out: _Pieces, scalar: Callable[[Any], str]) -> None:
    if isinstance(value, dict):
        if value and (flat := _flat(value, newline)) is not None:
            out.append(flat)
            return
        labels = (scalar(k if isinstance(k, str) else _key_text(k)) + ": " for k in value)
        _container("{", "}", zip(labels, value.values(), strict=True), newline, out, scalar)
    elif isinstance(value, list | tuple | Iterator):
        _container("[", "]", (("", item) for item in value), newline, out, scalar)
    else:
        out.append((_FLAT.get(type(value)) or scalar)(value))


def _container(
    opening: str,
    closing: str,
    items: Iterable[tuple[str, Any]],
    newline: str,
    out: _Pieces,
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
        out.settle()
    out.append(closing if separator == inner else newline + closing)


def _key_text(key: Any) -> str:
    """A key as `json.dumps` writes it: numbers and constants as their JSON text."""
    return json.dumps(key)
