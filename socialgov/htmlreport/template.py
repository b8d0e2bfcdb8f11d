"""The report's stylesheet and its one small script, kept as strings so the page needs no package data."""

from __future__ import annotations

CSS = """
:root {
  --ink: #0f172a; --ink-2: #334155; --muted: #5b6677; --line: #e2e8f0; --line-2: #cbd5e1;
  --bg: #f4f6fa; --card: #ffffff; --accent: #4338ca; --accent-soft: #eef2ff;
  --crit: #7f1d1d; --high: #c81e1e; --med: #b45309; --low: #1d4ed8; --info: #475569;
  --ok: #166534; --radius: 14px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans",
    "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); font: 15px/1.5 var(--font); -webkit-text-size-adjust: 100%; }
body { margin: 0; }
figure { margin: 0; }
a { color: var(--accent); text-underline-offset: 2px; }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible {
  outline: 3px solid #818cf8; outline-offset: 2px; border-radius: 4px;
}
code { font-family: var(--mono); font-size: .86em; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 12px; top: 12px; background: #fff; padding: 8px 12px; z-index: 10; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

/* masthead */
.masthead { background: linear-gradient(135deg, #1e1b4b 0%, #312e81 55%, #3730a3 100%); color: #fff; padding: 40px 0 34px; }
.eyebrow { margin: 0 0 6px; text-transform: uppercase; letter-spacing: .12em; font-size: 12px; font-weight: 600; color: #c7d2fe; }
.masthead h1 { margin: 0; font-size: 32px; line-height: 1.2; font-weight: 700; letter-spacing: -.01em; }
.masthead .meta { margin: 10px 0 0; color: #e0e7ff; font-size: 14px; }
.masthead .meta span + span::before { content: "·"; margin: 0 8px; color: #a5b4fc; }
.toc { background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 5; }
.toc ul { list-style: none; margin: 0 auto; padding: 0 28px; display: flex; gap: 4px; overflow-x: auto; max-width: 1180px; }
.toc a { display: block; padding: 12px 12px; color: var(--ink-2); text-decoration: none; font-weight: 500; font-size: 14px; white-space: nowrap; border-bottom: 2px solid transparent; }
.toc a:hover { color: var(--accent); border-bottom-color: var(--accent); }

main { padding: 28px 0 48px; }
section { margin: 0 0 40px; scroll-margin-top: 60px; }
h2 { font-size: 22px; margin: 0 0 4px; letter-spacing: -.01em; }
h3 { font-size: 17px; margin: 0 0 4px; }
.lede { margin: 0 0 18px; color: var(--muted); max-width: 75ch; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 22px 24px; box-shadow: 0 1px 2px rgba(15,23,42,.04); }
.panel + .panel { margin-top: 18px; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px; }
.grid-2 .panel + .panel { margin-top: 0; }

/* headline figures */
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 14px; margin: 0; padding: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 18px 20px 16px; position: relative; overflow: hidden; margin: 0; }
.card::before { content: ""; position: absolute; inset: 0 auto 0 0; width: 4px; background: var(--line-2); }
.card.alert::before { background: var(--high); }
.card.warn::before { background: #f59e0b; }
.card.good::before { background: #16a34a; }
.card dt { font-size: 13px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
.card .figure { font-size: 36px; font-weight: 700; line-height: 1.15; margin: 6px 0 4px; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--muted); font-size: 13px; margin: 0; }
.card .status { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 999px; margin-left: 6px; vertical-align: 6px; white-space: nowrap; }
.status.bad { background: #fee2e2; color: #7f1d1d; }
.status.fine { background: #dcfce7; color: #14532d; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 0; padding: 0; list-style: none; }
.windows { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin: 8px 0 4px; }
.windows div { background: var(--bg); border-radius: 10px; padding: 8px 4px; text-align: center; min-width: 0; }
.windows strong { display: block; font-size: 20px; line-height: 1.2; font-variant-numeric: tabular-nums; }
.windows span { font-size: 12px; color: var(--muted); }

/* severity badges: text first, colour second */
.sev { display: inline-flex; align-items: center; gap: 5px; font-size: 12px; font-weight: 700; letter-spacing: .02em; padding: 2px 9px 2px 7px; border-radius: 999px; white-space: nowrap; border: 1px solid transparent; }
.sev::before { content: ""; width: 8px; height: 8px; border-radius: 2px; background: currentColor; }
.sev-critical { background: var(--crit); color: #fff; }
.sev-critical::before { background: #fecaca; transform: rotate(45deg); }
.sev-high { background: #fee2e2; color: #8f1414; border-color: #fca5a5; }
.sev-medium { background: #fef3c7; color: #78350f; border-color: #fcd34d; }
.sev-medium::before { border-radius: 50%; }
.sev-low { background: #dbeafe; color: #1e3a8a; border-color: #93c5fd; }
.sev-low::before { height: 3px; }
.sev-info { background: #f1f5f9; color: #334155; border-color: #cbd5e1; }
.sev-info::before { background: transparent; border: 2px solid currentColor; width: 5px; height: 5px; border-radius: 50%; }
.tag { white-space: nowrap; display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 6px; margin-left: 4px; text-transform: uppercase; letter-spacing: .04em; vertical-align: 1px; }
.tag-departed, .tag-orphaned { background: #fee2e2; color: #7f1d1d; }
.tag-unknown, .tag-empty-team { background: #ffedd5; color: #7c2d12; }
.tag-on-leave { background: #fef9c3; color: #713f12; }
.tag-backup { background: #f1f5f9; color: #475569; text-transform: none; }
.tag-retired { background: #e2e8f0; color: #334155; }

/* charts */
.chart { width: 100%; height: auto; display: block; font-family: var(--font); }
.chart text { font-size: 13px; fill: var(--ink-2); }
.chart .value.zero { fill: var(--muted); font-weight: 400; }
.chart .value { font-weight: 700; fill: var(--ink); font-variant-numeric: tabular-nums; }
.chart .tick { font-size: 11px; fill: var(--muted); }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .track { fill: #f1f5f9; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 12px 0 0; padding: 0; list-style: none; font-size: 13px; color: var(--ink-2); }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 14px; height: 14px; flex: none; }
.swatch.wide { width: 28px; }
.figure-title { font-size: 15px; font-weight: 650; margin: 0 0 12px; }
.note { font-size: 13px; color: var(--muted); margin: 10px 0 0; }
.empty { color: var(--muted); font-style: italic; margin: 8px 0; }
details.data { margin-top: 12px; font-size: 13px; }
details.data summary { cursor: pointer; color: var(--accent); font-weight: 500; }

/* tables */
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 12px; background: #fff; }
/* long tables scroll in place on screen (header kept in view) and print in full */
.table-wrap.scroll { max-height: 560px; overflow: auto; }
.table-wrap.scroll.tall { max-height: 78vh; }
.scroll thead th { position: sticky; top: 0; z-index: 1; box-shadow: inset 0 -1px 0 var(--line); }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
caption { text-align: left; font-weight: 650; padding: 12px 14px; color: var(--ink); caption-side: top; font-size: 14px; }
caption .count { color: var(--muted); font-weight: 400; }
th, td { padding: 9px 12px; text-align: left; vertical-align: top; border-top: 1px solid var(--line); }
thead th { background: #f8fafc; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 650; border-top: 1px solid var(--line); white-space: nowrap; }
tbody th { font-weight: 600; }
tbody tr:hover { background: #fafbff; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.owners { list-style: none; margin: 0; padding: 0; }
.owners li + li { margin-top: 4px; }
.owners .person-name { display: block; line-height: 1.3; }
.where { display: flex; flex-wrap: wrap; gap: 2px 10px; margin-top: 4px; font-size: 12px; color: var(--muted); }
.where code { overflow-wrap: anywhere; }
.owners { min-width: 11em; }
.owners li, .hint { overflow-wrap: break-word; }
td.hint { min-width: 14em; }
.where .rule { color: var(--ink-2); background: #f1f5f9; padding: 0 5px; border-radius: 4px; }
.person-name { color: var(--muted); font-size: 12px; }
.hint { color: var(--ink-2); }
.loc { color: var(--muted); white-space: nowrap; }
.notes { display: block; margin-top: 3px; color: var(--ink-2); font-size: 12px; font-weight: 400; font-style: italic; max-width: 46ch; }
.asset-kind { display: block; color: var(--muted); font-size: 12px; font-weight: 400; }

/* filters */
.filters { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-end; margin: 0 0 14px; padding: 14px 16px; background: var(--accent-soft); border: 1px solid #c7d2fe; border-radius: 12px; }
.filters label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: var(--ink-2); text-transform: uppercase; letter-spacing: .04em; }
.filters select, .filters input { font: inherit; font-size: 14px; text-transform: none; letter-spacing: 0; padding: 6px 10px; border: 1px solid var(--line-2); border-radius: 8px; background: #fff; color: var(--ink); min-width: 150px; }
.filters button { font: inherit; font-size: 14px; padding: 6px 14px; border-radius: 8px; border: 1px solid var(--accent); background: #fff; color: var(--accent); font-weight: 600; cursor: pointer; }
.filters button:hover { background: var(--accent); color: #fff; }
.filters output { margin-left: auto; font-size: 14px; color: var(--ink-2); align-self: center; }
.filters[hidden] { display: none; }

.dept { margin-top: 22px; }
.dept-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 14px; margin-bottom: 8px; }
.dept-head p { margin: 0; color: var(--muted); font-size: 14px; }
.dept-index { columns: 3 220px; margin: 0 0 8px; padding: 0; list-style: none; font-size: 14px; }
.dept-index li { padding: 2px 0; }

footer { border-top: 1px solid var(--line); padding: 22px 0 40px; color: var(--muted); font-size: 13px; }

@media (max-width: 640px) {
  .wrap { padding: 0 16px; }
  .masthead h1 { font-size: 24px; }
  .grid-2 { grid-template-columns: 1fr; }
}

@media print {
  @page { margin: 14mm; }
  html { background: #fff; font-size: 11px; }
  .toc, .filters, .skip, details.data summary { display: none !important; }
  .masthead { background: none; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--ink); }
  .masthead .meta, .eyebrow { color: var(--ink-2); }
  .panel, .card, .table-wrap { box-shadow: none; border-color: #94a3b8; }
  .table-wrap, .table-wrap.scroll, .table-wrap.scroll.tall { overflow: visible; max-height: none; border: 0; }
  .scroll thead th { position: static; }
  section { break-inside: auto; margin-bottom: 18px; }
  .panel, .card, figure, svg, h2, h3 { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  thead { display: table-header-group; }
  tr, td, th { break-inside: avoid; }
  tr[hidden] { display: table-row !important; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Filters the findings table in place. Without JavaScript the form stays hidden and every
# finding is shown; with it, the form appears and <html data-ready="1"> marks it as working.
SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("finding-filters");
  var table = document.getElementById("findings-table");
  if (form && table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var out = document.getElementById("findings-shown");
    var total = rows.length;
    var apply = function () {
      var sev = form.elements.severity.value, kind = form.elements.kind.value,
          dept = form.elements.department.value, q = form.elements.q.value.trim().toLowerCase();
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var d = rows[i].dataset;
        var ok = (!sev || d.severity === sev) && (!kind || d.kind === kind) &&
                 (!dept || d.department === dept) && (!q || texts[i].indexOf(q) !== -1);
        rows[i].hidden = !ok;
        if (ok) { shown++; }
      }
      out.value = shown === total ? "Showing all " + total + " findings"
                                  : "Showing " + shown + " of " + total + " findings";
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
"""
