"""The fast people.toml reader gives exactly tomllib's tables, or gives up.

`read_people` must return what `tomllib.loads` returns for every file it reads, and None
for every file tomllib refuses (the caller then parses with tomllib and reports its error);
`load_roster` must report the same errors as before for broken files."""

from __future__ import annotations

import random
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from socialgov.errors import InputError
from socialgov.registry.load import parse_people_text, parse_roster, parse_toml_text
from socialgov.registry.people_text import read_people

CASES = Path(__file__).parents[1] / "cases"

WRITTEN = """\
# people of Example Corp
[people.alice]
name = "Alice Example"
email = "alice@example.com"
status = "active"
other_emails = ["a@example.org", "alice@example.net",]
github = "alice-ex"

[people.bob]   # moved to Sales
name = "Bôb Ünïcode"
email = "bob@example.com"
status = "departed"
departed_on = 2026-03-31
manager = "alice"
empty = []
  indented = "yes"	# a tab before the comment

[people."carol.first"]
name = "Carol First"
email = "carol.first@example.com"

[teams.web]
members = ["alice", "bob", "carol.first"]
description = "# not a comment"
"""


def tomllib_or_none(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def assert_same(text: str) -> dict[str, Any] | None:
    fast = read_people(text)
    expected = tomllib_or_none(text)
    if expected is None:
        assert fast is None, "tomllib refuses this file but the fast reader read it"
    elif fast is not None:
        assert fast == expected
        assert [type(v) for t in fast.values() for p in t.values() for v in p.values()] == [
            type(v) for t in expected.values() for p in t.values() for v in p.values()
        ]
    return fast


def test_a_written_roster_is_read_without_tomllib() -> None:
    fast = assert_same(WRITTEN)
    assert fast is not None
    assert fast["people"]["bob"]["departed_on"] == date(2026, 3, 31)
    assert fast["people"]["alice"]["other_emails"] == ["a@example.org", "alice@example.net"]
    assert fast["teams"]["web"]["description"] == "# not a comment"
    assert fast["people"]["carol.first"]["name"] == "Carol First"  # a quoted handle


@pytest.mark.parametrize("path", sorted(CASES.rglob("people*.toml")), ids=str)
def test_the_test_rosters(path: Path) -> None:
    assert_same(path.read_text())


@pytest.mark.parametrize(
    "line",
    [
        'name = "escaped \\" quote"',  # escapes: tomllib's
        "name = 'literal'",
        'name = """multi"""',
        '"quoted key" = "x"',
        'a.b = "dotted"',
        "left = 2026-03-31T10:00:00Z",
        "count = 3",
        "flag = true",
        'list = [\n  "a",\n]',
        "inline = { a = 1 }",
        "[people]",
        '[people."esc\\u0041ped"]',
        "[people.'literal.handle']",
        "[ people.spaced ]",
        "[teams.t]\r\nmembers = []\r",  # Windows line ends
    ],
)
def test_other_shapes_go_to_tomllib(line: str) -> None:
    text = f'[people.x]\nemail = "x@example.com"\n{line}\n'
    assert read_people(text) is None
    data, _ = parse_people_text(text.encode())
    assert data == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '[people.x]\nname = "X"\nname = "again"\n',  # a key twice
        '[people.x]\nname = "X"\n[people.x]\nemail = "x@e"\n',  # a table twice
        "[people.x]\nleft = 2026-02-30\n",
        '[people.x]\nname = "X" "Y"\n',
        '[people.x]\nname = "tab\tok" # and \x01 control\n',
        '[people.x]\nname = "X"\n\rx = "y"\n',  # a bare carriage return
        '[people.x]\nname = "' + "x" * 70_000 + '"\n',  # check_shape's long line
    ],
)
def test_what_tomllib_refuses_is_reported_as_before(text: str) -> None:
    assert read_people(text) is None
    with pytest.raises(InputError) as fast:
        parse_people_text(text.encode())
    with pytest.raises(InputError) as before:
        parse_toml_text(text.encode(), "people.toml")
    assert str(fast.value) == str(before.value)


def test_the_roster_is_the_same_through_either_reader() -> None:
    raw = b"\n".join(
        line
        for line in WRITTEN.encode().split(b"\n")
        if b"empty" not in line and b"indent" not in line
    )
    fast, _ = parse_roster(raw)
    slow, _ = parse_roster(raw, parsed=tomllib.loads(raw.decode()))
    assert fast == slow and fast.people["bob"].manager == "alice"


PIECES = [
    "[people.p{n}]",
    '[people."p{n}"]',  # the same table as [people.p{n}]
    '[people."p.{n}"]',
    "[teams.t{n}]",
    'name = "Person {n}"',
    'email = "p{n}@example.com"',
    "departed_on = 2026-0{d}-1{d}",
    'other_emails = ["a{n}@x.org", "b{n}@x.org"]',
    "members = []",
    "# comment {n}",
    "",
    "   ",
    'name = "dup"',
    "left = 2026-13-01",
    'x = "a\\tb"',
    "y = 1",
]


@pytest.mark.parametrize("seed", range(30))
def test_generated_rosters(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(20):
        lines = [
            rng.choice(PIECES).format(n=rng.randrange(4), d=rng.randrange(10))
            for _ in range(rng.randint(1, 14))
        ]
        assert_same("\n".join(lines) + rng.choice(["", "\n"]))


def test_a_replayed_roster_takes_again_the_people_whose_table_is_unchanged() -> None:
    """The history replay parses many versions of people.toml with one chunk cache: a
    person whose table text is the same is not validated again, a changed one is."""
    valid = "\n".join(
        line for line in WRITTEN.split("\n") if "empty" not in line and "indent" not in line
    )
    chunks: dict[str, Any] = {}
    first, _ = parse_roster(valid.encode(), chunks)
    changed = valid.replace('name = "Carol First"', 'name = "Carol Second"')
    second, _ = parse_roster(changed.encode(), chunks)
    assert second.people["alice"] is first.people["alice"]
    assert second.people["carol.first"] is not first.people["carol.first"]
    assert second.people["carol.first"].name == "Carol Second"
    broken = valid.replace('email = "carol.first@example.com"', 'email = "no address"')
    with pytest.raises(InputError, match="expected an e-mail address"):
        parse_roster(broken.encode(), chunks)
