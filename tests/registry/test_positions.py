"""Key positions come from TOML's grammar: text inside strings never counts as a key."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from socialgov.model import AssetId, Registry, Settings, SourceText
from socialgov.policy.config import load_policy_paths
from socialgov.policy.engine import audit
from socialgov.policy.inputs import AuditInputs
from socialgov.registry.load import parse_asset, parse_roster
from socialgov.registry.positions import array_table_lines, key_lines

ASSET = '''\
notes = """
Moved from the old registry.
owners = ["mallory"]
[social]
mfa = true
"""
description = \'\'\'
access = ["eve"]
\'\'\'
owners = ["alice", "bob"]
tags = [
  "brand = yes",
  "x=y",
  # comment = 1
]
access = ["carol"]  # owners = ["nobody"]
"quoted.key" = 1
last_reviewed = 2026-06-01
when = 1979-05-27 07:32:00

[social]
platform = "x"
handle = "examplecorp"
mfa = false
extra = { recovery = "a", "in line" = { deep = 1 } }
'''


def test_keys_after_multi_line_strings_are_at_their_own_lines() -> None:
    lines = key_lines(ASSET)
    assert lines["notes"] == 1
    assert lines["description"] == 7
    assert lines["owners"] == 10
    assert lines["tags"] == 11
    assert lines["access"] == 16
    assert lines["quoted.key"] == 17
    assert lines["last_reviewed"] == 18
    assert lines["when"] == 19
    assert lines["social"] == 21
    assert lines["social.mfa"] == 24
    assert lines["social.extra"] == 25
    assert lines["social.extra.recovery"] == 25
    assert lines["social.extra.in line.deep"] == 25
    assert "brand" not in lines and "x" not in lines and "comment" not in lines
    tomllib.loads(ASSET)  # the sample is valid TOML


def test_source_text_uses_the_parse() -> None:
    source = SourceText(ASSET)
    assert source.line_of("owners") == 10
    assert source.line_of("social.mfa") == 24
    assert source.line_of("nope", "access") == 16
    assert source.line_of("nope") == 1


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('a = """x\n""""\nb = 1\n', "b", 3),  # a closing quote run of four
        ("a = '''x\n''''\nb = 1\n", "b", 3),
        ('a = "quote \\" owners = [1]"\nb = 2\n', "b", 2),
        ('a.b . c = 1\n"d" . e = 2\n', "a.b.c", 1),
        ("a = [\n  [1, 2],\n  { x = 1 },\n]\nb = 1\n", "b", 5),
        ("[ table . 'sub' ]\nk = 1\n", "table.sub.k", 2),
        ('a = "\\u00e9"\n"\\u00e9" = 2\n', "é", 2),
    ],
)
def test_grammar_cases(text: str, key: str, line: int) -> None:
    tomllib.loads(text)
    assert key_lines(text)[key] == line


GRAMMAR_TEXTS = [
    ASSET,
    'a = """x\n""""\nb = 1\n',
    "a = [\n  [1, 2],\n  { x = 1 },\n]\nb = 1\n",
    "[ table . 'sub' ]\nk = 1\n[other]\nk = 2\n[[arr]]\nk = 3\n[[arr]]\nk = 4\n",
    "a = 1\n[t]\nb = { c = 1, d = [1, { e = 2 }] }\nf = '''\nq = 1\n'''\ng = 2\n",
    # top-level keys found without a scan, and look-alikes that must not be
    '# owners = [1]\nowners_extra = 1\n  owners=["a"]\r\ntags = []\n[t]\nlast_reviewed = 1\n',
    '"owners" = ["a"]\nnotes = "owners = 1"\n[t]\nowners = 2\n',
    "a = 1\nowners . x = 1\nb = [\n  1,\n]\nc = 2\n",
    "x = { owners = 1 }\n[[t]]\nowners = 1\n[[t]]\ny = 1\n",
]


@pytest.mark.parametrize("text", GRAMMAR_TEXTS)
def test_a_scan_stopped_at_the_key_asked_gives_the_whole_scans_line(text: str) -> None:
    """SourceText scans only as far as the keys asked for: every key, asked alone, in
    file order, in reverse, or after keys that are not there, has the full scan's line."""
    tomllib.loads(text)
    whole = key_lines(text)
    assert len(whole) > 1
    for order in (list(whole), list(reversed(whole)), sorted(whole)):
        source = SourceText(text)
        for key in order:
            assert source.line_of(key) == whole[key], key
            assert source.line_of("no.such.key", key) == whole[key]
    for key, line in whole.items():
        assert SourceText(text).line_of(key) == line
        assert SourceText(text).line_of(key, "no.such.key") == line
    assert SourceText(text).line_of() == 1 and SourceText(text).line_of("absent") == 1


def test_arrays_of_tables_are_found_by_their_headers_only() -> None:
    text = (
        'note = """\n[[waiver]]\n"""\n\n[[waiver]]\nrule = "a"\n\n'
        "[[other]]\nx = 1\n\n[[ waiver ]]\nrule = 'b'\n"
    )
    tomllib.loads(text)
    assert array_table_lines(text, "waiver") == [5, 11]


def test_a_finding_points_at_the_key_not_into_a_string() -> None:
    roster, _ = parse_roster(b'[people.alice]\nname = "A"\nemail = "alice@example.com"\n')
    asset_id = AssetId.parse("social:x/examplecorp")
    text = (
        'notes = """\nowners = ["alice"]\n[social]\nmfa = true\n"""\n'
        'owners = ["ghost"]\n\n[social]\nmfa = false\n'
    )
    asset = parse_asset(asset_id, asset_id.relpath, text.encode())
    registry = Registry(
        root=Path("."),
        settings=Settings(org_name="Example Corp"),
        roster=roster,
        assets={asset_id: asset},
    )
    inputs = AuditInputs(registry, policy=load_policy_paths([]))
    result = audit(inputs, today=date(2026, 11, 15), rules=["unknown-owner", "mfa-missing"])
    lines = {f.rule: f.line for f in result.findings}
    assert lines == {"unknown-owner": 6, "mfa-missing": 9}


@pytest.mark.parametrize("text", GRAMMAR_TEXTS)
def test_top_level_keys_found_without_a_scan_are_the_scans(text: str) -> None:
    """A bare top-level key is looked for by its line alone where that is certain; every
    name of the texts, asked for at the top level, has the full scan's answer (1: none)."""
    tomllib.loads(text)
    whole = key_lines(text)
    names = {part for key in whole for part in key.split(".")} | {"owners", "last_reviewed"}
    for name in names:
        assert SourceText(text).line_of(name) == whole.get(name, 1), name
