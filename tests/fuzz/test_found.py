"""Failure classes the fuzzer found, each kept as a test of its own."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fuzz.generator import COMMANDS, make_template
from tests.fuzz.runner import cached_command, run

BREAKS: dict[str, Callable[[Path], None]] = {
    "a folder": lambda p: p.mkdir(),
    "a FIFO": lambda p: os.mkfifo(p),
    "a symlink loop": lambda p: p.symlink_to(p.name),
    "a symlink out of the registry": lambda p: p.symlink_to("/etc/hostname"),
}


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_settings_file_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    """`--registry DIR` whose socialgov.toml is not a regular file: exit 2 at socialgov.toml:1
    naming what it is (was: 'is not a socialgov registry', with no file:line)."""
    root = make_template(tmp_path / "reg")
    settings = root / "socialgov.toml"
    settings.unlink()
    BREAKS[kind](settings)
    with cached_command():
        for args in COMMANDS:
            outcome = run(root, args)
            assert outcome.code == 2, (args, outcome.stderr)
            assert "socialgov.toml:1: is " in outcome.stderr, (args, outcome.stderr)
            assert outcome.problem() is None


def test_an_asset_file_that_is_a_folder(tmp_path: Path) -> None:
    """`assets/domains/example.com.toml/` (a folder): exit 2 at that path for every command
    (was: walked as a folder and the domain silently left out, so `show` said 'no asset')."""
    root = make_template(tmp_path / "reg")
    asset = root / "assets" / "domains" / "example.com.toml"
    asset.unlink()
    asset.mkdir()
    (asset / "inner.toml").write_text("x = 1\n", encoding="utf-8")
    with cached_command():
        for args in COMMANDS:
            outcome = run(root, args)
            assert outcome.code == 2, (args, outcome.stderr)
            assert "assets/domains/example.com.toml:1: is a folder" in outcome.stderr, (
                args,
                outcome.stderr,
            )


def test_several_invalid_places_are_printed_one_a_line(tmp_path: Path) -> None:
    """Two invalid files: each error (and its hint) on a line of its own, registry text still
    escaped (was: the whole list on one line joined by literal '\\n')."""
    root = make_template(tmp_path / "reg")
    with (root / "people.toml").open("a", encoding="utf-8") as people:
        people.write('"x\\n::error::forged" = 1\n')
    (root / "waivers.toml").write_text("[[waiver]\n", encoding="utf-8")
    with cached_command():
        outcome = run(root, ("audit",))
    assert outcome.code == 2, outcome.stderr
    lines = outcome.stderr.splitlines()
    assert lines[0] == "socialgov: error: 2 invalid places in the registry:", lines
    assert lines[1].startswith("people.toml:14: "), lines
    assert "x\\n::error::forged" in lines[1], lines  # escaped, on the error's own line
    assert any(line.startswith("waivers.toml:1:") for line in lines[2:]), lines
    assert outcome.problem() is None, outcome.stderr


def test_recorded_server_text_loses_bidirectional_controls() -> None:
    """Server text is recorded without the characters printed output escapes (the fuzzer
    found U+202E printed raw in an error message)."""
    from socialgov.lookup.pool import clean_text

    assert clean_text("Registrar\u202e Inc\u2066.\u2028") == "Registrar Inc."
