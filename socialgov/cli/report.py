"""The report command: one self-contained HTML page for people who would rather look than read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialgov.cli.output import chatter
from socialgov.cli.state import state
from socialgov.words import plural


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    ctx: typer.Context,
    html: Annotated[
        Path,
        typer.Option(
            "--html",
            metavar="FILE",
            help="Write the report to this HTML file (self-contained: open it offline, mail it).",
            show_default=False,
        ),
    ],
    months: Annotated[
        int,
        typer.Option(
            "--months", min=1, max=120, help="Months of git history to chart ownership health over."
        ),
    ] = 24,
) -> None:
    """Write a self-contained HTML report: figures, charts, findings and owners per department."""
    from socialgov.cli.output import check_output_path
    from socialgov.htmlreport import build_report
    from socialgov.registry.save import atomic_write

    check_output_path(html, "--html", stdout_ok=False)
    st = state(ctx)
    page, data = build_report(st.root(), today=st.today, months=months)
    atomic_write(html, page.encode("utf-8"))
    chatter(
        f"wrote {html}: {plural(data.total_assets, 'asset')}, "
        f"{plural(data.open_findings, 'open finding')}, "
        f"{data.orphaned} orphaned, {data.departed_held} held by departed people",
        quiet=st.quiet,
    )
