"""Commands that read or write from git's point of view: history and codeowners."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.completion import complete_asset
from socialgov.cli.options import (
    AUTHOR,
    CHANGE_FORMAT,
    DRY_RUN,
    NO_COMMIT,
    OUTPUT,
    ChangeFormat,
    run_change,
)
from socialgov.cli.output import ViewFormat, chatter, emit_table, emit_text, to_json
from socialgov.cli.state import state
from socialgov.words import plural

if TYPE_CHECKING:
    from socialgov.registry.store import Transaction


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("codeowners")(codeowners)


def history(
    ctx: typer.Context,
    asset: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            autocompletion=complete_asset,
            help="Asset id (a removed asset needs its full KIND:NAME).",
        ),
    ],
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
) -> None:
    """The asset's timeline from git: owner and registration changes, and who made them."""
    from socialgov.errors import UsageError
    from socialgov.registry.query import resolve_id_on_disk
    from socialgov.vcs import Repo
    from socialgov.views.history import asset_history

    st = state(ctx)
    root = st.root()
    asset_id = resolve_id_on_disk(root, asset)  # no need to load the whole registry
    repo = Repo.find(root)
    prefix = repo.rel(root)
    events = asset_history(repo, "" if prefix == "." else prefix + "/", asset_id)
    if not events:
        raise UsageError(f"git has no history for {asset_id}", hint="is its file committed?")
    if format is ViewFormat.json:
        emit_text(to_json([e.to_json() for e in events]), output)
    else:

        def render(console: object) -> None:
            from rich.markup import escape
            from rich.table import Table

            table = Table(title=f"history of {asset_id}", title_justify="left")
            for column in ("date", "author", "commit", "change"):
                table.add_column(column)
            for event in events:
                table.add_row(
                    event.date[:10], escape(event.author), event.commit[:10], escape(event.summary)
                )
            console.print(table)  # type: ignore[attr-defined]

        emit_table(render, output)


def codeowners(
    ctx: typer.Context,
    path: Annotated[
        str, typer.Option("--path", help="CODEOWNERS file, relative to the repository top.")
    ] = ".github/CODEOWNERS",
    check: Annotated[
        bool,
        typer.Option("--check", help="Only report whether the file is up to date (exit 1 if not)."),
    ] = False,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Write a CODEOWNERS block from asset owners (people's `github`, teams' `github_team`), in one commit."""
    from socialgov.changes.codeowners import is_current, merge, render_block
    from socialgov.errors import UsageError
    from socialgov.vcs import Repo

    st = state(ctx)
    registry = st.load()
    repo = Repo.find(registry.root)
    target = (repo.top / path).resolve()
    if not target.is_relative_to(repo.top) or path.startswith("-"):
        raise UsageError(f"--path {path!r} must stay inside the repository {repo.top}")
    prefix = repo.rel(registry.root)
    generated = render_block(registry, "" if prefix == "." else prefix + "/")
    existing = target.read_text(encoding="utf-8") if target.is_file() else None
    for asset_id in generated.uncovered:
        chatter(
            f"note: no owner of {asset_id} has a GitHub identity; it gets no reviewer",
            quiet=st.quiet,
        )
    if check:
        if is_current(existing, generated.text):
            chatter(f"{path} is up to date", quiet=st.quiet)
            return
        chatter(f"{path} is out of date: run `socialgov codeowners`", quiet=st.quiet)
        raise typer.Exit(1)
    rel_to_registry = (
        Path(target).relative_to(registry.root) if target.is_relative_to(registry.root) else None
    )

    def plan(tx: Transaction, _registry: object) -> None:
        tx.message = f"codeowners: {path} for {plural(generated.text.count(chr(10)) - 2, 'file')}"
        content = merge(existing, generated.text).encode("utf-8")
        if rel_to_registry is not None:
            tx.write(rel_to_registry.as_posix(), content)
        else:
            tx.write_outside(target, content)

    run_change(
        st, author, no_commit, plan, f"{path} is already up to date", dry_run=dry_run, format=format
    )
