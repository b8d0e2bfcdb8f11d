"""Global options shared by every command, and helpers to reach the registry from them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from socialgov.errors import UsageError

if TYPE_CHECKING:
    from socialgov.model import Registry


@dataclass
class State:
    registry: Path | None = None
    today_text: str | None = None
    quiet: bool = False

    @property
    def today(self) -> date:
        text = self.today_text or os.environ.get("SOCIALGOV_TODAY")
        if not text:
            return date.today()
        source = "--today" if self.today_text else "SOCIALGOV_TODAY"
        try:
            when = date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{source} {text!r} is not a date: expected YYYY-MM-DD") from None
        if not 1900 <= when.year <= 9000:
            # Dates are compared and shifted by years; the far ends of the calendar overflow.
            raise UsageError(f"{source} {text!r}: expected a date between 1900 and 9000")
        return when

    def root(self) -> Path:
        from socialgov.registry.paths import find_root

        return find_root(self.registry)

    def load(self) -> Registry:
        from socialgov.registry.store import load_current

        return load_current(self.root())


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


def parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date: expected YYYY-MM-DD") from None


# The change in progress, so that an interrupt can tell whether its commit already landed.
_change: dict[str, object] = {}
# What a command leaves to the process's exit (see `leave_for_exit`).
_left: list[object] = []


def reset_change() -> None:
    """A new command: no change of an earlier one (in the same process) is in progress, and
    nothing an earlier one left for the exit is kept."""
    _change.clear()
    _left.clear()


def leave_for_exit(*values: object) -> None:
    """Keep `values` until the process exits: a loaded registry of 100,000 assets is millions
    of objects, seconds to let go one by one and nothing when the process ends (`main` ends
    with os._exit once the output is flushed, when a command left anything here)."""
    _left.extend(values)


def left_for_exit() -> bool:
    return bool(_left)


def begin_change(root: Path) -> None:
    from socialgov.vcs import Repo

    _change.clear()
    repo = Repo.find(root)
    _change.update(root=root, head=repo.head())


def landed_commit() -> str | None:
    """The commit of the change in progress if HEAD moved since it began, else None."""
    root = _change.get("root")
    if not isinstance(root, Path):
        return None
    from socialgov.errors import SocialgovError
    from socialgov.vcs import Repo

    try:
        head = Repo.find(root).head()
    except SocialgovError:
        return None
    return head if head != _change.get("head") else None
