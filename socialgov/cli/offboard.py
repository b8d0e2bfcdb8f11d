"""`socialgov offboard`: hand over everything a leaver holds, in one commit, and print the checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.completion import complete_handle, complete_owner
from socialgov.cli.options import AUTHOR, NO_COMMIT, OUTPUT
from socialgov.cli.output import ViewFormat, chatter, emit_table, emit_text, to_json
from socialgov.cli.state import parse_date, state
from socialgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.offboard import OffboardResult


def register(app: typer.Typer) -> None:
    app.command("offboard")(offboard)


def offboard(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(
            metavar="HANDLE", autocompletion=complete_handle, help="The leaver's handle."
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="HANDLE",
            autocompletion=complete_owner,
            help="Give every asset to this person or team:NAME "
            "(else to an active backup owner, else to the manager).",
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Departure date, YYYY-MM-DD (else --today).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan; change nothing.")
    ] = False,
    branch: Annotated[
        str | None,
        typer.Option(
            "--branch",
            help="Commit on this new branch for review; HEAD and the working tree stay.",
        ),
    ] = None,
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Reassign everything a person holds, strip their access, mark them departed; one commit."""
    from socialgov.offboard import offboard as run_offboard

    st = state(ctx)
    day = parse_date(on, "--on") or st.today
    result = run_offboard(
        st.root(),
        handle.strip(),
        to=to.strip() if to else None,
        on=day,
        dry_run=dry_run,
        branch=branch,
        author=author,
        commit=not no_commit,
    )
    if format is ViewFormat.json:
        emit_text(to_json(result.to_json()), output)
    else:
        emit_table(lambda console: render(console, result), output)
    plan = result.plan
    if dry_run:
        chatter("dry run: nothing changed", quiet=st.quiet)
    elif not plan.changes_anything:
        chatter(f"{plan.person} holds nothing to hand over; nothing changed", quiet=st.quiet)
    else:
        summary = plan.message().splitlines()[0]
        where = f" on branch {result.branch}" if result.branch else ""
        suffix = f" [{result.commit[:10]}]{where}" if result.commit else " (not committed)"
        chatter(summary + suffix, quiet=st.quiet)


def render(console: Console, result: OffboardResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    plan = result.plan
    console.print(
        f"[bold]offboard {escape(plan.person)}[/]"
        + (f" to {escape(plan.to)}" if plan.to else "")
        + f", departed {plan.on.isoformat()}"
        + (" (dry run)" if result.dry_run else "")
    )
    if plan.reassigned:
        table = Table(
            title=f"{plural(len(plan.reassigned), 'asset')} reassigned", title_justify="left"
        )
        for column in ("asset", "from", "to", "how", "owners now"):
            table.add_column(column)
        for r in plan.reassigned:
            table.add_row(
                str(r.asset), r.owner, r.successor, r.how, escape(", ".join(r.owners_after))
            )
        console.print(table)
    if plan.access_removed:
        table = Table(
            title=f"{plural(len(plan.access_removed), 'access entry', 'access entries')} removed",
            title_justify="left",
        )
        table.add_column("asset")
        table.add_column("removed from")
        for a in plan.access_removed:
            table.add_row(str(a.asset), a.key)
        console.print(table)
    if plan.teams_left:
        console.print("left teams: " + ", ".join(f"team:{t}" for t in plan.teams_left))
    if plan.mark_departed:
        console.print(f"marked departed on {plan.on.isoformat()}")
    if not plan.changes_anything:
        console.print(f"nothing to change: {escape(plan.person)} holds no asset and has left")
    for warning in plan.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    if plan.checklist:
        table = Table(
            title=f"manual checklist: {plural(len(plan.checklist), 'step')} no file change can do",
            title_justify="left",
        )
        for column in ("asset", "action", "detail"):
            table.add_column(column)
        for item in plan.checklist:
            table.add_row(str(item.asset), item.action, escape(item.detail))
        console.print(table)
