"""`socialgov init`: create a registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialgov.cli.output import chatter
from socialgov.cli.state import state


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder of the new registry.")] = Path("."),
    org: Annotated[
        str, typer.Option("--org", help="The organisation's name, the expected registrant.")
    ] = ...,  # type: ignore[assignment]
    email_domain: Annotated[
        list[str] | None,
        typer.Option("--email-domain", help="A company e-mail domain (repeatable)."),
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="Commit author, 'Name <email>'.")
    ] = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Leave the change in the working tree.")
    ] = False,
) -> None:
    """Create a registry (git init if needed) and make its first commit."""
    from socialgov.registry.init import create_registry

    sha = create_registry(directory, org, email_domain or [], author=author, commit=not no_commit)
    chatter(
        f"Created a socialgov registry for {org} in {directory}"
        + (f" (commit {sha[:10]})" if sha else ""),
        quiet=state(ctx).quiet,
    )
