"""Help says what to type: an example for every command, metavars, whole summaries; completion."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from socialgov.cli.app import COMMAND_MODULES, build_app, command, invoked_module
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


COMMANDS = _leaves(command([]))


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


@pytest.mark.parametrize("module", list(COMMAND_MODULES))
def test_command_modules_lists_exactly_what_each_module_registers(module: str) -> None:
    """A run builds only the invoked command's module, found through COMMAND_MODULES; a command
    missing there would still work (the whole app is built) but a wrong entry would not."""
    import typer.main

    built = typer.main.get_command(build_app((module,)))
    assert sorted(built.commands) == sorted(COMMAND_MODULES[module])  # type: ignore[attr-defined]


def test_every_command_belongs_to_one_module() -> None:
    names = [name for names in COMMAND_MODULES.values() for name in names]
    assert len(names) == len(set(names))
    assert set(names) == set(command([]).commands)


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["history", "example.com"], "gitviews"),
        (["--registry", "list", "list"], "assets"),  # the option's value is not the command
        (["--today", "2026-01-01", "-q", "people", "list"], "people"),
        (["--registry=x", "audit"], "audit"),
        ([], None),
        (["--help"], None),
        (["histroy"], None),  # click suggests the right name from the whole app
        (["--", "list"], None),
        (["--version"], ""),  # answered before any command: none is built
        (["-q", "--version", "list"], ""),
    ],
)
def test_a_run_builds_only_the_module_of_its_command(argv: list[str], module: str | None) -> None:
    assert invoked_module(argv) == module


def test_a_lazily_built_command_has_the_same_help_as_in_the_whole_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lazy, whole = command(["history"]), command([])
    assert sorted(lazy.commands) == ["codeowners", "history"]
    assert "audit" in whole.commands
    helps = []
    for built in (lazy, whole):
        with pytest.raises(SystemExit):
            built.main(args=["history", "--help"], prog_name="socialgov")
        helps.append(capsys.readouterr().out)
    assert "Example:" in helps[0]
    assert helps[0] == helps[1]


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
