"""Tab completion through the shell protocol typer installs (`_SOCIALGOV_COMPLETE`): asset ids
for the commands that take one, handles for those that take a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cli


def complete(cli: Cli, *words: str) -> list[str]:
    """What bash offers after `socialgov WORDS` (the last word is the one being typed)."""
    line = " ".join(("socialgov", *words))
    result = cli(
        env={
            "_SOCIALGOV_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words)),
        }
    )
    assert result.code == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("history", "social:"), ["social:x/examplecorp"]),
        (("history", "exa"), ["example.com"]),
        (("history", "eng"), ["eng-blog"]),
        (("history", "blog:"), ["blog:eng-blog"]),
        (("offboard", "b"), ["bob"]),
        (("offboard", ""), ["alice", "bob", "carol", "dora"]),
        (("offboard", "bob", "--to", "team:"), ["team:web"]),
        (("offboard", "bob", "--to", "c"), ["carol"]),
        (("people", "show", "a"), ["alice"]),
        (("people", "show", "d"), ["dora"]),
        (("people", "set", "c"), ["carol"]),
        (("people", "depart", "b"), ["bob"]),
        (("people", "add", "zed", "--manager", "ca"), ["carol"]),
        (("notify", "--to", "al"), ["alice"]),
        (("calendar", "--person", "do"), ["dora"]),
        (("show", "social:"), ["social:x/examplecorp"]),  # the existing wiring, for comparison
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_commands_complete_asset_ids_and_handles(
    cli: Cli, words: tuple[str, ...], expected: list[str]
) -> None:
    assert complete(cli, *words) == expected


def test_completion_outside_a_registry_offers_nothing(cli: Cli, tmp_path: Path) -> None:
    elsewhere = Cli(tmp_path / "empty", cli.capsys, cli.monkeypatch)
    elsewhere.cwd.mkdir()
    assert complete(elsewhere, "history", "") == []
    assert complete(elsewhere, "people", "show", "") == []
