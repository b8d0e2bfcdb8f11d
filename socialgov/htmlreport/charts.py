"""Small inline-SVG charts: accessible (title, role, label), patterned as well as coloured, no script.

Every chart is drawn in a fixed viewBox and scales with its container. Labels are
escaped here; callers pass plain text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Fill:
    """How a series is drawn: a colour and, so colour is never the only cue, a pattern."""

    key: str  # used in pattern ids and CSS classes
    label: str
    colour: str
    pattern: str | None = None  # "stripes", "dots", "lines", "cross", or None for solid


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    colour: str
    dashed: bool
    marker: str  # "circle" or "square"


def _e(text: object) -> str:
    return str(escape(str(text)))


def _svg_open(chart_id: str, width: int, height: int, title: str, summary: str) -> str:
    return (
        f'<svg class="chart" id="{_e(chart_id)}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_e(title)}" aria-describedby="{_e(chart_id)}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>'
        f'<desc id="{_e(chart_id)}-desc">{_e(summary)}</desc>'
    )


def pattern_defs(chart_id: str, fills: Sequence[Fill]) -> str:
    parts = ["<defs>"]
    for fill in fills:
        if fill.pattern is None:
            continue
        pid = f"{chart_id}-{fill.key}"
        mark = {
            "stripes": '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.6" stroke-opacity=".55"/>',
            "dots": '<circle cx="4" cy="4" r="1.5" fill="#fff" fill-opacity=".6"/>',
            "lines": '<path d="M0,4 h8" stroke="#fff" stroke-width="1.6" stroke-opacity=".55"/>',
            "cross": '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-width="1.2" stroke-opacity=".5"/>',
        }[fill.pattern]
        parts.append(
            f'<pattern id="{_e(pid)}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{fill.colour}"/>{mark}</pattern>'
        )
    parts.append("</defs>")
    return "".join(parts)


def fill_ref(chart_id: str, fill: Fill) -> str:
    return f"url(#{chart_id}-{fill.key})" if fill.pattern else fill.colour


def nice_ceiling(value: float, ticks: int = 4) -> tuple[float, float]:
    """A round axis maximum at or above `value`, and its tick step."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    return step * math.ceil(value / step), step


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def bar_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, int, Fill]], *, unit: str = ""
) -> Markup:
    """Horizontal bars, one per row, each with its label on the left and its value at its end."""
    label_w, width, bar_h, gap, top = 80, 500, 24, 10, 4
    height = top + len(rows) * (bar_h + gap) + 4
    peak = max((v for _, v, _ in rows), default=0) or 1
    plot_w = width - label_w - 70
    summary = "; ".join(f"{label}: {value}{unit}" for label, value, _ in rows)
    out = [_svg_open(chart_id, width, height, title, summary)]
    out.append(pattern_defs(chart_id, [f for _, _, f in rows]))
    for index, (label, value, fill) in enumerate(rows):
        y = top + index * (bar_h + gap)
        w = 0 if value == 0 else max(3.0, plot_w * value / peak)
        out.append(
            f'<text class="axis-label" x="{label_w - 10}" y="{y + bar_h / 2}" '
            f'text-anchor="end" dominant-baseline="central">{_e(label)}</text>'
            f'<rect class="track" x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" rx="4"/>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="4" '
            f'fill="{fill_ref(chart_id, fill)}"/>'
            f'<text class="value" x="{label_w + w + 8:.1f}" y="{y + bar_h / 2}" '
            f'dominant-baseline="central">{_fmt(value)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))  # built from escaped parts


def stacked_bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    fills: Sequence[Fill],
) -> Markup:
    """Horizontal stacked bars: one row per category, one segment per fill; totals at the end."""
    label_w, width, bar_h, gap, top = 130, 500, 22, 10, 4
    height = top + max(len(rows), 1) * (bar_h + gap) + 4
    peak = max((sum(v) for _, v in rows), default=0) or 1
    plot_w = width - label_w - 60
    summary = "; ".join(
        f"{label}: {sum(values)} ("
        + ", ".join(f"{v} {f.label.lower()}" for v, f in zip(values, fills, strict=True) if v)
        + ")"
        for label, values in rows
    )
    out = [_svg_open(chart_id, width, height, title, summary or "nothing to show")]
    out.append(pattern_defs(chart_id, fills))
    for index, (label, values) in enumerate(rows):
        y = top + index * (bar_h + gap)
        shown = label if len(label) <= 20 else label[:19] + "…"
        out.append(
            f'<text class="axis-label" x="{label_w - 10}" y="{y + bar_h / 2}" '
            f'text-anchor="end" dominant-baseline="central">{_e(shown)}</text>'
            f'<rect class="track" x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" rx="4"/>'
        )
        x = float(label_w)
        for value, fill in zip(values, fills, strict=True):
            if not value:
                continue
            w = plot_w * value / peak
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{fill_ref(chart_id, fill)}" class="seg"><title>{_e(label)}: '
                f"{value} {_e(fill.label.lower())}</title></rect>"
            )
            x += w
        out.append(
            f'<text class="value" x="{x + 8:.1f}" y="{y + bar_h / 2}" '
            f'dominant-baseline="central">{_fmt(sum(values))}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))  # built from escaped parts


def column_chart(
    chart_id: str, title: str, columns: Sequence[tuple[str, int]], fill: Fill, *, unit: str = ""
) -> Markup:
    """Vertical columns with their value above and their label below."""
    width, height, left, right, top, bottom = 1040, 260, 40, 8, 24, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak, step = nice_ceiling(max((v for _, v in columns), default=0))
    slot = plot_w / max(len(columns), 1)
    summary = "; ".join(f"{label}: {value}{unit}" for label, value in columns)
    out = [_svg_open(chart_id, width, height, title, summary)]
    out.append(pattern_defs(chart_id, [fill]))
    out.append(_y_grid(left, width - right, top, plot_h, peak, step))
    for index, (label, value) in enumerate(columns):
        x = left + index * slot + slot * 0.18
        w = slot * 0.64
        h = plot_h * value / peak
        y = top + plot_h - h
        if value:
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="3" '
                f'fill="{fill_ref(chart_id, fill)}"/>'
            )
        out.append(
            f'<text class="value{"" if value else " zero"}" x="{x + w / 2:.1f}" y="{y - 6:.1f}" '
            f'text-anchor="middle">{_fmt(value)}</text>'
            f'<text class="axis-label" x="{x + w / 2:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{_e(label)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))  # built from escaped parts


def _y_grid(x0: float, x1: float, top: float, plot_h: float, peak: float, step: float) -> str:
    parts = []
    tick = 0.0
    while tick <= peak + 1e-9:
        y = top + plot_h - plot_h * tick / peak
        parts.append(
            f'<line class="grid" x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{x0 - 6}" y="{y:.1f}" text-anchor="end" '
            f'dominant-baseline="central">{_fmt(tick)}</text>'
        )
        tick += step
    return "".join(parts)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[Line, Sequence[int | None]]],
    *,
    summary: str,
    label_every: int = 1,
) -> Markup:
    """Lines over time; None values are gaps (the line breaks and the month is shaded)."""
    width, height, left, right, top, bottom = 1040, 300, 44, 16, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, vs in series for v in vs if v is not None]
    peak, step = nice_ceiling(max(values, default=0))
    count = max(len(labels), 1)
    slot = plot_w / count

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: int) -> float:
        return top + plot_h - plot_h * value / peak

    out = [_svg_open(chart_id, width, height, title, summary)]
    out.append(
        f'<defs><pattern id="{_e(chart_id)}-gap" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#f1f5f9"/><path d="M0,0 v6" stroke="#cbd5e1" '
        'stroke-width="2"/></pattern></defs>'
    )
    gaps = [i for i in range(len(labels)) if all(vs[i] is None for _, vs in series)]
    for index in gaps:
        out.append(
            f'<rect x="{left + slot * index:.1f}" y="{top}" width="{slot:.1f}" height="{plot_h}" '
            f'fill="url(#{_e(chart_id)}-gap)"><title>{_e(labels[index])}: no data</title></rect>'
        )
    out.append(_y_grid(left, width - right, top, plot_h, peak, step))
    for index, label in enumerate(labels):
        if index % label_every == 0 or index == len(labels) - 1:
            out.append(
                f'<text class="axis-label" x="{x_of(index):.1f}" y="{height - bottom + 20}" '
                f'text-anchor="middle">{_e(label)}</text>'
            )
    for line, points in series:
        dash = ' stroke-dasharray="7 5"' if line.dashed else ""
        for run in _runs(points):
            path = " ".join(
                f"{'M' if n == 0 else 'L'}{x_of(i):.1f},{y_of(v):.1f}"
                for n, (i, v) in enumerate(run)
            )
            out.append(
                f'<path d="{path}" fill="none" stroke="{line.colour}" stroke-width="2.5" '
                f'stroke-linejoin="round"{dash}/>'
            )
        for index, value in enumerate(points):
            if value is None:
                continue
            x, y = x_of(index), y_of(value)
            tip = f"<title>{_e(labels[index])}: {value} {_e(line.label.lower())}</title>"
            if line.marker == "square":
                out.append(
                    f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                    f'fill="#fff" stroke="{line.colour}" stroke-width="2">{tip}</rect>'
                )
            else:
                out.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{line.colour}" '
                    f'stroke="#fff" stroke-width="1.5">{tip}</circle>'
                )
    out.append("</svg>")
    return Markup("".join(out))  # built from escaped parts


def _runs(points: Sequence[int | None]) -> list[list[tuple[int, int]]]:
    """Consecutive non-gap stretches of a series, as (index, value) pairs."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for index, value in enumerate(points):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        runs.append(current)
    return runs


def legend_swatch(chart_id: str, fill: Fill) -> Markup:
    """A small inline SVG square in the fill's colour and pattern, for HTML legends."""
    pid = f"{chart_id}-lg-{fill.key}"
    defs = pattern_defs(f"{chart_id}-lg", [fill]) if fill.pattern else ""
    paint = f"url(#{pid})" if fill.pattern else fill.colour
    return Markup(  # built from escaped parts
        f'<svg class="swatch" viewBox="0 0 14 14" aria-hidden="true" focusable="false">{defs}'
        f'<rect width="14" height="14" rx="3" fill="{paint}"/></svg>'
    )


def legend_line(line: Line) -> Markup:
    dash = ' stroke-dasharray="5 3"' if line.dashed else ""
    marker = (
        f'<rect x="10" y="3" width="8" height="8" fill="#fff" stroke="{line.colour}" stroke-width="2"/>'
        if line.marker == "square"
        else f'<circle cx="14" cy="7" r="4" fill="{line.colour}"/>'
    )
    return Markup(  # built from escaped parts
        f'<svg class="swatch wide" viewBox="0 0 28 14" aria-hidden="true" focusable="false">'
        f'<path d="M0,7 H28" stroke="{line.colour}" stroke-width="2.5"{dash}/>{marker}</svg>'
    )
