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
