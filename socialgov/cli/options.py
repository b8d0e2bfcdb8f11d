"""Options that many commands share, declared once, and the line a changing command prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.output import ListFormat, chatter

if TYPE_CHECKING:
    from socialgov.cli.state import State
    from socialgov.model import Registry
    from socialgov.registry.store import Transaction

AUTHOR = Annotated[
    str | None,
    typer.Option("--author", help="Commit author, 'Name <email>' (else git's configuration)."),
]
NO_COMMIT = Annotated[
    bool, typer.Option("--no-commit", help="Leave the change in the working tree, uncommitted.")
]
OUTPUT = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
LIST_FORMAT = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]
ASSIGNMENTS = Annotated[
    list[str], typer.Argument(help="key=value (an empty value removes the key).")
]


def report_change(quiet: bool, tx: Transaction, unchanged: str = "nothing changed") -> None:
    """What the change did and its commit, on stderr."""
    if not tx.files and not tx.outside:
        chatter(unchanged, quiet=quiet)
        return
    suffix = f" [{tx.commit[:10]}]" if tx.commit else " (not committed)"
    chatter(tx.message + suffix, quiet=quiet)


def run_change(
    st: State,
    author: str | None,
    no_commit: bool,
    plan: Callable[[Transaction, Registry], object],
    unchanged: str = "nothing changed",
) -> Transaction:
    """Plan a change on the registry as it is under the lock, write and commit it, say so."""
    from socialgov.registry.store import transaction

    with transaction(st.root(), author=author, commit=not no_commit) as tx:
        plan(tx, st.load())
    report_change(st.quiet, tx, unchanged)
    return tx
