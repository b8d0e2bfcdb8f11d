"""Render ReportData as one self-contained, accessible HTML page (inline CSS, inline SVG, one inline script).

The markup lives in `templates/*.html.j2`, the stylesheet and script in `static/`; Jinja2
renders them with autoescaping, because registry content is untrusted. This module only
derives the figures the templates show. A Content-Security-Policy that allows only this
page's own style and script (by hash) backs that up and keeps the page from touching the
network.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from socialgov import __version__
from socialgov.htmlreport import charts
from socialgov.htmlreport.charts import Fill, Line
from socialgov.htmlreport.data import (
    EXPIRY_WINDOWS,
    NO_DEPARTMENT,
    SEVERITIES_HIGH_FIRST,
    ReportData,
)
from socialgov.htmlreport.history import History
from socialgov.model import KIND_SPECS, Kind, Severity
from socialgov.words import plural

if TYPE_CHECKING:
    import jinja2

SEVERITY_FILLS = {
    Severity.CRITICAL: Fill("critical", "Critical", "#7f1d1d", "cross"),
    Severity.HIGH: Fill("high", "High", "#dc2626", "stripes"),
    Severity.MEDIUM: Fill("medium", "Medium", "#d97706", "dots"),
    Severity.LOW: Fill("low", "Low", "#2563eb", "lines"),
    Severity.INFO: Fill("info", "Info", "#94a3b8"),
}
EXPIRY_FILL = Fill("expiry", "Domains expiring", "#4338ca")
ORPHANED_LINE = Line("Orphaned", "#b91c1c", dashed=False, marker="circle")
DEPARTED_LINE = Line("Held by departed people", "#6d28d9", dashed=True, marker="square")
KIND_LABELS = {k: spec.label for k, spec in KIND_SPECS.items()}
KIND_WORDS = {k: (spec.singular, spec.plural) for k, spec in KIND_SPECS.items()}
STATE_TAGS = {s: s for s in ("departed", "on leave", "unknown", "empty team")}
MAX_CHART_DEPARTMENTS = 10
NOTES_SHOWN = 160
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _n(value: int) -> str:
    return f"{value:,}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return plural(count, one, many, grouped=True)


def _date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _month_label(month: date, first: bool) -> str:
    name = MONTHS[month.month - 1]
    return f"{name} {month.year}" if first or month.month == 1 else name


def _shorten_notes(notes: str) -> str:
    return notes if len(notes) <= NOTES_SHOWN else notes[: NOTES_SHOWN - 1].rstrip() + "…"


def _csp_hash(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def _static(name: str) -> str:
    return files("socialgov.htmlreport").joinpath("static", name).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("socialgov.htmlreport", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        n=_n, long_date=_date, month_label=_month_label, shorten_notes=_shorten_notes
    )
    env.globals.update(
        plural=_plural,
        kind_labels=KIND_LABELS,
        state_tags=STATE_TAGS,
        expiry_windows=EXPIRY_WINDOWS,
        asset_label=_asset_label,
        owners=_owners,
        severity_badge=_severity_badge,
        attention=_attention,
    )
    return env


# The pieces every row of the large tables repeats (tens of thousands on a large registry),
# made here as plain text rather than as template macros or Markup operations, whose calls
# cost most of the rendering. `_esc` escapes exactly as the templates' autoescape does.


def _esc(value: Any) -> str:
    return (
        str(value)
        .replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _asset_label(asset: Any, department: str | None = None) -> Markup:
    """The asset's display name (and name when they differ), its kind and department."""
    text = _esc(asset.display_name)
    if asset.display_name != asset.name:
        text += f" ({_esc(asset.name)})"
    kind = _esc(KIND_LABELS[asset.kind])
    if department:
        kind += f" · {_esc(department)}"
    return Markup(f'{text}<span class="asset-kind">{kind}</span>')


def _owners(owners: Sequence[Any]) -> Markup:
    """The owners as a list, each with its state's tag and the person's name."""
    if not owners:
        return Markup('<span class="tag tag-orphaned">none listed</span>')
    items = []
    for owner in owners:
        item = _esc(owner.ref)
        tag = STATE_TAGS.get(owner.state)
        if tag:
            item += f' <span class="tag tag-{_esc(tag.replace(" ", "-"))}">{_esc(tag)}</span>'
        if owner.name:
            item += f' <span class="person-name">{_esc(owner.name)}</span>'
        items.append(f"<li>{item}</li>")
    return Markup(f'<ul class="owners">{"".join(items)}</ul>')


def _attention(row: Any) -> Markup:
    """A department row's reasons for attention, one a line, or a dash."""
    items = []
    if row.orphaned:
        items.append('<span class="tag tag-orphaned">orphaned</span>')
    if row.departed_holders:
        holders = _esc(", ".join(row.departed_holders))
        items.append(f'<span class="tag tag-departed">held by departed</span> {holders}')
    if row.open_findings:
        items.append(f'<a href="#findings">{_esc(_plural(row.open_findings, "finding"))}</a>')
    return Markup("<br>".join(items) if items else "—")


def _severity_badge(severity: Severity, text: str | None = None) -> Markup:
    label = severity.value.capitalize() if text is None else text
    return Markup(f'<span class="sev sev-{_esc(severity.value)}">{_esc(label)}</span>')


def render_html(data: ReportData) -> str:
    css, script = _static("report.css"), _static("report.js")
    sections = [
        ("summary", "At a glance"),
        ("charts", "Findings"),
        ("expiry", "Domain expiry"),
        ("posture", "DNS and web"),
        ("history", "Over time"),
        ("findings", "All findings"),
        ("departments", "Departments"),
    ]
    if data.discovered:
        sections.append(("discovered", "Not in the registry"))
    if data.lookalikes:
        sections.append(("lookalikes", "Lookalikes"))
    history = data.history
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            data=data,
            version=__version__,
            title=f"{data.org} — asset governance report, {data.today.isoformat()}",
            csp=(
                "default-src 'none'; img-src data:; "
                f"style-src {_csp_hash(css)}; script-src {_csp_hash(script)}; "
                "base-uri 'none'; form-action 'none'"
            ),
            css=Markup(css),  # the package's own stylesheet
            script=Markup(script),  # the package's own script
            sections=sections,
            masthead=_masthead(data),
            summary=_summary(data),
            charts=_findings_charts(data),
            expiry=_expiry(data),
            history=_history(history) if history is not None and history.points else None,
            no_history=history.note if history and history.note else "No history was replayed.",
            filters=_filters(data),
        )
    )


def _masthead(data: ReportData) -> list[str]:
    facts = [
        f"As of {_date(data.today)}",
        _plural(data.total_assets, "asset"),
        _plural(data.people, "person", "people") + " on the roster",
    ]
    if data.departed_people:
        facts.append(f"{_n(data.departed_people)} departed")
    return facts


def _summary(data: ReportData) -> dict[str, Any]:
    worst = max(
        (s for s, c in data.findings_by_severity.items() if c), key=lambda s: s.rank, default=None
    )
    return {
        "kinds": " · ".join(_plural(data.assets_by_kind[k], *KIND_WORDS[k]) for k in Kind),
        "chips": [(s, c) for s, c in data.findings_by_severity.items() if c],
        "findings_tone": (
            "alert" if worst and worst.rank >= Severity.HIGH.rank else ("warn" if worst else "good")
        ),
        "expiry_tone": "alert"
        if data.expired
        else ("warn" if data.expiring_within[EXPIRY_WINDOWS[0]] else "good"),
    }


def _findings_charts(data: ReportData) -> dict[str, Any]:
    rows = [
        (SEVERITY_FILLS[s].label, c, SEVERITY_FILLS[s])
        for s, c in data.findings_by_severity.items()
    ]
    departments = list(data.findings_by_department.items())
    shown = departments[:MAX_CHART_DEPARTMENTS]
    rest = departments[MAX_CHART_DEPARTMENTS:]
    bars = [(name, [counts[s] for s in SEVERITIES_HIGH_FIRST]) for name, counts in shown]
    if rest:
        bars.append(
            (
                f"{len(rest)} more",
                [sum(counts[s] for _, counts in rest) for s in SEVERITIES_HIGH_FIRST],
            )
        )
    fills = [SEVERITY_FILLS[s] for s in SEVERITIES_HIGH_FIRST]
    return {
        "severity_chart": charts.bar_chart("chart-severity", "Open findings by severity", rows),
        "severity_rows": [
            (SEVERITY_FILLS[s].label, [c]) for s, c in data.findings_by_severity.items()
        ],
        "department_chart": charts.stacked_bar_chart(
            "chart-department", "Open findings by department", bars, fills
        )
        if departments
        else None,
        "fills": fills,
        "swatches": [charts.legend_swatch("chart-department", f) for f in fills],
        "department_headers": ("Department", *(f.label for f in fills), "Total"),
        "department_rows": [
            (name, [*(counts[s] for s in SEVERITIES_HIGH_FIRST), sum(counts.values())])
            for name, counts in departments
        ],
    }


def _expiry(data: ReportData) -> dict[str, Any]:
    columns = [(_month_label(m, i == 0), c) for i, (m, c) in enumerate(data.expiry_months)]
    return {
        "chart": charts.column_chart(
            "chart-expiry",
            "Active domains expiring per month, next 12 months",
            columns,
            EXPIRY_FILL,
        ),
        "rows": [(f"{MONTHS[m.month - 1]} {m.year}", [c]) for m, c in data.expiry_months],
        "first_month": _month_label(data.expiry_months[0][0], True),
        "longest": max(EXPIRY_WINDOWS),
    }


def _history(history: History) -> dict[str, Any]:
    points = history.points
    labels = [_month_label(p.month, i == 0) for i, p in enumerate(points)]
    read = [p for p in points if not p.is_gap]
    if read:
        first, last = read[0], read[-1]
        summary = (
            f"From {_month_label(first.month, True)} to {_month_label(last.month, True)}, orphaned "
            f"assets went from {_n(first.orphaned or 0)} to {_n(last.orphaned or 0)} and "
            f"departed-held assets from {_n(first.departed_held or 0)} to "
            f"{_n(last.departed_held or 0)}."
        )
    else:
        summary = "No month could be read."
    lines: Sequence[Line] = (ORPHANED_LINE, DEPARTED_LINE)
    return {
        "summary": summary,
        "chart": charts.line_chart(
            "chart-history",
            "Orphaned and departed-held assets per month",
            labels,
            [
                (ORPHANED_LINE, [p.orphaned for p in points]),
                (DEPARTED_LINE, [p.departed_held for p in points]),
            ],
            summary=summary,
            label_every=max(1, len(points) // 8),
        ),
        "lines": [(line, charts.legend_line(line)) for line in lines],
        "has_gap": any(p.is_gap for p in points),
        "gaps": [p for p in points if p.is_gap and p.commit is not None],
        "before": sum(1 for p in points if p.commit is None),
        "points": points,
    }


def _filters(data: ReportData) -> dict[str, Any]:
    kinds = sorted({f.asset.kind for f in data.findings})
    departments = sorted(
        {f.department for f in data.findings}, key=lambda d: (d == NO_DEPARTMENT, d.lower())
    )
    return {
        "severities": [
            (s.value, s.value.capitalize())
            for s in SEVERITIES_HIGH_FIRST
            if data.findings_by_severity.get(s)
        ],
        "kinds": [(k.value, KIND_LABELS[k]) for k in kinds],
        "departments": [(d, d) for d in departments],
    }
