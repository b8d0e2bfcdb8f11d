"""`socialgov dns`, `socialgov web`, `socialgov refresh`: DNS and web posture (SPEC §8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.options import AUTHOR, NO_COMMIT, OUTPUT, run_change
from socialgov.cli.output import (
    ViewFormat,
    chatter,
    emit_table,
    emit_text,
    progress_counter,
    to_json,
)
from socialgov.cli.state import State, state

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.lookup.dns_observation import DnsObservation
    from socialgov.lookup.web_observation import WebObservation
    from socialgov.model import Registry
    from socialgov.registry.store import Transaction

ALL = Annotated[bool, typer.Option("--all", help="Every active asset of the registry.")]
FORMAT = Annotated[ViewFormat, typer.Option("--format", "-f", help="table or json.")]


def register(app: typer.Typer) -> None:
    app.command("dns")(dns)
    app.command("web")(web)
    app.command("refresh")(refresh)


def dns(
    ctx: typer.Context,
    names: Annotated[list[str] | None, typer.Argument(help="Domains or host names.")] = None,
    all_assets: ALL = False,
    record: Annotated[
        bool,
        typer.Option("--record", help="Write observations/dns/<name>.toml, in one commit."),
    ] = False,
    format: FORMAT = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Look up NS, SOA, A/AAAA, CNAME chains, MX, SPF, DMARC, CAA and DNSSEC."""
    from socialgov.errors import UsageError
    from socialgov.posture.run import message, observe_dns, record_dns

    st = state(ctx)
    registry = _registry(st, needed=record or all_assets)
    if not names and not all_assets:
        raise UsageError("name at least one domain, or pass --all")
    observations = observe_dns(
        registry, names or [], all_assets=all_assets, progress=progress_counter(st.quiet, "dns")
    )
    if format is ViewFormat.json:
        emit_text(to_json([o.to_json() for o in observations]), output)
    else:
        emit_table(lambda console: _dns_table(console, observations), output)
    troubled = [
        o.name
        for o in observations
        if o.failed or {o.cname_end, o.status} & {"timeout", "servfail", "refused"}
    ]
    if troubled:
        more = f" and {len(troubled) - 5} more" if len(troubled) > 5 else ""
        chatter(
            f"queries failed for {', '.join(troubled[:5])}{more}; recorded as failed, not as absent",
            quiet=st.quiet,
        )
    if record:

        def plan(tx: Transaction, current: Registry) -> None:
            tx.message = message("dns", len(record_dns(tx, current, observations)))

        run_change(st, author, no_commit, plan, "nothing to record")


def web(
    ctx: typer.Context,
    assets: Annotated[list[str] | None, typer.Argument(help="Asset ids (blog:NAME, …).")] = None,
    all_assets: ALL = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record", help="Write observations/web/<asset-file-stem>.toml, in one commit."
        ),
    ] = False,
    format: FORMAT = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """GET each asset's URL: status, redirects, TLS certificate, unclaimed-page signature."""
    from socialgov.errors import UsageError
    from socialgov.posture.run import message, observe_web, record_web

    st = state(ctx)
    if not assets and not all_assets:
        raise UsageError("name at least one asset, or pass --all")
    registry = st.load()
    observations = observe_web(
        registry, assets or [], all_assets=all_assets, progress=progress_counter(st.quiet, "web")
    )
    if format is ViewFormat.json:
        emit_text(to_json([o.to_json() for o in observations]), output)
    else:
        emit_table(lambda console: _web_table(console, observations), output)
    if record:

        def plan(tx: Transaction, current: Registry) -> None:
            tx.message = message("web", len(record_web(tx, current, observations)))

        run_change(st, author, no_commit, plan, "nothing to record")


def refresh(
    ctx: typer.Context,
    record: Annotated[
        bool,
        typer.Option("--record", help="Write every observation and commit them in one commit."),
    ] = False,
    format: FORMAT = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """whois, dns and web for every active asset; exit 3 if a whois lookup failed."""
    from socialgov.posture.run import record_refresh
    from socialgov.posture.run import refresh as run_refresh
    from socialgov.registry.paths import CACHE_DIR

    st = state(ctx)
    registry = st.load()
    result = run_refresh(
        registry,
        cache_dir=registry.root / CACHE_DIR / "cache",
        progress=progress_counter(st.quiet, "refresh"),
    )
    if format is ViewFormat.json:
        emit_text(
            to_json(
                {
                    "whois": [o.to_json() for o in result.whois],
                    "dns": [o.to_json() for o in result.dns],
                    "web": [o.to_json() for o in result.web],
                }
            ),
            output,
        )
    else:

        def render(console: Console) -> None:
            from socialgov.cli.whois import _table as whois_table

            whois_table(console, result.whois)
            _dns_table(console, result.dns)
            _web_table(console, result.web)

        emit_table(render, output)
    if record:
        run_change(
            st,
            author,
            no_commit,
            lambda tx, current: record_refresh(tx, current, result),
            "nothing to record",
        )
    for failed in result.whois_failed:
        chatter(f"lookup failed for {failed.domain}: {failed.error}", quiet=st.quiet)
    if result.whois_failed:
        raise typer.Exit(3)


def _registry(st: State, *, needed: bool) -> Registry | None:
    from socialgov.errors import UsageError

    try:
        return st.load()
    except UsageError:
        if needed:
            raise
        return None  # names looked up without a registry use the default settings


def _dns_table(console: Console, observations: list[DnsObservation]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="DNS", title_justify="left")
    for column in ("name", "status", "NS", "MX", "SPF / DMARC", "CAA", "DNSSEC", "CNAME"):
        table.add_column(column)
    for o in observations:
        status = o.error or o.status
        if o.failed:
            status += "\n[yellow]failed: " + ", ".join(f"{k} {v}" for k, v in o.failed.items())
            status += "[/]"
        lame = {c.host: c.answer for c in o.name_servers if c.lame}
        ns = "\n".join(f"{h} [red]({lame[h]})[/]" if h in lame else h for h in o.ns)
        dnssec = ""
        if o.dnssec is not None:
            d = o.dnssec
            dnssec = (
                "signed, valid"
                if d.validates
                else f"[red]invalid[/] {escape(d.detail)}"
                if d.validates is False
                else "unsigned"
                if d.ds is False or d.dnskey is False
                else "?"
            )
        cname = ""
        if o.cname:
            cname = " → ".join(o.cname) + f" ({o.cname_end})"
        table.add_row(
            o.name,
            status,
            ns,
            "\n".join(o.mx),
            escape("\n".join((*o.spf, *o.dmarc))),
            escape("\n".join(o.caa)),
            dnssec,
            escape(cname),
        )
    console.print(table)


def _web_table(console: Console, observations: list[WebObservation]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="web", title_justify="left")
    for column in ("asset", "url", "answer", "certificate", "unclaimed"):
        table.add_column(column)
    for o in observations:
        if o.refused:
            answer = f"[red]refused: {escape(o.refused)}[/]"
        elif o.error:
            answer = f"[red]{escape(o.error)}[/]"
        else:
            answer = f"{o.status} {escape(o.final_url or '')}"
        cert = ""
        if o.tls is not None:
            cert = f"{escape(o.tls.issuer)}\nuntil {o.tls.not_after.date().isoformat()}"
            if o.tls.problem:
                cert += f"\n[red]{o.tls.problem}[/]"
        unclaimed = f"[red]{escape(o.unclaimed.service)}[/]" if o.unclaimed else ""
        table.add_row(o.asset, escape(o.url), answer, cert, unclaimed)
    console.print(table)
