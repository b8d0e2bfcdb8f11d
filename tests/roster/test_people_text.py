"""people.toml written table by table gives what tomlkit gives editing the whole file."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from socialgov.changes.roster_import import (
    ImportPlan,
    PersonChange,
    _people_text_by_table,
    _people_text_whole,
)

ROSTER = """\
# The roster.
[people.alice]
name = "Alice Example"  # keeps this comment
email = "alice@example.com"
leaving_on = 2026-12-01

# bob's table comes next
[people."bob.smith"]
name = "Bob Smith"
email = "bob@example.com"
other_emails = [
    "bob@home.example",
]

[teams.web]
members = ["alice"]
"""

PLAN = ImportPlan(
    file="hr.csv",
    added=(
        PersonChange("grace.hopper", {"name": "Grace Hopper", "email": "grace@example.com"}),
        PersonChange("zed", {"name": "Zed", "email": "zed@example.com", "employee_id": "7"}),
    ),
    updated=(
        PersonChange(
            "alice", {"name": "Alice Jones", "department": "Marketing", "leaving_on": None}
        ),
    ),
    departed=(PersonChange("bob.smith", {"status": "departed", "departed_on": date(2026, 11, 1)}),),
)


def test_by_table_matches_the_whole_file_edit_and_keeps_comments() -> None:
    edited = _people_text_by_table(ROSTER, PLAN)
    assert edited is not None
    fast, written = edited
    assert set(tomllib.loads(written)["people"]) == {"alice", "bob.smith", "grace.hopper", "zed"}
    assert tomllib.loads(fast) == tomllib.loads(_people_text_whole(ROSTER, PLAN))
    assert 'name = "Alice Jones"  # keeps this comment' in fast
    assert "# bob's table comes next" in fast and "leaving_on" not in fast
    # the comment that introduces bob's table still precedes it
    assert fast.index("# bob's table comes next") < fast.index('[people."bob.smith"]')
    assert fast.index("[people.zed]") < fast.index("[teams.web]")
    assert tomllib.loads(fast)["people"]["grace.hopper"]["name"] == "Grace Hopper"


def test_empty_file_and_unusual_layouts() -> None:
    added = ImportPlan(file="x", added=PLAN.added)
    edited = _people_text_by_table("", added)
    assert edited is not None
    assert set(tomllib.loads(edited[0])["people"]) == {"grace.hopper", "zed"}
    bare = '[people]\nalice = { name = "A", email = "a@example.com" }\n'
    assert _people_text_by_table(bare, added) is None  # left to tomlkit


def test_values_written_as_toml() -> None:
    from socialgov.changes.roster_import import _toml_value

    for value in ('quote " backslash \\ tab \t del \x7f nl \n ü', date(2026, 1, 2), ["a", 'b"']):
        assert tomllib.loads(f"x = {_toml_value(value)}")["x"] == value


def test_written_tables_are_checked(tmp_path: Path) -> None:
    import pytest

    from socialgov.changes.roster_import import people_text
    from socialgov.errors import UsageError
    from socialgov.model import Registry, Settings
    from socialgov.registry.load import parse_roster

    roster, source = parse_roster(ROSTER.encode())
    registry = Registry(
        root=tmp_path,
        settings=Settings(org_name="Example Corp"),
        roster=roster,
        assets={},
        sources={"people.toml": source},
    )
    bad = ImportPlan(file="x", updated=(PersonChange("alice", {"manager": "nobody"}),))
    with pytest.raises(UsageError, match="manager 'nobody' is not in"):
        people_text(registry, bad)
    assert "Alice Jones" in people_text(registry, PLAN)
