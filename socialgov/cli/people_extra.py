"""Roster commands added to `socialgov people`: import (an HR or identity-provider export) and show."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from socialgov.cli.completion import complete_handle
from socialgov.cli.options import AUTHOR, NO_COMMIT, OUTPUT
from socialgov.cli.output import ViewFormat, chatter, emit_table, emit_text, to_json
from socialgov.cli.people import app as people_app
from socialgov.cli.state import state
from socialgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.changes.roster_import import ImportResult


# The options both roster feeds (a file and a directory) take.
SKIP_INVALID = Annotated[
    bool,
    typer.Option(
        "--skip-invalid", help="Apply the valid rows or entries and list the invalid ones."
    ),
]
MAX_DEPARTURES = Annotated[
    int | None,
    typer.Option(
        "--max-departures",
        min=0,
        help="Refuse to depart more people than this (default: 10% of the active people, at least 3).",
    ),
]
ACCEPT_RENAMES = Annotated[
    bool,
    typer.Option(
        "--accept-renames",
        help="Apply rows or entries whose handle is known but whose name and e-mail both differ.",
    ),
]
FEED_DRY_RUN = Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")]
FEED_FORMAT = Annotated[ViewFormat, typer.Option("--format", "-f", help="Output format.")]


@people_app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The CSV export (UTF-8, ',' or ';' delimited).")],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='FIELD=COLUMN (repeatable): a column, columns joined with + ("First Name+Last Name"), '
            "or COLUMN:local for an e-mail's part before @. Fields: handle, name, email, status, "
            "department, manager, departed_on.",
        ),
    ] = None,
    missing_are_departed: Annotated[
        bool,
        typer.Option(
            "--missing-are-departed",
            help="Mark people of the roster absent from the file departed.",
        ),
    ] = False,
    delimiter: Annotated[
        str | None,
        typer.Option("--delimiter", help="The column delimiter (else guessed from the header)."),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="The columns and value words of a real export: entra, okta, bamboohr, workday, google.",
        ),
    ] = None,
    status_map: Annotated[
        list[str] | None,
        typer.Option(
            "--status-map",
            help="VALUE=STATUS (repeatable): an export's status word as active, departed or on_leave.",
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="COLUMN=VALUE (repeatable): import only matching rows, e.g. --where userType=Member.",
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option("--date-format", help="strftime format of the dates, e.g. %m/%d/%Y."),
    ] = None,
    skip_invalid: SKIP_INVALID = False,
    max_departures: MAX_DEPARTURES = None,
    accept_renames: ACCEPT_RENAMES = False,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", help="Name written as `source` on the people changed (default: the preset)."
        ),
    ] = None,
    dry_run: FEED_DRY_RUN = False,
    format: FEED_FORMAT = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Bring the roster in line with an HR or identity-provider export; one commit."""
    from socialgov.changes.roster_import import (
        ImportOptions,
        check_date_format,
        import_roster,
        parse_map,
        parse_preset,
        parse_status_map,
        parse_where,
    )
    from socialgov.errors import UsageError

    st = state(ctx)
    if delimiter is not None and len(delimiter.replace("\\t", "\t")) != 1:
        raise UsageError(f"--delimiter {delimiter!r}: expected one character, e.g. ';'")
    chosen = parse_preset(preset)
    options = ImportOptions(
        mapping=parse_map(map_ or []),
        preset=chosen,
        status_map=parse_status_map(status_map or []),
        where=parse_where(where or []),
        date_format=check_date_format(date_format),
        skip_invalid=skip_invalid,
        missing_are_departed=missing_are_departed,
        max_departures=max_departures,
        accept_renames=accept_renames,
        source=source or (chosen.name if chosen else None),
        delimiter=delimiter.replace("\\t", "\t") if delimiter else None,
    )
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror}") from None
    result = import_roster(
        st.root(),
        raw,
        label=str(file),
        today=st.today,
        options=options,
        dry_run=dry_run,
        author=author,
        commit=not no_commit,
    )
    render_feed_result(result, format, output, dry_run=dry_run, quiet=st.quiet)


def render_feed_result(
    result: ImportResult, format: ViewFormat, output: Path | None, *, dry_run: bool, quiet: bool
) -> None:
    """The report of an import or a sync: table or JSON, and a one-line summary on stderr."""
    if format is ViewFormat.json:
        emit_text(to_json(result.to_json()), output)
    else:
        emit_table(lambda console: _render_import(console, result), output)
    plan = result.plan
    summary = plan.message().splitlines()[0]
    if dry_run:
        chatter(f"dry run: {summary}; nothing written", quiet=quiet)
    elif not plan.changes_anything:
        chatter(f"{summary}: the roster already matches; nothing changed", quiet=quiet)
    else:
        chatter(
            summary + (f" [{result.commit[:10]}]" if result.commit else " (not committed)"),
            quiet=quiet,
        )


def _render_import(console: Console, result: ImportResult) -> None:
    from rich.markup import escape

    plan = result.plan
    lines: list[str] = []  # printed at once: one render of thousands of lines, not thousands
    for entry in plan.added:
        lines.append(f"[green]+ {entry.handle}[/] {escape(str(entry.fields.get('name', '')))}")
    for entry in (*plan.updated, *plan.departed):
        mark = "[red]-" if entry in plan.departed else "[yellow]~"
        changes = ", ".join(
            f"{k}: {_text(entry.before.get(k))} → {_text(v)}" for k, v in entry.fields.items()
        )
        lines.append(f"{mark} {entry.handle}[/] {escape(changes)}")
    for entry in plan.leaving:
        lines.append(
            f"[yellow]{entry.handle} leaves on {entry.fields['leaving_on']}[/]: "
            f"see `socialgov people show {entry.handle}`"
        )
    if plan.invalid:
        rows = len({line for line, _ in plan.invalid})
        lines.append(f"[red]left out {plural(rows, 'invalid row')}:[/]")
        for line, problem in plan.invalid[:50]:
            lines.append(f"  {escape(plan.file)}:{line}: {escape(problem)}")
    if plan.skipped:
        lines.append(
            f"skipped {plural(len(plan.skipped), 'departed person', 'departed people')} not in the roster: "
            + escape(", ".join(plan.skipped[:20]))
            + (" …" if len(plan.skipped) > 20 else "")
        )
    for handle, count in plan.still_holding.items():
        lines.append(
            f"[yellow]{handle} still holds {plural(count, 'asset')}:[/] run `socialgov offboard {handle}`"
        )
    if not plan.changes_anything:
        lines.append("the roster already matches the file")
    if lines:
        console.print("\n".join(lines))


def _text(value: Any) -> str:
    return "—" if value is None else str(value)


@people_app.command("show")
def show_command(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(
            metavar="HANDLE", autocompletion=complete_handle, help="The person's handle."
        ),
    ],
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
) -> None:
    """Everything a person holds: owned assets (direct and via teams), access, recovery phone, contacts, findings."""
    from socialgov.changes.people import person_or_error
    from socialgov.offboard import observed_registrant_emails
    from socialgov.views.person import describe_person

    st = state(ctx)
    registry = st.load()
    person_or_error(registry, handle)
    observed = observed_registrant_emails(
        registry.root, registry, registry.roster.people[handle].emails
    )
    details = describe_person(registry, handle, st.today, observed_emails=observed)
    if format is ViewFormat.json:
        emit_text(to_json(details), output)
    else:
        emit_table(lambda console: _render_person(console, details), output)


def _render_person(console: Console, details: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    person = details["person"]
    status = person["status"] + (f" since {person['departed_on']}" if person["departed_on"] else "")
    console.print(
        f"[bold]{escape(person['handle'])}[/] {escape(person['name'])} <{escape(person['email'])}>  {status}"
    )
    facts = [
        ("department", person.get("department")),
        ("manager", details["manager"]),
        ("reports", ", ".join(details["reports"])),
        ("teams", ", ".join(f"team:{t}" for t in details["teams"])),
        ("other e-mails", ", ".join(person.get("other_emails") or [])),
    ]
    if leaving := details.get("leaving"):
        days = leaving["days"]
        when = (
            "today"
            if days == 0
            else f"in {plural(days, 'day')}"
            if days > 0
            else f"{plural(-days, 'day')} ago"
        )
        console.print(f"  [yellow]leaving on {leaving['on']} ({when})[/]")
    for label, value in facts:
        if value:
            console.print(f"  {label}: {escape(str(value))}")
    sections = (
        (
            "owns",
            details["owned"],
            ("asset", "role", "via", "status", "criticality", "successor"),
        ),
        ("access", details["access"], ("asset", "status")),
        ("recovery phone", details["recovery_phone"], ("asset", "status")),
        ("contact e-mail", details["contacts"], ("asset", "key", "email", "source")),
    )
    for title, rows, columns in sections:
        if not rows:
            continue
        table = Table(title=f"{title} ({len(rows)})", title_justify="left")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(escape(str(row.get(c) or "")) for c in columns))
        console.print(table)
    if not details["assets"]:
        console.print("holds no asset")
    elif details.get("handover_blocked"):
        blocked = details["handover_blocked"]
        console.print(
            f"[yellow]offboarding without --to would stop: {plural(len(blocked), 'active asset')} "
            f"{'has' if len(blocked) == 1 else 'have'} no "
            f"successor:[/] {escape(', '.join(blocked))}"
        )
    elif any(row.get("successor") for row in details["owned"]):
        console.print(
            "successor: who would receive the asset from `socialgov offboard "
            f"{escape(person['handle'])}` without --to"
        )
    findings = details["findings"]
    if findings is None:
        console.print("[dim]findings: the policy engine is not available[/]")
    elif findings:
        console.print(f"[bold]{plural(len(findings), 'open finding')} on these assets[/]")
        for f in findings:
            console.print(
                f"  {f['severity']:<8} {f['rule']} {f['asset']}: {escape(f['message'])}"
                f"  [dim]{f['file']}:{f['line']}[/]"
            )
    elif details["assets"]:
        console.print("[green]no open findings on these assets[/]")


@people_app.command("sync")
def sync_command(
    ctx: typer.Context,
    skip_invalid: SKIP_INVALID = False,
    max_departures: MAX_DEPARTURES = None,
    accept_renames: ACCEPT_RENAMES = False,
    dry_run: FEED_DRY_RUN = False,
    format: FEED_FORMAT = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Bring the roster in line with the directory of [people_source] (LDAP/AD or SCIM); one commit."""
    from socialgov.roster_sync import sync_people

    st = state(ctx)
    result = sync_people(
        st.root(),
        today=st.today,
        max_departures=max_departures,
        accept_renames=accept_renames,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        author=author,
        commit=not no_commit,
    )
    render_feed_result(result, format, output, dry_run=dry_run, quiet=st.quiet)
