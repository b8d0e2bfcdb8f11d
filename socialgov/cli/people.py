"""Roster commands: people add, list, set, depart."""

from __future__ import annotations

from typing import Annotated

import typer

from socialgov.cli.completion import complete_handle
from socialgov.cli.options import ASSIGNMENTS, AUTHOR, LIST_FORMAT, NO_COMMIT, OUTPUT, run_change
from socialgov.cli.output import ListFormat, emit_table, emit_text, to_csv, to_json
from socialgov.cli.state import parse_date, state
from socialgov.words import plural

app = typer.Typer(no_args_is_help=True)


def register(parent: typer.Typer) -> None:
    """`people` and its commands (people_extra adds those beyond add, list, set, depart)."""
    from socialgov.cli import people_extra  # noqa: F401

    parent.add_typer(
        app, name="people", help="The roster: add, list, show, set, depart, import people."
    )


PEOPLE_COLUMNS = ("handle", "name", "email", "status", "department", "manager", "departed_on")


@app.command("add")
def add(
    ctx: typer.Context,
    handle: Annotated[str, typer.Argument(help="Short lower-case handle, e.g. alice.")],
    name: Annotated[str, typer.Option("--name", help="Full name.")] = ...,  # type: ignore[assignment]
    email: Annotated[str, typer.Option("--email", help="Work e-mail address.")] = ...,  # type: ignore[assignment]
    department: Annotated[str | None, typer.Option("--department", help="Department.")] = None,
    manager: Annotated[
        str | None,
        typer.Option(
            "--manager",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="Handle of their manager.",
        ),
    ] = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Add a person to the roster, in one commit."""
    from socialgov.changes.people import add_person

    fields = {"name": name, "email": email, "department": department, "manager": manager}
    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: add_person(tx, registry, handle.strip().lower(), fields),
    )


@app.command("list")
def list_people(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="Only people with this status.")
    ] = None,
    format: LIST_FORMAT = ListFormat.table,
    output: OUTPUT = None,
) -> None:
    """List the roster."""
    from socialgov.errors import UsageError
    from socialgov.model import PersonStatus

    st = state(ctx)
    registry = st.load()
    people = sorted(registry.roster.people.values(), key=lambda p: p.handle)
    if status is not None:
        if status not in PersonStatus._value2member_map_:
            raise UsageError(f"--status {status!r}: expected active, departed or on_leave")
        people = [p for p in people if p.status.value == status]
    rows = [p.to_json() for p in people]
    if format is ListFormat.json:
        emit_text(to_json(rows), output)
    elif format is ListFormat.csv:
        emit_text(to_csv(rows, PEOPLE_COLUMNS), output)
    else:

        def render(console: object) -> None:
            from rich.table import Table

            table = Table(title=plural(len(rows), "person", "people"), title_justify="left")
            for column in PEOPLE_COLUMNS:
                table.add_column(column)
            for row in rows:
                style = "red" if row["status"] == "departed" else None
                table.add_row(*[str(row[c] or "") for c in PEOPLE_COLUMNS], style=style)
            console.print(table)  # type: ignore[attr-defined]

        emit_table(render, output)


@app.command("set")
def set_command(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(
            metavar="HANDLE", autocompletion=complete_handle, help="The person's handle."
        ),
    ],
    assignments: ASSIGNMENTS,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Change a person's fields, in one commit."""
    from socialgov.changes.people import set_person

    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: set_person(tx, registry, handle, assignments),
    )


@app.command("depart")
def depart(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(
            metavar="HANDLE", autocompletion=complete_handle, help="The person's handle."
        ),
    ],
    on: Annotated[
        str | None, typer.Option("--on", help="Departure date, YYYY-MM-DD (else --today).")
    ] = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Mark a person departed (use `socialgov offboard` to also hand over what they hold)."""
    from socialgov.changes.people import depart_person

    st = state(ctx)
    day = parse_date(on, "--on") or st.today
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: depart_person(tx, registry, handle, day),
        f"{handle} is already departed; nothing changed",
    )
