"""Render ReportData as one self-contained, accessible HTML page (inline CSS, inline SVG, one inline script).

Every string that comes from the registry goes through `_e` (html.escape): registry
content is untrusted. A Content-Security-Policy that allows only this page's own style
and script (by hash) backs that up and keeps the page from touching the network.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from html import escape

from socialgov import __version__
from socialgov.htmlreport import charts
from socialgov.htmlreport.charts import Fill, Line
from socialgov.htmlreport.data import (
    EXPIRY_WINDOWS,
    NO_DEPARTMENT,
    SEVERITIES_HIGH_FIRST,
    AssetRow,
    Department,
    ExpiringDomain,
    FindingRow,
    OwnerLabel,
    ReportData,
)
from socialgov.htmlreport.history import History
from socialgov.htmlreport.template import CSS, SCRIPT
from socialgov.model import AssetId, Kind, Severity

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
KIND_LABELS = {Kind.DOMAIN: "Domain", Kind.BLOG: "Blog", Kind.SOCIAL: "Social account"}
KIND_PLURALS = {Kind.DOMAIN: "domains", Kind.BLOG: "blogs", Kind.SOCIAL: "social accounts"}
MAX_CHART_DEPARTMENTS = 10
NOTES_SHOWN = 160
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _n(value: int) -> str:
    return f"{value:,}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{_n(count)} {one if count == 1 else (many or one + 's')}"


def _csp_hash(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def render_html(data: ReportData) -> str:
    title = f"{data.org} — asset governance report, {data.today.isoformat()}"
    csp = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(CSS)}; script-src {_csp_hash(SCRIPT)}; "
        "base-uri 'none'; form-action 'none'"
    )
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
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="color-scheme" content="light">',
        '<meta name="referrer" content="no-referrer">',
        f'<meta name="generator" content="socialgov {_e(__version__)}">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        _masthead(data),
        '<nav class="toc" aria-label="Sections"><ul>'
        + "".join(f'<li><a href="#{sid}">{_e(label)}</a></li>' for sid, label in sections)
        + "</ul></nav>",
        '<main id="main" class="wrap">',
        _summary(data),
        _findings_charts(data),
        _expiry(data),
        _posture(data),
        _history(data.history),
        _findings_table(data),
        _departments(data.departments),
        _discovery(data),
        "</main>",
        _footer(data),
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _discovery(data: ReportData) -> str:
    from socialgov.htmlreport.discovery import render_discovered, render_lookalikes

    return (render_discovered(data.discovered) if data.discovered else "") + (
        render_lookalikes(data.lookalikes) if data.lookalikes else ""
    )


def _masthead(data: ReportData) -> str:
    facts = [
        f"As of {_date(data.today)}",
        _plural(data.total_assets, "asset"),
        _plural(data.people, "person", "people") + " on the roster",
    ]
    if data.departed_people:
        facts.append(f"{_n(data.departed_people)} departed")
    return (
        '<header class="masthead"><div class="wrap">'
        '<p class="eyebrow">socialgov · asset governance report</p>'
        f"<h1>{_e(data.org)}</h1>"
        '<p class="meta">' + "".join(f"<span>{_e(f)}</span>" for f in facts) + "</p>"
        "</div></header>"
    )


def _date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _section(sid: str, heading: str, lede: str, body: str) -> str:
    return (
        f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{_e(heading)}</h2>'
        f'<p class="lede">{lede}</p>{body}</section>'
    )


# --- headline figures -----------------------------------------------------------------


def _card(label: str, figure: str | None, body: str, tone: str = "") -> str:
    cls = f"card {tone}".strip()
    shown = f'<dd class="figure">{figure}</dd>' if figure is not None else ""
    return f'<div class="{cls}"><dt>{_e(label)}</dt>{shown}<dd class="sub">{body}</dd></div>'


def _status(count: int, bad: str, fine: str) -> str:
    if count:
        return f' <span class="status bad">{_e(bad)}</span>'
    return f' <span class="status fine">{_e(fine)}</span>'


def _severity_badge(severity: Severity, text: str | None = None) -> str:
    label = text if text is not None else severity.value.capitalize()
    return f'<span class="sev sev-{severity.value}">{_e(label)}</span>'


def _summary(data: ReportData) -> str:
    kinds = " · ".join(_plural(data.assets_by_kind[k], *_kind_words(k)) for k in Kind)
    retired = (
        f"<br>{_n(data.retired_assets)} retired, kept for history" if data.retired_assets else ""
    )
    chips = "".join(
        f"<li>{_severity_badge(s, f'{_n(c)} {s.value}')}</li>"
        for s, c in data.findings_by_severity.items()
        if c
    )
    waived = f" {_plural(data.waived, 'waived finding')} not counted." if data.waived else ""
    windows = "".join(
        f"<div><strong>{_n(data.expiring_within[w])}</strong><span>≤ {w} days</span></div>"
        for w in EXPIRY_WINDOWS
    )
    expired = (
        f'<span class="status bad">{_n(data.expired)} already expired</span>'
        if data.expired
        else "None has expired."
    )
    worst = max(
        (s for s, c in data.findings_by_severity.items() if c), key=lambda s: s.rank, default=None
    )
    findings_tone = (
        "alert" if worst and worst.rank >= Severity.HIGH.rank else ("warn" if worst else "good")
    )
    cards = [
        _card("Assets", _n(data.total_assets), kinds + retired),
        _card(
            "Orphaned",
            _n(data.orphaned) + _status(data.orphaned, "needs owners", "none"),
            "Active assets with no active owner.",
            "alert" if data.orphaned else "good",
        ),
        _card(
            "Held by departed people",
            _n(data.departed_held) + _status(data.departed_held, "act now", "none"),
            "A person who left still owns, can sign in to, or is the contact for them.",
            "alert" if data.departed_held else "good",
        ),
        _card(
            "Open findings",
            _n(data.open_findings),
            (
                f'<ul class="chips" aria-label="By severity">{chips}</ul>'
                if chips
                else "No rule flagged anything."
            )
            + waived,
            findings_tone,
        ),
        _card(
            "Domains expiring",
            None,
            f'<div class="windows">{windows}</div>{expired}',
            "alert"
            if data.expired
            else ("warn" if data.expiring_within[EXPIRY_WINDOWS[0]] else "good"),
        ),
    ]
    return _section(
        "summary",
        "At a glance",
        "The state of the registry today: what exists, what nobody is accountable for, "
        "what people who left still hold, and what needs renewing soon.",
        f'<dl class="cards">{"".join(cards)}</dl>',
    )


def _kind_words(kind: Kind) -> tuple[str, str]:
    plural = KIND_PLURALS[kind]
    return {Kind.DOMAIN: "domain", Kind.BLOG: "blog", Kind.SOCIAL: "social account"}[kind], plural


# --- charts -----------------------------------------------------------------------------


def _severity_legend(chart_id: str) -> str:
    return (
        '<ul class="legend" aria-label="Severity key">'
        + "".join(
            f"<li>{charts.legend_swatch(chart_id, SEVERITY_FILLS[s])}{_e(SEVERITY_FILLS[s].label)}</li>"
            for s in SEVERITIES_HIGH_FIRST
        )
        + "</ul>"
    )


def _findings_charts(data: ReportData) -> str:
    rows = [
        (SEVERITY_FILLS[s].label, c, SEVERITY_FILLS[s])
        for s, c in data.findings_by_severity.items()
    ]
    severity_chart = charts.bar_chart("chart-severity", "Open findings by severity", rows)
    severity_table = _figures_table(
        "Open findings by severity",
        ("Severity", "Findings"),
        [(SEVERITY_FILLS[s].label, [c]) for s, c in data.findings_by_severity.items()],
    )
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
    if departments:
        department_chart = charts.stacked_bar_chart(
            "chart-department", "Open findings by department", bars, fills
        ) + _severity_legend("chart-department")
    else:
        department_chart = '<p class="empty">No open findings.</p>'
    department_table = _figures_table(
        "Open findings by department and severity",
        ("Department", *(f.label for f in fills), "Total"),
        [
            (name, [*(counts[s] for s in SEVERITIES_HIGH_FIRST), sum(counts.values())])
            for name, counts in departments
        ],
    )
    body = (
        '<div class="grid-2">'
        f'<figure class="panel" aria-labelledby="fig-sev"><figcaption class="figure-title" id="fig-sev">By severity</figcaption>'
        f"{severity_chart}{severity_table}</figure>"
        f'<figure class="panel" aria-labelledby="fig-dept"><figcaption class="figure-title" id="fig-dept">By department</figcaption>'
        f"{department_chart}{department_table}</figure>"
        "</div>"
    )
    return _section(
        "charts",
        "Findings",
        f"{_plural(data.open_findings, 'open finding')} from the audit rules. "
        'Waived findings are left out; the full list is <a href="#findings">below</a>.',
        body,
    )


def _figures_table(
    caption: str, headers: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]]
) -> str:
    """The numbers behind a chart, for screen readers and for anyone who wants them exact."""
    head = f'<th scope="col">{_e(headers[0])}</th>' + "".join(
        f'<th scope="col" class="num">{_e(h)}</th>' for h in headers[1:]
    )
    body = "".join(
        f'<tr><th scope="row">{_e(label)}</th>'
        + "".join(f'<td class="num">{_n(v)}</td>' for v in values)
        + "</tr>"
        for label, values in rows
    )
    return (
        '<details class="data"><summary>Show the numbers</summary><div class="table-wrap">'
        f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div></details>"
    )


# --- expiry -----------------------------------------------------------------------------


def _month_label(month: date, first: bool) -> str:
    name = MONTHS[month.month - 1]
    return f"{name} {month.year}" if first or month.month == 1 else name


def _expiry(data: ReportData) -> str:
    columns = [(_month_label(m, i == 0), c) for i, (m, c) in enumerate(data.expiry_months)]
    chart = charts.column_chart(
        "chart-expiry", "Active domains expiring per month, next 12 months", columns, EXPIRY_FILL
    )
    table = _figures_table(
        "Active domains expiring per month",
        ("Month", "Domains"),
        [(f"{MONTHS[m.month - 1]} {m.year}", [c]) for m, c in data.expiry_months],
    )
    longest = max(EXPIRY_WINDOWS)
    upcoming = (
        _upcoming_table(data.upcoming, longest)
        if data.upcoming
        else (
            f'<p class="empty">No active domain has expired or expires within {longest} days.</p>'
        )
    )
    body = (
        f'<figure class="panel" aria-labelledby="fig-exp"><figcaption class="figure-title" id="fig-exp">'
        f"Expiring per month, from {_e(_month_label(data.expiry_months[0][0], True))}</figcaption>"
        f"{chart}{table}</figure>"
        f'<div class="panel">{upcoming}</div>'
    )
    return _section(
        "expiry",
        "Domain expiry",
        "When each active domain's registration runs out: the latest recorded RDAP/WHOIS "
        "observation's date where there is one, otherwise the date written in the registry.",
        body,
    )


def _upcoming_table(rows: Sequence[ExpiringDomain], longest: int) -> str:
    body = []
    for row in rows:
        if row.days < 0:
            when = f'<span class="tag tag-departed">expired</span> {_plural(-row.days, "day")} ago'
        elif row.days == 0:
            when = '<span class="tag tag-departed">today</span>'
        else:
            when = f"in {_plural(row.days, 'day')}"
        body.append(
            f'<tr><th scope="row">{_asset_label(row.asset)}</th>'
            f"<td>{_e(row.expires.isoformat())}</td><td>{when}</td>"
            f"<td>{_e(row.source)}</td><td>{_e(row.department)}</td>"
            f"<td>{_owners(row.owners)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Domain", "Expires", "When", "Date from", "Department", "Owners")
    )
    return (
        '<div class="table-wrap scroll" tabindex="0" role="region" aria-label="Domains expiring soon">'
        "<table>"
        f"<caption>Expired or expiring within {longest} days "
        f'<span class="count">({_n(len(rows))})</span></caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


# --- DNS and web --------------------------------------------------------------------------


def _posture(data: ReportData) -> str:
    posture = data.posture
    lede = (
        "What the recorded DNS and web observations show (<code>socialgov refresh --record</code>): "
        "names anyone could take over first, then certificates by expiry, then each domain's "
        "name servers, mail policy and DNSSEC."
    )
    if posture is None or posture.empty:
        return _section(
            "posture",
            "DNS and web",
            lede,
            '<p class="empty">No DNS or web observation is recorded yet.</p>',
        )
    takeovers = "".join(
        f'<tr><th scope="row">{_asset_label(r.asset)}</th><td>{_e(r.host)}</td>'
        f'<td>{_e(r.target)}</td><td><span class="tag tag-departed">{_e(r.why)}</span></td></tr>'
        for r in posture.takeovers
    )
    certificates = "".join(
        f'<tr><th scope="row">{_asset_label(r.asset)}</th><td>{_e(r.host)}</td>'
        f"<td>{_e(r.not_after.isoformat())}</td><td>{_cert_state(r.days, r.problem)}</td>"
        f"<td>{_e(r.issuer)}</td></tr>"
        for r in posture.certificates
    )
    domains = "".join(
        f'<tr><th scope="row">{_asset_label(r.asset)}</th>'
        f"<td>{_e(', '.join(r.lame)) or 'all answer'}</td><td>{_e(r.mail)}</td>"
        f"<td>{_e(r.dnssec)}</td></tr>"
        for r in posture.domains
    )
    body = (
        _posture_table(
            "Takeover risks",
            ("Asset", "Host", "Points at", "Why"),
            takeovers,
            len(posture.takeovers),
            "No blog host points at a missing or unclaimed site.",
        )
        + _posture_table(
            "Certificates by expiry",
            ("Asset", "Host", "Not after", "State", "Issuer"),
            certificates,
            len(posture.certificates),
            "No certificate recorded.",
        )
        + _posture_table(
            "Domains",
            ("Domain", "Lame name servers", "Mail", "DNSSEC"),
            domains,
            len(posture.domains),
            "No domain's DNS recorded.",
        )
    )
    return _section("posture", "DNS and web", lede, body)


def _cert_state(days: int, problem: str | None) -> str:
    if problem or days < 0:
        return f'<span class="tag tag-departed">{_e(problem or "expired")}</span>'
    return f"in {_plural(days, 'day')}"


def _posture_table(caption: str, head: Sequence[str], rows: str, count: int, empty: str) -> str:
    if not count:
        return f'<div class="panel"><p class="empty">{_e(empty)}</p></div>'
    heads = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    return (
        f'<div class="panel"><div class="table-wrap scroll" tabindex="0" role="region" '
        f'aria-label="{_e(caption)}"><table><caption>{_e(caption)} '
        f'<span class="count">({_n(count)})</span></caption>'
        f"<thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></div></div>"
    )


# --- history ----------------------------------------------------------------------------


def _history(history: History | None) -> str:
    lede = (
        "Orphaned and departed-held assets at the end of each month, replayed from the "
        "registry's git history (the last commit of each month)."
    )
    if history is None or not history.points:
        note = history.note if history and history.note else "No history was replayed."
        return _section(
            "history",
            "Ownership health over time",
            lede,
            f'<div class="panel"><p class="empty">{_e(note)}</p></div>',
        )
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
    chart = charts.line_chart(
        "chart-history",
        "Orphaned and departed-held assets per month",
        labels,
        [
            (ORPHANED_LINE, [p.orphaned for p in points]),
            (DEPARTED_LINE, [p.departed_held for p in points]),
        ],
        summary=summary,
        label_every=max(1, len(points) // 8),
    )
    legend = (
        '<ul class="legend" aria-label="Key">'
        f"<li>{charts.legend_line(ORPHANED_LINE)}{_e(ORPHANED_LINE.label)}</li>"
        f"<li>{charts.legend_line(DEPARTED_LINE)}{_e(DEPARTED_LINE.label)}</li>"
        + (
            '<li><svg class="swatch" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
            '<rect width="14" height="14" rx="3" fill="#f1f5f9" stroke="#cbd5e1"/>'
            '<path d="M0,14 L14,0" stroke="#cbd5e1" stroke-width="2"/></svg>No data (gap)</li>'
            if any(p.is_gap for p in points)
            else ""
        )
        + "</ul>"
    )
    gaps = [p for p in points if p.is_gap and p.commit is not None]
    notes = "".join(
        f"<li><strong>{_e(_month_label(p.month, True))}</strong>: {_e(p.note or 'not readable')}</li>"
        for p in gaps
    )
    gap_note = (
        f'<p class="note">Shown as gaps — these months\' registry could not be read:</p><ul class="note">{notes}</ul>'
        if gaps
        else ""
    )
    before = sum(1 for p in points if p.commit is None)
    if before:
        shown = "is shown as a gap" if before == 1 else "are shown as gaps"
        gap_note += (
            f'<p class="note">{_plural(before, "month")} before the first commit {shown}.</p>'
        )
    rows = "".join(
        f'<tr><th scope="row">{_e(_month_label(p.month, True))}</th>'
        f"<td>{_e(p.commit[:10]) if p.commit else '—'}</td>"
        + "".join(
            f'<td class="num">{"—" if v is None else _n(v)}</td>'
            for v in (p.assets, p.orphaned, p.departed_held)
        )
        + f"<td>{_e(p.note or '')}</td></tr>"
        for p in points
    )
    head = "".join(
        f'<th scope="col"{cls}>{h}</th>'
        for h, cls in (
            ("Month", ""),
            ("Commit", ""),
            ("Assets", ' class="num"'),
            ("Orphaned", ' class="num"'),
            ("Departed-held", ' class="num"'),
            ("Note", ""),
        )
    )
    table = (
        '<details class="data"><summary>Show the numbers</summary><div class="table-wrap"><table>'
        "<caption>Ownership health at the end of each month</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></details>"
    )
    body = (
        '<figure class="panel" aria-labelledby="fig-hist"><figcaption class="figure-title" id="fig-hist">'
        f"{_e(summary)}</figcaption>{chart}{legend}{gap_note}{table}</figure>"
    )
    return _section("history", "Ownership health over time", lede, body)


# --- findings table ---------------------------------------------------------------------


def _options(values: Iterable[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{_e(everything)}</option>' + "".join(
        f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in values
    )


def _findings_table(data: ReportData) -> str:
    lede = (
        "Every open finding, most severe first, with the asset's owners (the first is "
        "accountable), what to do about it, and where in the registry it points."
    )
    if not data.findings:
        return _section(
            "findings",
            "All findings",
            lede,
            '<div class="panel"><p class="empty">No open findings. </p></div>',
        )
    kinds = sorted({f.asset.kind for f in data.findings})
    departments = sorted(
        {f.department for f in data.findings}, key=lambda d: (d == NO_DEPARTMENT, d.lower())
    )
    severities = [s for s in SEVERITIES_HIGH_FIRST if data.findings_by_severity.get(s)]
    form = (
        '<form class="filters" id="finding-filters" aria-controls="findings-table" hidden>'
        '<label>Severity<select name="severity">'
        + _options(((s.value, s.value.capitalize()) for s in severities), "All severities")
        + '</select></label><label>Kind<select name="kind">'
        + _options(((k.value, KIND_LABELS[k]) for k in kinds), "All kinds")
        + '</select></label><label>Department<select name="department">'
        + _options(((d, d) for d in departments), "All departments")
        + '</select></label><label>Search<input type="search" name="q" placeholder="asset, rule, owner…"></label>'
        '<button type="reset">Clear</button>'
        f'<output id="findings-shown" aria-live="polite">Showing all {_n(len(data.findings))} findings</output>'
        "</form>"
    )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Severity", "Asset and department", "Finding and where", "Owners", "What to do")
    )
    rows = "".join(_finding_row(f) for f in data.findings)
    table = (
        '<div class="table-wrap scroll tall" tabindex="0" role="region" aria-label="Open findings">'
        '<table id="findings-table">'
        f'<caption>Open findings <span class="count">({_n(len(data.findings))}, most severe first)</span></caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
    return _section("findings", "All findings", lede, form + table)


def _finding_row(finding: FindingRow) -> str:
    return (
        f'<tr data-severity="{finding.severity.value}" data-kind="{finding.asset.kind.value}" '
        f'data-department="{_e(finding.department)}">'
        f"<td>{_severity_badge(finding.severity)}</td>"
        f'<th scope="row">{_asset_label(finding.asset, finding.department)}</th>'
        f'<td>{_e(finding.message)}<span class="where"><code class="rule">{_e(finding.rule)}</code> '
        f'<code class="loc">{_e(finding.file)}:{finding.line}</code></span></td>'
        f"<td>{_owners(finding.owners)}</td>"
        f'<td class="hint">{_e(finding.hint)}</td></tr>'
    )


def _asset_label(asset: AssetId, department: str | None = None) -> str:
    shown = asset.display_name
    extra = f" ({_e(asset.name)})" if shown != asset.name else ""
    kind = KIND_LABELS[asset.kind] + (f" · {department}" if department else "")
    return f'{_e(shown)}{extra}<span class="asset-kind">{_e(kind)}</span>'


_STATE_TAGS = {
    "departed": "departed",
    "on leave": "on leave",
    "unknown": "unknown",
    "empty team": "empty team",
}


def _owners(owners: Sequence[OwnerLabel]) -> str:
    if not owners:
        return '<span class="tag tag-orphaned">none listed</span>'
    items = []
    for owner in owners:
        tag = _STATE_TAGS.get(owner.state)
        tag_html = f' <span class="tag tag-{tag.replace(" ", "-")}">{_e(tag)}</span>' if tag else ""
        name = f' <span class="person-name">{_e(owner.name)}</span>' if owner.name else ""
        items.append(f"<li>{_e(owner.ref)}{tag_html}{name}</li>")
    return f'<ul class="owners">{"".join(items)}</ul>'


# --- departments ------------------------------------------------------------------------


def _departments(departments: Sequence[Department]) -> str:
    lede = "Each department's assets and who holds them."
    if not departments:
        return _section(
            "departments",
            "Departments",
            lede,
            '<div class="panel"><p class="empty">The registry has no assets yet.</p></div>',
        )
    index = "".join(
        f'<li><a href="#dept-{i}">{_e(d.name)}</a> <span class="person-name">({_n(len(d.assets))})</span></li>'
        for i, d in enumerate(departments, start=1)
    )
    blocks = [f'<nav aria-label="Departments"><ul class="dept-index">{index}</ul></nav>']
    for i, department in enumerate(departments, start=1):
        blocks.append(_department(i, department))
    return _section("departments", "Departments", lede, "".join(blocks))


def _department(number: int, department: Department) -> str:
    facts = [_plural(len(department.assets), "asset")]
    facts.append(f"{_n(department.orphaned)} orphaned")
    facts.append(f"{_n(department.departed_held)} held by departed people")
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Asset", "Owners", "Criticality", "Status", "Attention", "Expires")
    )
    rows = "".join(_asset_row(a) for a in department.assets)
    return (
        f'<section class="dept" id="dept-{number}" aria-labelledby="dept-{number}-h">'
        f'<div class="dept-head"><h3 id="dept-{number}-h">{_e(department.name)}</h3>'
        f"<p>{' · '.join(facts)}</p></div>"
        f'<div class="table-wrap scroll" tabindex="0" role="region" '
        f'aria-label="Assets of {_e(department.name)}"><table>'
        f"<caption>Assets of {_e(department.name)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></section>"
    )


def _asset_row(row: AssetRow) -> str:
    attention = []
    if row.orphaned:
        attention.append('<span class="tag tag-orphaned">orphaned</span>')
    if row.departed_holders:
        attention.append(
            '<span class="tag tag-departed">held by departed</span> '
            + _e(", ".join(row.departed_holders))
        )
    if row.open_findings:
        attention.append(f'<a href="#findings">{_plural(row.open_findings, "finding")}</a>')
    status = _e(row.status)
    if row.status != "active":
        status = f'<span class="tag tag-retired">{status}</span>'
    return (
        f'<tr><th scope="row">{_asset_label(row.id)}{_notes(row.notes)}</th>'
        f"<td>{_owners(row.owners)}</td><td>{_e(row.criticality)}</td><td>{status}</td>"
        f"<td>{'<br>'.join(attention) or '—'}</td>"
        f"<td>{_e(row.expires.isoformat()) if row.expires else '—'}</td></tr>"
    )


def _notes(notes: str | None) -> str:
    if not notes:
        return ""
    shown = notes if len(notes) <= NOTES_SHOWN else notes[: NOTES_SHOWN - 1].rstrip() + "…"
    return f'<span class="notes">{_e(shown)}</span>'


def _footer(data: ReportData) -> str:
    return (
        '<footer><div class="wrap">'
        f"<p>Generated by socialgov {_e(__version__)} for {_date(data.today)}. "
        "This page is self-contained: it loads nothing from the network and works offline "
        "and with JavaScript turned off.</p></div></footer>"
    )
