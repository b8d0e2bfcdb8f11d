"""`socialgov notify`, `calendar` and `expiring`: tell the people who can act, and what runs out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.completion import complete_handle
from socialgov.cli.options import AUTHOR, LIST_FORMAT, NO_COMMIT, OUTPUT, run_change
from socialgov.cli.output import (
    ListFormat,
    ViewFormat,
    chatter,
    emit_table,
    emit_text,
    to_csv,
    to_json,
)
from socialgov.cli.state import state
from socialgov.words import plural

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from socialgov.notify.deadlines import Deadline
    from socialgov.notify.run import NotifyResult


def register(app: typer.Typer) -> None:
    app.command("notify")(notify)
    app.command("calendar")(calendar)
    app.command("expiring")(expiring)


def notify(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show who would get what; send and record nothing.")
    ] = False,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="Only this person's digest (no webhooks).",
        ),
    ] = None,
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Send each accountable person a digest of their open findings and due reminders, once;
    record what was sent in one commit; exit 3 if a delivery failed."""
    import os

    from socialgov.notify.run import deliver, preview

    st = state(ctx)
    only = to.strip() if to else None
    if dry_run:
        result = preview(st.load(), st.today, only=only)
    else:
        results: list[NotifyResult] = []
        tx = run_change(
            st,
            author,
            no_commit,
            lambda tx, registry: results.append(
                deliver(
                    tx,
                    registry,
                    st.today,
                    only=only,
                    environ=os.environ,
                    author=author,
                    commit=not no_commit,
                )
            ),
            unchanged="nothing sent, nothing recorded",
        )
        result = results[0]
        result.commit = tx.commit
    if format is ViewFormat.json:
        emit_text(to_json(result.to_json()), output)
    else:
        emit_table(lambda console: _render(console, result), output)
    if result.plan.unrouted:
        about = sorted({n.about for n in result.plan.unrouted})
        shown = ", ".join(about[:5]) + (f" and {len(about) - 5} more" if len(about) > 5 else "")
        chatter(
            f"warning: nobody to tell about {plural(len(result.plan.unrouted), 'item')} on "
            f"{plural(len(about), 'asset or person', 'assets or people')} ({shown}): "
            "no active owner or manager; "
            "set [notify] fallback",
            quiet=st.quiet,
        )
    if dry_run:
        chatter("dry run: nothing sent, nothing recorded", quiet=st.quiet)
    if result.failures:
        for failed in result.failures:
            chatter(f"not delivered to {failed.to} ({failed.address}): {failed.error}", quiet=False)
        one = len(result.failures) == 1
        chatter(
            f"{plural(len(result.failures), 'delivery', 'deliveries')} failed; "
            f"{'it is' if one else 'they are'} not recorded and the next run sends "
            f"{'it' if one else 'them'} again",
            quiet=False,
        )
        raise typer.Exit(3)


def _render(console: Console, result: NotifyResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    plan = result.plan
    by_key = {d.to: d for d in result.deliveries}
    verb = "would get" if result.dry_run else "got"
    if not plan.digests and not plan.channels:
        console.print(f"nothing new to send as of {plan.today.isoformat()}")
    for digest in plan.digests:
        delivery = by_key.get(digest.key)
        state = (
            ""
            if result.dry_run
            else (" [green]sent[/]" if delivery and delivery.error is None else " [red]failed[/]")
        )
        cc = f", cc {', '.join(p.handle for p in digest.cc)}" if digest.cc else ""
        table = Table(
            title=f"{escape(digest.recipient.handle)} <{escape(digest.recipient.email)}>{escape(cc)} "
            f"{verb} {plural(len(digest.items), 'item')}{state}",
            title_justify="left",
        )
        for column in ("asset", "severity", "why", "what", "command"):
            table.add_column(column, overflow="fold")
        for about, items in digest.groups():
            for index, item in enumerate(items):
                n = item.notice
                table.add_row(
                    escape(about) if index == 0 else "",
                    n.severity.value,
                    item.why + (" +cc" if item.escalate else ""),
                    escape(n.message),
                    escape(n.command),
                )
        console.print(table)
    for message in plan.channels:
        delivery = by_key.get(message.key)
        state = (
            ""
            if result.dry_run
            else (" sent" if delivery and delivery.error is None else " failed")
        )
        console.print(
            f"webhook {message.webhook.kind} ({message.webhook.url_env}) {verb} "
            f"{plural(len(message.items), 'item')}{state}"
        )


def _inputs(ctx: typer.Context) -> tuple[object, date, list[Deadline]]:
    from socialgov.notify.inputs import gather

    st = state(ctx)
    registry = st.load()
    return registry, st.today, gather(registry, st.today, with_audit=False).deadlines


def calendar(
    ctx: typer.Context,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            metavar="HANDLE",
            autocompletion=complete_handle,
            help="Only what this person is told about, and their own dates.",
        ),
    ] = None,
    output: OUTPUT = None,
) -> None:
    """An iCalendar (RFC 5545) feed of expiries, waiver ends, reviews and leave dates."""
    from socialgov.changes.people import person_or_error
    from socialgov.model import Registry
    from socialgov.notify.ical import calendar as to_ical
    from socialgov.notify.plan import deadlines_for

    registry, today, deadlines = _inputs(ctx)
    assert isinstance(registry, Registry)
    if person is not None:
        person_or_error(registry, person)
        deadlines = deadlines_for(registry, deadlines, person)
    data = to_ical(deadlines, org=registry.settings.org_name, today=today)
    if output is not None:
        from socialgov.registry.save import atomic_write

        atomic_write(output, data)
    else:
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.flush()


EXPIRING_COLUMNS = (
    "date",
    "days",
    "kind",
    "asset",
    "person",
    "what",
    "detail",
    "action",
    "command",
)


def expiring(
    ctx: typer.Context,
    within: Annotated[
        int, typer.Option("--within", min=0, help="Days ahead to look (past dates are included).")
    ] = 90,
    format: LIST_FORMAT = ListFormat.table,
    output: OUTPUT = None,
) -> None:
    """Everything that runs out within DAYS, soonest first: domains, certificates, waivers,
    reviews, leave dates, credential rotations."""
    _, today, deadlines = _inputs(ctx)
    rows = [d.to_json(today) for d in deadlines if d.days_left(today) <= within]
    if format is ListFormat.json:
        emit_text(to_json(rows), output)
    elif format is ListFormat.csv:
        emit_text(to_csv(rows, EXPIRING_COLUMNS), output)
    else:
        emit_table(lambda console: _expiring_table(console, rows, within), output)


def _expiring_table(console: Console, rows: list[dict[str, object]], within: int) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title=f"{plural(len(rows), 'date')} within {plural(within, 'day')}", title_justify="left"
    )
    for column in ("date", "in", "kind", "what", "command"):
        table.add_column(column, overflow="fold")
    for row in rows:
        days = int(str(row["days"]))
        when = "today" if days == 0 else f"{days} d" if days > 0 else f"[red]{-days} d ago[/]"
        what = str(row["what"]) + (f" ({row['detail']})" if row["detail"] else "")
        table.add_row(
            str(row["date"]), when, str(row["kind"]), escape(what), escape(str(row["command"]))
        )
    console.print(table)
