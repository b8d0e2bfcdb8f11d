"""`socialgov whois`: registration data from RDAP and WHOIS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socialgov.cli.options import AUTHOR, NO_COMMIT, OUTPUT, report_change
from socialgov.cli.output import (
    ViewFormat,
    chatter,
    emit_table,
    emit_text,
    progress_counter,
    to_json,
)
from socialgov.cli.state import state

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.lookup.observation import Observation


def register(app: typer.Typer) -> None:
    app.command("whois")(whois)


def whois(
    ctx: typer.Context,
    domains: Annotated[list[str] | None, typer.Argument(help="Domains to look up.")] = None,
    all_domains: Annotated[
        bool, typer.Option("--all", help="Every active domain of the registry.")
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record", help="Write observations/<domain>.toml and commit them in one commit."
        ),
    ] = False,
    from_file: Annotated[
        Path | None,
        typer.Option("--from-file", help="Parse a saved WHOIS text or RDAP JSON response offline."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the servers even within cache_hours.")
    ] = False,
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """Look up registration data (RDAP first, then WHOIS); exit 3 if a lookup failed."""
    from dataclasses import replace

    from socialgov.changes.observe import (
        look_up,
        normalise_domains,
        parse_file,
        registry_domains,
        user_cache_dir,
    )
    from socialgov.errors import UsageError
    from socialgov.lookup.settings import LookupSettings
    from socialgov.registry.paths import CACHE_DIR

    st = state(ctx)
    registry = (
        st.load()
        if (record or all_domains or st.registry is not None or _has_registry(st))
        else None
    )
    names = normalise_domains(domains or [])
    if all_domains:
        if registry is None:
            raise UsageError("--all needs a registry")
        names += [d for d in registry_domains(registry) if d not in names]
    if not names:
        raise UsageError("name at least one domain, or pass --all")
    if from_file is not None:
        if len(names) != 1:
            raise UsageError("--from-file parses one response: name exactly one domain")
        observations = [parse_file(names[0], from_file, record=record)]
    else:
        settings = registry.settings.lookup if registry else LookupSettings()
        if no_cache:
            settings = replace(settings, cache_hours=0)
        cache = registry.root / CACHE_DIR / "cache" if registry else user_cache_dir()
        progress = progress_counter(st.quiet, "whois")
        observations = look_up(names, settings, cache_dir=cache, progress=progress)
    if format is ViewFormat.json:
        emit_text(to_json([o.to_json() for o in observations]), output)
    else:
        emit_table(lambda console: _table(console, observations), output)
    if record:
        assert registry is not None
        from socialgov.changes.observe import record as record_observations
        from socialgov.registry.store import transaction

        with transaction(registry.root, author=author, commit=not no_commit) as tx:
            record_observations(tx, st.load(), observations)
        report_change(st.quiet, tx, "nothing to record")
    failed = [o for o in observations if o.registered is None]
    if failed:
        for observation in failed:
            chatter(f"lookup failed for {observation.domain}: {observation.error}", quiet=st.quiet)
        raise typer.Exit(3)


def _has_registry(st: object) -> bool:
    from socialgov.errors import UsageError

    try:
        st.root()  # type: ignore[attr-defined]
    except UsageError:
        return False
    return True


def _table(console: Console, observations: list[Observation]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="registration data", title_justify="left")
    for column in (
        "domain",
        "registered",
        "via",
        "registrar",
        "registrant",
        "created",
        "expires",
        "name servers",
    ):
        table.add_column(column)
    for o in observations:
        if o.registered is None:
            state = f"[red]lookup failed: {escape(o.error or '?')}[/]"
        else:
            state = "yes" if o.registered else "[yellow]no[/]"
        registrant = "(redacted)" if o.registrant_redacted else (o.registrant_org or "")
        table.add_row(
            o.domain,
            state,
            f"{o.source or ''} {o.server or ''}".strip(),
            escape(o.registrar or ""),
            escape(registrant),
            o.created.isoformat() if o.created else "",
            o.expires.isoformat() if o.expires else "",
            "\n".join(o.name_servers),
        )
    console.print(table)
