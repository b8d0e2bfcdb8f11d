"""Parsing people.toml table by table (for many versions) gives what the whole-file parse gives."""

from __future__ import annotations

from typing import Any

import pytest

from socialgov.errors import InputError
from socialgov.registry.load import parse_roster

ROSTER = b"""# roster
[people.alice]
name = "Alice"
email = "alice@example.com"
other_emails = [
  "a@gmail.example",
]

[people.bob]
name = "Bob"
email = "bob@example.com"
status = "departed"
departed_on = 2026-10-01

[teams.web]
members = ["alice", "bob"]
"""


def test_table_by_table_equals_whole_file() -> None:
    cache: dict[str, Any] = {}

    def parsed_pieces() -> int:  # the cache also keeps validated people, under "\0people"
        return sum(not key.startswith("\0") for key in cache)

    whole, _ = parse_roster(ROSTER)
    pieces, _ = parse_roster(ROSTER, cache)
    assert pieces == whole
    assert parsed_pieces() == 4
    changed = ROSTER.replace(b'status = "departed"', b'status = "active"')
    again, _ = parse_roster(changed, cache)
    assert again.people["bob"].active and not whole.people["bob"].active
    assert parsed_pieces() == 5  # only bob's table was parsed again
    assert again.people["alice"] == whole.people["alice"]


@pytest.mark.parametrize(
    "text",
    [
        # a line starting with "[" inside a multi-line array and inside a multi-line string
        b'[people.alice]\nname = "A"\nemail = "a@example.com"\nother_emails = [\n["x"]\n]\n',
        b'[people.alice]\nname = """\n[people.fake]\n"""\nemail = "a@example.com"\n',
    ],
)
def test_awkward_files_fall_back_to_the_whole_file(text: bytes) -> None:
    try:
        expected: Any = parse_roster(text)[0]
    except InputError as exc:
        expected = exc.detail
    try:
        got: Any = parse_roster(text, {})[0]
    except InputError as exc:
        got = exc.detail
    assert got == expected


def test_a_table_defined_twice_is_still_an_error() -> None:
    text = b'[people.alice]\nname = "A"\nemail = "a@example.com"\n[people.alice]\nname = "B"\n'
    with pytest.raises(InputError) as caught:
        parse_roster(text, {})
    assert caught.value.line == 4
