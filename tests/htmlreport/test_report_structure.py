"""Golden structure of the HTML report: sections, accessible tables and charts, figures that match the registry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialgov.htmlreport import build_report
from socialgov.htmlreport.data import ReportData
from socialgov.model.ownership import is_departed_held, is_orphaned
from socialgov.policy.engine import audit
from socialgov.policy.inputs import working_tree_inputs
from socialgov.registry.load import load_observations, load_registry
from tests.conftest import Socialgov, from_template, isolated_environment
from tests.htmlreport.conftest import TODAY, Node, make_registry, parse_html, write_files

SECTIONS = {
    "summary": "At a glance",
    "charts": "Findings",
    "expiry": "Domain expiry",
    "posture": "DNS and web",
    "history": "Ownership health over time",
    "findings": "All findings",
    "departments": "Departments",
}
FINDING_HEADERS = ["Severity", "Asset and department", "Finding and where", "Owners", "What to do"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ReportData, Node]:
    """The report of the sample registry, built once for the tests that only read it."""
    base = tmp_path_factory.mktemp("report")
    with isolated_environment(base):
        root = from_template("htmlreport-sample", base / "reg", make_registry)
        page, data = build_report(root, today=TODAY, months=6)
    return page, data, parse_html(page)


def _card_figure(doc: Node, label: str) -> str:
    for card in doc.by_class("card"):
        if card.find("dt").words == label:
            return card.by_class("figure")[0].words.split()[0]
    raise AssertionError(f"no card {label!r}")


def test_page_is_a_labelled_document_with_every_section(
    report: tuple[str, ReportData, Node],
) -> None:
    page, _, doc = report
    assert page.startswith("<!DOCTYPE html>")
    html = doc.find("html")
    assert html.attrs["lang"] == "en"
    assert doc.find("meta", charset="utf-8")
    assert "Example Corp" in doc.find("title").text
    assert [h.words for h in doc.find_all("h1")] == ["Example Corp"]
    for sid, heading in SECTIONS.items():
        section = doc.find("section", id=sid)
        assert section.find("h2").words == heading
        assert section.attrs["aria-labelledby"] == f"{sid}-h"
    assert doc.find("main", id="main")
    toc = [a.attrs["href"] for a in doc.find("nav", class_="toc").find_all("a")]
    assert toc == [f"#{sid}" for sid in SECTIONS]


def test_headline_figures_match_the_registry(
    sample: Path, report: tuple[str, ReportData, Node]
) -> None:
    _, data, doc = report
    registry = load_registry(sample)
    orphaned = sum(is_orphaned(a, registry.roster) for a in registry.assets.values())
    held = sum(is_departed_held(a, registry.roster) for a in registry.assets.values())
    assert (orphaned, held) == (2, 4)
    assert _card_figure(doc, "Assets") == "7"
    assert _card_figure(doc, "Orphaned") == str(orphaned)
    assert _card_figure(doc, "Held by departed people") == str(held)
    assert "5 domains · 1 blog · 1 social account" in doc.by_class("card")[0].words
    windows = [s.words for s in doc.by_class("windows")[0].find_all("strong")]
    assert windows == ["1", "2", "3"]  # 17 days; + observation's 43 days; + 70 days
    assert "1 already expired" in doc.find("section", id="summary").words

    inputs = working_tree_inputs(registry, observations=load_observations(sample))
    findings = audit(inputs, today=TODAY).findings
    open_findings = [f for f in findings if not f.waived]
    assert _card_figure(doc, "Open findings") == str(len(open_findings))
    assert data.open_findings == len(open_findings)
    for severity, count in data.findings_by_severity.items():
        assert count == sum(f.severity is severity for f in open_findings)


def test_findings_table_lists_every_open_finding_with_owners_hint_and_location(
    report: tuple[str, ReportData, Node],
) -> None:
    _, data, doc = report
    table = doc.find("table", id="findings-table")
    assert "Open findings" in table.find("caption").words
    assert [th.words for th in table.find("thead").find_all("th")] == FINDING_HEADERS
    assert all(th.attrs.get("scope") == "col" for th in table.find("thead").find_all("th"))
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == data.open_findings > 0
    ranks = []
    for row, finding in zip(rows, data.findings, strict=True):
        assert "hidden" not in row.attrs  # with JavaScript off, everything shows
        assert row.attrs["data-severity"] == finding.severity.value
        assert row.attrs["data-kind"] == finding.asset.kind.value
        assert row.attrs["data-department"] == finding.department
        assert row.find("th").attrs["scope"] == "row"
        assert f"{finding.file}:{finding.line}" in row.words
        assert finding.hint.split()[0] in row.words
        ranks.append(finding.severity.rank)
    assert ranks == sorted(ranks, reverse=True)
    orphaned_blog = next(r for r in rows if "eng-blog" in r.words and "orphaned" in r.words)
    assert "bob" in orphaned_blog.words and "departed" in orphaned_blog.words


def test_filters_are_hidden_until_the_script_runs(report: tuple[str, ReportData, Node]) -> None:
    page, data, doc = report
    form = doc.find("form", id="finding-filters")
    assert "hidden" in form.attrs
    selects = {s.attrs["name"]: s for s in form.find_all("select")}
    assert set(selects) == {"severity", "kind", "department"}
    departments = [o.attrs["value"] for o in selects["department"].find_all("option")][1:]
    assert departments == sorted({f.department for f in data.findings})
    assert 'setAttribute("data-ready", "1")' in page


def test_every_table_has_a_caption_and_scoped_headers(report: tuple[str, ReportData, Node]) -> None:
    _, _, doc = report
    tables = doc.find_all("table")
    assert len(tables) >= 8
    for table in tables:
        assert table.find("caption").words
        for th in table.find_all("th"):
            assert th.attrs.get("scope") in ("col", "row"), th.words


def test_charts_are_labelled_images(report: tuple[str, ReportData, Node]) -> None:
    _, _, doc = report
    charts = [svg for svg in doc.find_all("svg") if svg.has_class("chart")]
    assert {c.attrs["id"] for c in charts} == {
        "chart-severity",
        "chart-department",
        "chart-expiry",
        "chart-history",
    }
    for chart in charts:
        assert chart.attrs["role"] == "img"
        assert chart.attrs["aria-label"]
        assert chart.find("title").words
        assert chart.find("desc").words
    for svg in doc.find_all("svg"):
        if not svg.has_class("chart"):
            assert svg.attrs.get("aria-hidden") == "true"  # legend swatches sit beside their text


def test_departments_list_their_assets_and_owners(report: tuple[str, ReportData, Node]) -> None:
    _, data, doc = report
    section = doc.find("section", id="departments")
    assert [h.words for h in section.find_all("h3")] == ["Marketing", "Sales", "No department"]
    for department in data.departments:
        block = next(
            s for s in section.find_all("section") if s.find("h3").words == department.name
        )
        rows = block.find("tbody").find_all("tr")
        assert len(rows) == len(department.assets)
        for row, asset in zip(rows, department.assets, strict=True):
            assert asset.id.name in row.words
            for owner in asset.owners:
                assert owner.ref in row.words
    sales = next(s for s in section.find_all("section") if s.find("h3").words == "Sales")
    old = next(r for r in sales.find_all("tr") if "old.example" in r.words)
    assert "orphaned" in old.words and "held by departed bob" in old.words


def test_page_is_self_contained(report: tuple[str, ReportData, Node]) -> None:
    page, _, doc = report
    for node in doc.iter():
        assert "src" not in node.attrs, node.tag
        href = node.attrs.get("href")
        assert href is None or href.startswith("#"), href
        if node.tag == "link":
            raise AssertionError(f"<link {node.attrs}>")
    scripts = doc.find_all("script")
    assert len(scripts) == 1 and "src" not in scripts[0].attrs
    assert not re.search(r"url\((?!#)", page)
    assert "@import" not in page
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "https://blog.example.com"}
    csp = doc.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"] or ""
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_registry_strings_are_escaped(sample: Path) -> None:
    evil = '<img src=x onerror="alert(1)">'
    write_files(
        sample,
        {
            "people.toml": (sample / "people.toml")
            .read_text()
            .replace('name = "Alice Example"', 'name = "Alice </td><script>alert(2)</script>"')
            .replace('department = "Marketing"', f"department = '{evil}'"),
            "assets/blogs/eng-blog.toml": (sample / "assets/blogs/eng-blog.toml")
            .read_text()
            .replace('department = "Marketing"', 'department = "R&D \\"<b>\\""'),
        },
    )
    page, _ = build_report(sample, today=TODAY, months=1)
    doc = parse_html(page)
    assert len(doc.find_all("script")) == 1
    assert not doc.find_all("img") and not doc.find_all("b")
    assert "<script>alert(" not in page and 'onerror="alert' not in page
    notes = [n.text for n in doc.by_class("notes")]
    assert "<script>alert('pwned')</script> bought for the 2011 campaign & never used" in notes
    assert any(h.words == 'R&D "<b>"' for h in doc.find_all("h3"))
    options = [o.attrs.get("value") for o in doc.find_all("option")]
    assert 'R&D "<b>"' in options
    assert "Alice </td><script>alert(2)</script>" in doc.words


def test_cli_writes_the_page_atomically(sample: Path) -> None:
    sg = Socialgov(sample)
    out = sample.parent / "out" / "report.html"
    out.parent.mkdir()
    result = sg("--today", TODAY.isoformat(), "report", "--html", str(out), "--months", "3")
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote" in result.stderr and "7 assets" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]

    bad = sg("--today", TODAY.isoformat(), "report", "--html", str(out), "--months", "0")
    assert bad.code == 2
    assert "Traceback" not in bad.stderr
    missing = sg("report")
    assert missing.code == 2 and "--html" in missing.stderr
