"""Lifecycle commands: people remove/rename, teams, rename an asset, waivers list/renew/remove."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from socialgov.cli.completion import complete_asset, complete_handle
from socialgov.cli.options import (
    AUTHOR,
    CHANGE_FORMAT,
    DRY_RUN,
    LIST_FORMAT,
    NO_COMMIT,
    OUTPUT,
    ChangeFormat,
    run_change,
)
from socialgov.cli.output import ListFormat, emit_table, emit_text, to_csv, to_json
from socialgov.cli.state import parse_date, state
from socialgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

teams_app = typer.Typer(no_args_is_help=True)
waivers_app = typer.Typer(no_args_is_help=True)

HANDLE_ARG = Annotated[
    str,
    typer.Argument(metavar="HANDLE", autocompletion=complete_handle, help="The person's handle."),
]
TEAM_ARG = Annotated[str, typer.Argument(metavar="TEAM", help="The team's name (or team:NAME).")]
ASSET_ARG = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        autocompletion=complete_asset,
        help="Asset id (or its name where unambiguous).",
    ),
]
RULE_ARG = Annotated[str, typer.Argument(metavar="RULE", help="The rule id, e.g. mfa-missing.")]


def register(app: typer.Typer) -> None:
    from socialgov.cli.people import app as people_app

    people_app.command("remove")(people_remove)
    people_app.command("rename")(people_rename)
    app.command("rename")(rename)
    app.add_typer(teams_app, name="teams", help="Teams of the roster: list, add, remove, members.")
    app.add_typer(waivers_app, name="waivers", help="Accepted exceptions: list, renew, remove.")


def people_remove(
    ctx: typer.Context,
    handle: HANDLE_ARG,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Delete a person from the roster; refused while they hold anything (offboard them first).

    Example: socialgov people remove intern2019
    """
    from socialgov.changes.lifecycle import remove_person

    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: remove_person(tx, registry, handle),
        dry_run=dry_run,
        format=format,
    )


def people_rename(
    ctx: typer.Context,
    handle: HANDLE_ARG,
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new handle.")],
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Give a person a new handle, rewriting every owner, access, team, manager and waiver reference in one commit.

    Example: socialgov people rename lchen lin.chen
    """
    from socialgov.changes.lifecycle import rename_person

    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: rename_person(tx, registry, handle, new),
        dry_run=dry_run,
        format=format,
    )


def rename(
    ctx: typer.Context,
    asset: ASSET_ARG,
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="The new name (same kind), e.g. x/newbrand.")
    ],
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Rename an asset (a git rename: `history` follows it) and the waivers and blogs naming it.

    Example: socialgov rename social:x/oldbrand x/newbrand
    """
    from socialgov.changes.lifecycle import rename_asset
    from socialgov.registry.query import resolve_id

    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: rename_asset(tx, registry, resolve_id(registry, asset), new),
        dry_run=dry_run,
        format=format,
    )


# --- teams ------------------------------------------------------------------------------


@teams_app.command("list")
def teams_list(
    ctx: typer.Context,
    format: LIST_FORMAT = ListFormat.table,
    output: OUTPUT = None,
) -> None:
    """List the teams with their members and how many assets each owns.

    Example: socialgov teams list --format json
    """
    registry = state(ctx).load()
    rows: list[dict[str, Any]] = []
    for name, team in sorted(registry.roster.teams.items()):
        owner = f"team:{name}"
        rows.append(
            {
                "team": owner,
                "members": list(team.members),
                "active_members": [m for m in team.members if registry.roster.people[m].active],
                "assets": sum(owner in a.owners for a in registry.assets.values()),
            }
        )
    if format is ListFormat.json:
        emit_text(to_json(rows), output)
    elif format is ListFormat.csv:
        emit_text(to_csv(rows, ("team", "members", "active_members", "assets")), output)
    else:

        def render(console: Console) -> None:
            from rich.table import Table

            table = Table(title=plural(len(rows), "team"), title_justify="left")
            for column in ("team", "members", "assets"):
                table.add_column(column)
            for row in rows:
                table.add_row(row["team"], ", ".join(row["members"]), str(row["assets"]))
            console.print(table)

        emit_table(render, output)


@teams_app.command("add")
def teams_add(
    ctx: typer.Context,
    name: TEAM_ARG,
    member: Annotated[
        list[str] | None,
        typer.Option(
            "--member",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="A member (repeatable).",
        ),
    ] = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Add a team to the roster, in one commit.

    Example: socialgov teams add web --member alice --member dave
    """
    from socialgov.changes.lifecycle import add_team

    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: add_team(tx, registry, name, member or []),
        dry_run=dry_run,
        format=format,
    )


@teams_app.command("remove")
def teams_remove(
    ctx: typer.Context,
    name: TEAM_ARG,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Delete a team; refused while it owns assets.

    Example: socialgov teams remove spring-campaign
    """
    from socialgov.changes.lifecycle import remove_team

    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: remove_team(tx, registry, name),
        dry_run=dry_run,
        format=format,
    )


@teams_app.command("members")
def teams_members(
    ctx: typer.Context,
    name: TEAM_ARG,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="Member to add (repeatable).",
        ),
    ] = None,
    remove: Annotated[
        list[str] | None,
        typer.Option(
            "--remove",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="Member to remove (repeatable).",
        ),
    ] = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Show a team's members, or change them in one commit with --add/--remove.

    Example: socialgov teams members web --add erin --remove dave
    """
    from socialgov.changes.lifecycle import _team, change_members

    st = state(ctx)
    if not add and not remove:
        registry = st.load()
        team = registry.roster.teams[_team(registry, name)]
        emit_text("".join(f"{m}\n" for m in team.members), None)
        return
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: change_members(tx, registry, name, add or [], remove or []),
        dry_run=dry_run,
        format=format,
    )


# --- waivers ----------------------------------------------------------------------------


@waivers_app.command("list")
def waivers_list(
    ctx: typer.Context,
    format: LIST_FORMAT = ListFormat.table,
    output: OUTPUT = None,
) -> None:
    """List the waivers: rule, asset, approver, end date, and whether each is still in force.

    Example: socialgov waivers list --format csv
    """
    from socialgov.changes.waivers import current_waivers

    st = state(ctx)
    registry = st.load()
    rows = [
        {
            "rule": w.rule,
            "asset": str(w.asset),
            "approved_by": w.approved_by,
            "expires": w.expires.isoformat(),
            "state": "active" if w.active_on(st.today) else "expired",
            "reason": w.reason,
            "line": w.line,
        }
        for w in current_waivers(registry)
    ]
    columns = ("rule", "asset", "approved_by", "expires", "state", "reason")
    if format is ListFormat.json:
        emit_text(to_json(rows), output)
    elif format is ListFormat.csv:
        emit_text(to_csv(rows, columns), output)
    else:

        def render(console: Console) -> None:
            from rich.markup import escape
            from rich.table import Table

            table = Table(title=plural(len(rows), "waiver"), title_justify="left")
            for column in columns:
                table.add_column(column)
            for row in rows:
                table.add_row(*(escape(str(row[c])) for c in columns))
            console.print(table)

        emit_table(render, output)


@waivers_app.command("renew")
def waivers_renew(
    ctx: typer.Context,
    rule: RULE_ARG,
    asset: ASSET_ARG,
    until: Annotated[
        str, typer.Option("--until", metavar="DATE", help="The new last day, YYYY-MM-DD.")
    ] = ...,  # type: ignore[assignment]
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="REASON", help="A new reason.")
    ] = None,
    approved_by: Annotated[
        str | None,
        typer.Option(
            "--approved-by",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="Who approves the renewal (else the original approver, if still here).",
        ),
    ] = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Move a waiver's end date, in one commit.

    Example: socialgov waivers renew mfa-missing x/examplecorp --until 2027-06-30 --approved-by carol
    """
    from socialgov.changes.waivers import renew_waiver

    st = state(ctx)
    day = parse_date(until, "--until")
    assert day is not None
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: renew_waiver(
            tx,
            registry,
            rule=rule,
            asset=asset,
            until=day,
            today=st.today,
            reason=reason,
            approved_by=approved_by,
        ),
        dry_run=dry_run,
        format=format,
    )


@waivers_app.command("remove")
def waivers_remove(
    ctx: typer.Context,
    rule: RULE_ARG,
    asset: ASSET_ARG,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Delete a waiver, in one commit.

    Example: socialgov waivers remove mfa-missing x/examplecorp
    """
    from socialgov.changes.waivers import remove_waiver

    run_change(
        state(ctx),
        author,
        no_commit,
        lambda tx, registry: remove_waiver(tx, registry, rule=rule, asset=asset),
        dry_run=dry_run,
        format=format,
    )
