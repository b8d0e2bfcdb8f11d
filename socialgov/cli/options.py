"""Options that many commands share, declared once, and the line a changing command prints."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from socialgov.cli.output import ListFormat, chatter, check_output

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
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        callback=check_output,
        help="Write to this file instead of stdout ('-' is stdout).",
    ),
]
LIST_FORMAT = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]
ASSIGNMENTS = Annotated[
    list[str],
    typer.Argument(metavar="KEY=VALUE...", help="key=value (an empty value removes the key)."),
]


class ChangeFormat(StrEnum):
    table = "table"
    json = "json"


DRY_RUN = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a diff; write and commit nothing.")
]
CHANGE_FORMAT = Annotated[
    ChangeFormat,
    typer.Option(
        "--format",
        "-f",
        help='table: the change on stderr; json: {"commit", "files", "changes"} on stdout.',
    ),
]
ALLOW_ORPHAN = Annotated[
    bool,
    typer.Option(
        "--allow-orphan", help="Allow removing the last active owner (the asset becomes orphaned)."
    ),
]


def report_change(quiet: bool, tx: Transaction, unchanged: str = "nothing changed") -> None:
    """What the change did and its commit, on stderr."""
    if not tx.files and not tx.outside:
        chatter(unchanged, quiet=quiet)
        return
    suffix = f" [{tx.commit[:10]}]" if tx.commit else " (not committed)"
    chatter(tx.message + suffix, quiet=quiet)


# --dry-run and --format of the running command, for commands that do not declare them
# (see add_change_options).
_injected: ContextVar[dict[str, Any] | None] = ContextVar("socialgov_change_options", default=None)


def run_change(
    st: State,
    author: str | None,
    no_commit: bool,
    plan: Callable[[Transaction, Registry], object],
    unchanged: str = "nothing changed",
    *,
    dry_run: bool | None = None,
    format: ChangeFormat | None = None,
) -> Transaction:
    """Plan a change on the registry as it is under the lock, write and commit it, say so.

    Every changing command comes through here, so `--dry-run` (the change as a diff,
    nothing written) and `--format json` work the same for all of them.
    """
    from socialgov.cli import state as state_module
    from socialgov.registry.store import transaction

    injected = _injected.get() or {}
    if dry_run is None:
        dry_run = bool(injected.get("dry_run", False))
    if format is None:
        format = ChangeFormat(injected.get("format", ChangeFormat.table))

    root = st.root()
    state_module.begin_change(root)
    with transaction(
        root, author=author, commit=not no_commit and not dry_run, dry_run=dry_run
    ) as tx:
        plan(tx, st.load())
        changes = describe_changes(tx)  # before writing: the diff is against the files as they were
    for note in tx.notes:
        chatter(note, quiet=st.quiet)
    if format is ChangeFormat.json:
        from socialgov.cli.output import emit_text, to_json

        emit_text(
            to_json(
                {
                    "commit": tx.commit,
                    "files": [c["file"] for c in changes],
                    "changes": changes,
                    "message": tx.message if changes else None,
                    "dry_run": dry_run,
                    "notes": tx.notes,
                }
            ),
            None,
        )
    elif dry_run:
        import sys

        sys.stdout.write("".join(c["diff"] for c in changes))
        sys.stdout.flush()
    if dry_run:
        chatter(
            f"dry run: {tx.message}; nothing written" if changes else f"dry run: {unchanged}",
            quiet=st.quiet,
        )
    else:
        report_change(st.quiet, tx, unchanged)
    return tx


def describe_changes(tx: Transaction) -> list[dict[str, Any]]:
    """Each file the change writes: registry-relative path, what happens to it, a unified diff."""
    import difflib
    import os

    out = []
    for path, data in sorted(tx.changed().items()):
        rel = os.path.relpath(path, tx.root).replace(os.sep, "/")
        try:
            before = path.read_text(encoding="utf-8")
            action = "deleted" if data is None else "modified"
        except FileNotFoundError:
            before, action = "", "added"
        after = "" if data is None else data.decode("utf-8")
        diff = "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile="/dev/null" if action == "added" else f"a/{rel}",
                tofile="/dev/null" if action == "deleted" else f"b/{rel}",
            )
        )
        out.append({"file": rel, "action": action, "diff": diff})
    return out


def add_change_options(app: typer.Typer) -> None:
    """Give every command that changes the registry through `run_change` the options
    `--dry-run` and `--format table|json`, unless it declares them itself — so that
    commands of any module get them without repeating the declarations."""
    for info in app.registered_commands:
        if info.callback is not None and "run_change" in info.callback.__code__.co_names:
            info.callback = _with_change_options(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            add_change_options(group.typer_instance)


def _with_change_options(func: Callable[..., Any]) -> Callable[..., Any]:
    try:
        signature = inspect.signature(func, eval_str=True)
    except (NameError, TypeError):  # annotations only a type checker can resolve: leave it
        return func
    names = set(signature.parameters)
    extra = {"dry_run": DRY_RUN, "format": CHANGE_FORMAT}
    if names & set(extra):
        return func

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = _injected.set({name: kwargs.pop(name) for name in extra})
        try:
            return func(*args, **kwargs)
        finally:
            _injected.reset(token)

    defaults = {"dry_run": False, "format": ChangeFormat.table}
    parameters = list(signature.parameters.values()) + [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=defaults[name], annotation=annotation
        )
        for name, annotation in extra.items()
    ]
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**func.__annotations__, **extra}
    return wrapper
