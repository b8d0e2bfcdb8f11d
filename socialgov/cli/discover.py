"""`socialgov discover` and `socialgov lookalikes`: what nobody registered, and what an attacker would."""

from __future__ import annotations

from pathlib import Path
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
from socialgov.cli.state import state
from socialgov.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from socialgov.discover.candidates import Candidate
    from socialgov.lookalikes.check import Checked


def register(app: typer.Typer) -> None:
    app.command("discover")(discover)
    app.command("lookalikes")(lookalikes)


def discover(
    ctx: typer.Context,
    registrar_export: Annotated[
        list[Path] | None,
        typer.Option(
            "--registrar-export",
            help="A registrar portfolio export (CSV: MarkMonitor, CSC, GoDaddy, Namecheap, Cloudflare, Gandi) (repeatable).",
            show_default=False,
        ),
    ] = None,
    zone: Annotated[
        list[Path] | None,
        typer.Option(
            "--zone", help="A DNS zone file, BIND format (repeatable).", show_default=False
        ),
    ] = None,
    ct: Annotated[
        list[Path] | None,
        typer.Option(
            "--ct",
            help="Certificate-transparency results: crt.sh or Cert Spotter JSON (repeatable).",
            show_default=False,
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="For another CSV: domain=COLUMN and optionally expires=COLUMN (repeatable).",
            show_default=False,
        ),
    ] = None,
    hosts: Annotated[
        bool, typer.Option("--hosts", help="Also list plain hosts, not only registrable domains.")
    ] = False,
    add: Annotated[
        bool,
        typer.Option(
            "--add", help="Add every candidate with no owner and the tag discovered, in one commit."
        ),
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            help="Write the candidates to observations/discover/candidates.toml (for the HTML report), in one commit.",
        ),
    ] = False,
    format: Annotated[
        ViewFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ViewFormat.table,
    output: OUTPUT = None,
    author: AUTHOR = None,
    no_commit: NO_COMMIT = False,
) -> None:
    """List the domains and blogs that exports, zone files and certificate logs show and the registry does not hold."""
    from socialgov.discover.apply import add_candidates, record_candidates
    from socialgov.discover.candidates import Inputs, find_candidates, read_inputs
    from socialgov.discover.registrar import parse_mapping
    from socialgov.errors import UsageError

    st = state(ctx)
    if add and record:
        raise UsageError(
            "--add and --record exclude each other: added candidates are no longer candidates"
        )
    inputs = Inputs(
        exports=registrar_export or [],
        zones=zone or [],
        ct=ct or [],
        mapping=parse_mapping(map_ or []),
    )
    if not (inputs.exports or inputs.zones or inputs.ct):
        raise UsageError("give at least one --registrar-export, --zone or --ct file")
    if inputs.mapping and not inputs.exports:
        raise UsageError("--map applies to --registrar-export files; give one")
    sightings = read_inputs(inputs, st.today)  # every file is read before anything is written
    registry = st.load()
    candidates = find_candidates(registry, sightings, hosts=hosts)
    if format is ViewFormat.json:
        emit_text(to_json([c.to_json() for c in candidates]), output)
    else:
        emit_table(lambda console: _candidate_table(console, candidates), output)
    if add and candidates:
        run_change(
            st,
            author,
            no_commit,
            lambda tx, current: add_candidates(
                tx, current, find_candidates(current, sightings, hosts=hosts)
            ),
        )
    elif record:
        run_change(
            st,
            author,
            no_commit,
            lambda tx, current: record_candidates(
                tx, find_candidates(current, sightings, hosts=hosts), st.today
            ),
        )
    elif add:
        chatter("nothing to add: the registry holds everything the inputs show", quiet=st.quiet)


def _candidate_table(console: Console, candidates: list[Candidate]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{len(candidates)} not in the registry", title_justify="left")
    for column in ("candidate", "evidence", "source"):
        table.add_column(column)
    for c in candidates:
        label = str(c.id)
        if c.id.display_name != c.id.name:
            label += f" ({c.id.display_name})"
        evidence = f"[yellow]{escape(c.evidence)}[/]" if c.expired else escape(c.evidence)
        more = f" (+{len(c.sources) - 1} more)" if len(c.sources) > 1 else ""
        table.add_row(label, evidence, escape(c.source) + more)
    console.print(table)


def lookalikes(
    ctx: typer.Context,
    domains: Annotated[
        list[str] | None,
        typer.Argument(help="Domains to imitate (default: every active domain of the registry)."),
    ] = None,
    fuzzer: Annotated[
        list[str] | None,
        typer.Option(
            "--fuzzer",
            help="Only these kinds: omission, insertion, replacement, transposition, repetition, hyphenation, bitsquatting, vowel-swap, homoglyph, tld-swap (repeatable).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Look each one up (RDAP/WHOIS, the [lookup] limits) and record the registered ones under observations/lookalikes/, in one commit.",
        ),
    ] = False,
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
    """The names an attacker would register against the organisation's domains; --check looks them up."""
    from dataclasses import replace

    from socialgov.lookalikes.check import check_lookalikes, record_lookalikes, unchecked
    from socialgov.lookalikes.generate import generate_for_registry
    from socialgov.registry.paths import CACHE_DIR

    st = state(ctx)
    registry = st.load()
    found = generate_for_registry(registry, domains or [], fuzzer or [])
    if not check:
        results = unchecked(found)
    else:
        settings = registry.settings.lookup
        if no_cache:
            settings = replace(settings, cache_hours=0)
        progress = progress_counter(st.quiet, "lookalikes --check")
        results = check_lookalikes(
            registry,
            found,
            settings,
            cache_dir=registry.root / CACHE_DIR / "cache",
            progress=progress,
        )
    if format is ViewFormat.json:
        emit_text(to_json([r.to_json() for r in results]), output)
    else:
        emit_table(lambda console: _lookalike_table(console, results, checked=check), output)
    if not check:
        return
    run_change(
        st,
        author,
        no_commit,
        lambda tx, current: record_lookalikes(tx, current, results),
        "nothing to record: no lookalike is registered",
    )
    failed = [r for r in results if r.observation is not None and r.observation.registered is None]
    if failed:
        for r in failed[:20]:
            assert r.observation is not None
            chatter(f"lookup failed for {r.lookalike.name}: {r.observation.error}", quiet=st.quiet)
        if len(failed) > 20:
            chatter(f"… and {plural(len(failed) - 20, 'more lookup')} failed", quiet=st.quiet)
        raise typer.Exit(3)


def _lookalike_table(console: Console, results: list[Checked], *, checked: bool) -> None:
    from rich.markup import escape
    from rich.table import Table

    shown = [r for r in results if r.holder != "free"] if checked else results
    title = (
        f"{len(shown)} of {plural(len(results), 'lookalike')} registered or held"
        if checked
        else plural(len(results), "lookalike")
    )
    table = Table(title=title, title_justify="left")
    for column in ("lookalike", "of", "kind", "held"):
        table.add_column(column)
    for r in shown:
        name = r.lookalike.name
        if r.lookalike.unicode != name:
            name += f" ({r.lookalike.unicode})"
        table.add_row(escape(name), r.lookalike.original, r.lookalike.fuzzer, escape(r.describe()))
    console.print(table)
