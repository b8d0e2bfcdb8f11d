"""Asset commands: add, list, show, set, owners, retire."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.completion import complete_asset, complete_owner
from socialgov.cli.options import (
    ALLOW_ORPHAN,
    ASSIGNMENTS,
    AUTHOR,
    CHANGE_FORMAT,
    DRY_RUN,
    LIST_FORMAT,
    NO_COMMIT,
    OUTPUT,
    ChangeFormat,
    run_change,
)
from socialgov.cli.output import (
    ListFormat,
    ViewFormat,
    emit_output,
    emit_remembered,
    emit_table,
    emit_text,
    output_memo,
    to_csv,
    to_json,
)
from socialgov.cli.state import state
from socialgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.model import Asset, Registry

LIST_COLUMNS = ("id", "owners", "status", "criticality", "department", "file")


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("list")(list_assets)
    app.command("show")(show)
    app.command("set")(set_command)
    app.command("owners")(owners)
    app.command("retire")(retire)


def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="KIND", help="domain, blog or social.")],
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="example.com, eng-blog, x/examplecorp, bsky/brand.example or mastodon/brand@mastodon.social.",
        ),
    ],
    owner: Annotated[
        list[str] | None,
        typer.Option(
            "--owner",
            metavar="HANDLE",
            autocompletion=complete_owner,
            help="An owner: a person or team:NAME (repeatable; the first is accountable).",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="key=value, plain (url) or dotted (blog.url) (repeatable).",
        ),
    ] = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Add an asset, in one commit; last_reviewed is set to --today.

    Example: socialgov add domain example.com --owner alice --set expires=2027-05-05
    """
    from socialgov.changes.assets import add_asset
    from socialgov.errors import UsageError
    from socialgov.model import AssetId, Kind

    try:
        asset_kind = Kind(kind.lower())
    except ValueError:
        raise UsageError(f"unknown kind {kind!r}: expected domain, blog or social") from None
    asset_id = AssetId.of(asset_kind, name)
    st = state(ctx)
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: add_asset(tx, registry, asset_id, owner or [], set_ or [], st.today),
        dry_run=dry_run,
        format=format,
    )


def list_assets(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", metavar="KIND", help="Only this kind: domain, blog or social (repeatable)."
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="HANDLE",
            autocompletion=complete_owner,
            help="Only assets this person or team:NAME owns.",
        ),
    ] = None,
    orphaned: Annotated[
        bool, typer.Option("--orphaned", help="Only active assets with no active owner.")
    ] = False,
    departed: Annotated[
        bool, typer.Option("--departed", help="Only assets a departed person still holds.")
    ] = False,
    status: Annotated[
        str | None,
        typer.Option("--status", metavar="STATUS", help="Only active or retired assets."),
    ] = None,
    department: Annotated[
        str | None,
        typer.Option("--department", metavar="NAME", help="Only this department (any case)."),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", metavar="TAG", help="Only assets with this tag (repeatable: all of them)."
        ),
    ] = None,
    criticality: Annotated[
        list[str] | None,
        typer.Option(
            "--criticality", metavar="LEVEL", help="Only low, medium or high (repeatable)."
        ),
    ] = None,
    expiring: Annotated[
        int | None,
        typer.Option(
            "--expiring",
            metavar="DAYS",
            min=0,
            help="Only domains that expire within DAYS of --today (recorded or observed date).",
        ),
    ] = None,
    format: LIST_FORMAT = ListFormat.table,
    output: OUTPUT = None,
) -> None:
    """List assets, filtered.

    Example: socialgov list --kind domain --expiring 60 --department Marketing
    """
    from socialgov.registry.query import AssetFilter, filter_assets

    st = state(ctx)
    memo = None
    if format is not ListFormat.table:
        memo = output_memo(ctx, st.root(), st.today)
        if (kept := memo.recall()) is not None:
            emit_output(kept, output, quiet=st.quiet)
    registry = st.load()
    wanted = AssetFilter.from_options(
        kinds=kind,
        status=status,
        department=department,
        tags=tag,
        criticalities=criticality,
        expiring_days=expiring,
        today=st.today,
    )
    assets = filter_assets(
        registry, owner=owner, orphaned=orphaned, departed=departed, where=wanted
    )
    if memo is None:
        emit_table(lambda c: _asset_table(c, registry, assets), output)
        return
    if format is ListFormat.json:
        text = to_json([a.to_json() for a in assets])
    else:
        text = to_csv((a.to_json() for a in assets), LIST_COLUMNS)
    emit_remembered(memo, text, 0, "", output, quiet=st.quiet)


def _asset_table(console: Console, registry: Registry, assets: list[Asset]) -> None:
    from rich.table import Table

    from socialgov.model.ownership import departed_holdings, is_orphaned

    table = Table(title=plural(len(assets), "asset"), title_justify="left")
    for column in ("asset", "owners", "status", "criticality", "department", "file", "attention"):
        table.add_column(column)
    for asset in assets:
        notes = []
        if is_orphaned(asset, registry.roster):
            notes.append("[bold red]orphaned[/]")
        held = sorted({h.handle for h in departed_holdings(asset, registry.roster)})
        if held:
            notes.append("[red]held by departed: " + ", ".join(held) + "[/]")
        label = str(asset.id)
        if asset.id.display_name != asset.name:
            label += f" ({asset.id.display_name})"
        table.add_row(
            label,
            _owners_text(registry, asset),
            asset.status.value,
            asset.criticality.value,
            asset.department or "",
            asset.file,
            "; ".join(notes),
        )
    console.print(table)


def _owners_text(registry: Registry, asset: Asset) -> str:
    parts = []
    for owner in asset.owners:
        if not registry.roster.knows(owner):
            parts.append(f"{owner} [red](unknown)[/]")
        elif not registry.roster.is_active_owner(owner):
            parts.append(f"{owner} [red](inactive)[/]")
        else:
            parts.append(owner)
    return ", ".join(parts) or "[red]none[/]"


def show(
    ctx: typer.Context,
    asset: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            autocompletion=complete_asset,
            help="Asset id, e.g. domain:example.com (or example.com where unambiguous).",
        ),
    ],
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
) -> None:
    """One asset with its owners resolved, its latest observation and its open findings.

    Example: socialgov show example.com
    """
    from socialgov.registry.query import resolve_id
    from socialgov.views.show import describe_asset

    st = state(ctx)
    registry = st.load()
    asset_id = resolve_id(registry, asset)
    details = describe_asset(registry, asset_id, st.today)
    if format is ViewFormat.json:
        emit_text(to_json(details), output)
    else:
        from socialgov.views.show import render_asset

        emit_table(lambda c: render_asset(c, details), output)


def set_command(
    ctx: typer.Context,
    asset: Annotated[
        str, typer.Argument(metavar="ID", autocompletion=complete_asset, help="Asset id.")
    ],
    assignments: ASSIGNMENTS,
    allow_orphan: ALLOW_ORPHAN = False,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Edit an asset's fields, validated, in one commit.

    Example: socialgov set example.com criticality=high domain.auto_renew=true
    """
    from socialgov.changes.assets import set_fields
    from socialgov.registry.query import resolve_id

    st = state(ctx)
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: set_fields(
            tx,
            registry,
            resolve_id(registry, asset),
            assignments,
            st.today,
            allow_orphan=allow_orphan,
        ),
        dry_run=dry_run,
        format=format,
    )


def owners(
    ctx: typer.Context,
    asset: Annotated[
        str, typer.Argument(metavar="ID", autocompletion=complete_asset, help="Asset id.")
    ],
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            metavar="HANDLE",
            autocompletion=complete_owner,
            help="Owner to add: a person or team:NAME (repeatable).",
        ),
    ] = None,
    remove: Annotated[
        list[str] | None,
        typer.Option(
            "--remove",
            metavar="HANDLE",
            autocompletion=complete_owner,
            help="Owner to remove (repeatable).",
        ),
    ] = None,
    allow_orphan: ALLOW_ORPHAN = False,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Add or remove owners of an asset, in one commit.

    Example: socialgov owners example.com --add carol --remove bob
    """
    from socialgov.changes.assets import change_owners
    from socialgov.registry.query import resolve_id

    st = state(ctx)
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: change_owners(
            tx,
            registry,
            resolve_id(registry, asset),
            add or [],
            remove or [],
            st.today,
            allow_orphan=allow_orphan,
        ),
        dry_run=dry_run,
        format=format,
    )


def retire(
    ctx: typer.Context,
    asset: Annotated[
        str, typer.Argument(metavar="ID", autocompletion=complete_asset, help="Asset id.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", metavar="REASON", help="Why the asset is retired.")
    ] = ...,  # type: ignore[assignment]
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
    dry_run: DRY_RUN = False,
    format: CHANGE_FORMAT = ChangeFormat.table,
) -> None:
    """Mark an asset retired, keeping its file and history, in one commit.

    Example: socialgov retire old-campaign.example --reason "campaign over, left to lapse"
    """
    from socialgov.changes.assets import retire as retire_asset
    from socialgov.registry.query import resolve_id

    st = state(ctx)
    run_change(
        st,
        author,
        no_commit,
        lambda tx, registry: retire_asset(
            tx, registry, resolve_id(registry, asset), reason, st.today
        ),
        dry_run=dry_run,
        format=format,
    )
