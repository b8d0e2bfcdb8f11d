"""socialgov's JSON text is `json.dumps(indent=2, ensure_ascii=False)`, text for text."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from socialgov.report.jsontext import pretty_json

CASES: list[Any] = [
    {},
    [],
    (),
    {"a": []},
    {"a": {}},
    [[[]]],
    {"x": [1, 2.5, -0.0, 1e300, None, True, False, 'é\n"\u2028\x00\\', {"y": [{}]}]},
    {1: 2, None: 3, False: 4, 2.5: 1},
    "plain",
    3,
    -(10**30),
    {"k": [1, [2, [3, {}]]], "ünïcode": "日本"},
    {"rule": "r", "line": 3, "waived": False, "new": True, "waiver": None, "é": "\u2028"},
    {"ratio": 1.5, "n": 1},
    [{"a": 1}, {"b": {"c": "d"}}],
]


@pytest.mark.parametrize("value", CASES)
def test_the_text_is_json_dumps_indent_two(value: Any) -> None:
    assert pretty_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_default_converts_what_json_cannot_as_json_dumps_does() -> None:
    value = {"day": date(2020, 1, 1), "set": {1}, "nested": [date(2021, 2, 3)]}
    assert pretty_json(value, default=str) == json.dumps(
        value, indent=2, ensure_ascii=False, default=str
    )
    with pytest.raises(TypeError):
        pretty_json({"day": date(2020, 1, 1)})


@pytest.mark.parametrize("value", [v for v in CASES if isinstance(v, list | tuple)])
def test_an_iterator_is_written_as_the_array_of_its_items(value: Any) -> None:
    document = {"findings": iter(value), "summary": {"n": len(value)}}
    expected = json.dumps({"findings": list(value), "summary": {"n": len(value)}}, indent=2)
    assert pretty_json(document, end="\n") == expected + "\n"


def test_the_pieces_make_the_text_and_a_large_one_is_not_one_piece() -> None:
    from socialgov.report.jsontext import pretty_json_pieces

    findings = [{"rule": f"r{n}", "line": n, "message": "é" * 50} for n in range(20_000)]
    pieces = pretty_json_pieces({"findings": iter(findings)}, end="\n")
    assert (
        "".join(pieces) == json.dumps({"findings": findings}, indent=2, ensure_ascii=False) + "\n"
    )
    assert len(pieces) > 5 and max(len(p) for p in pieces) < len("".join(pieces)) / 4
