"""The README's command list matches what `socialgov --help` offers."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from socialgov.cli.app import build_app

README = Path(__file__).resolve().parents[1] / "README.md"


def registered_commands() -> set[str]:
    group = typer.main.get_command(build_app())
    names: set[str] = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            names |= {f"{name} {s}" for s in sub}
        else:
            names.add(name)
    return names


def readme_commands() -> set[str]:
    section = README.read_text().split("## Commands", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    groups = {name.split()[0] for name in registered_commands() if " " in name}
    for row in re.findall(r"^\| `socialgov ([^`]+)`", section, flags=re.M):
        first = row.split()[0]
        group = f"{first} " if first in groups else ""
        for alternative in row.removeprefix(group).split(" / "):
            words = [w for w in alternative.split() if re.fullmatch(r"[a-z]+", w)]
            if words:
                names.add(group + words[0])
    return names


def test_readme_lists_every_command() -> None:
    assert readme_commands() == registered_commands()


def test_quick_start_has_exactly_two_commands() -> None:
    text = README.read_text()
    block = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    ci = (README.parent / ".ci/run").read_text()
    assert commands[0] in ci and commands[1] in ci
