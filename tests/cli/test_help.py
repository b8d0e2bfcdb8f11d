"""Help says what to type: an example for every command, metavars, whole summaries; completion."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from socialgov.cli.app import command
from socialgov.cli.completion import complete_asset, complete_owner
from tests.cli.conftest import Cli


def _leaves(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, sub in sorted(group.commands.items()):
        if hasattr(sub, "commands"):
            found += _leaves(sub, (*path, name))
        else:
            found.append((*path, name))
    return found


COMMANDS = _leaves(command())


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_an_example_and_says_what_to_type(
    cli: Cli, path: tuple[str, ...]
) -> None:
    result = cli(*path, "--help")
    assert result.code == 0, result.stderr
    text = result.stdout
    assert "Example:" in text, f"`socialgov {' '.join(path)} --help` has no example line"
    example = text.split("Example:", 1)[1].strip().splitlines()[0]
    assert example.startswith(f"socialgov {' '.join(path)}"), example
    for python_type in ("<str>", "<int>", "<path>", " TEXT", " INTEGER", " PATH "):
        assert python_type not in text, f"{python_type!r} in the help of {path}"


def test_command_summaries_are_not_cut(cli: Cli) -> None:
    for group in ((), ("people",), ("teams",), ("waivers",)):
        text = cli(*group, "--help").stdout
        commands = text.split("Commands:", 1)[1]
        assert "..." not in commands and "…" not in commands, commands


def test_show_completion_prints_a_bash_script(cli: Cli) -> None:
    result = cli("--show-completion", "bash")
    assert result.code == 0
    assert "_socialgov_completion" in result.stdout
    assert "complete " in result.stdout


def _ctx(root: Path) -> Any:
    root_ctx = SimpleNamespace(params={"registry": str(root)})
    return SimpleNamespace(find_root=lambda: root_ctx)


def test_completion_of_asset_ids_and_handles(reg: Path) -> None:
    assert complete_asset(_ctx(reg), "social:") == ["social:x/examplecorp"]
    assert "example.com" in complete_asset(_ctx(reg), "ex")
    assert complete_owner(_ctx(reg), "A") == ["alice"]
    assert complete_owner(_ctx(reg), "team:") == ["team:web"]
    assert complete_asset(_ctx(reg / "nowhere"), "") == []
