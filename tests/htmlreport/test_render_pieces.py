"""The row pieces made in Python (render.py) escape exactly as the templates' autoescape."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from markupsafe import escape

from socialgov.htmlreport.render import _asset_label, _esc, _owners, _severity_badge
from socialgov.model import AssetId, Kind, Severity

HOSTILE = ["plain", "<script>alert('x')</script>", 'a "quoted" & <tagged>', "’ü · 名", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaping_is_markupsafes(text: str) -> None:
    assert _esc(text) == str(escape(text))


def test_pieces_escape_what_the_registry_says() -> None:
    owner = SimpleNamespace(ref="<b>bob</b>", state="departed", name='Bob "B" & Co')
    html = str(_owners([owner]))
    assert "<b>" not in html and "&lt;b&gt;bob&lt;/b&gt;" in html
    assert "Bob &#34;B&#34; &amp; Co" in html
    assert str(_owners([])) == '<span class="tag tag-orphaned">none listed</span>'
    label = str(_asset_label(AssetId(Kind.BLOG, "x<y"), department="R&D"))
    assert "x&lt;y" in label and "R&amp;D" in label
    assert str(_severity_badge(Severity.HIGH)) == '<span class="sev sev-high">High</span>'
    assert "&lt;2&gt;" in str(_severity_badge(Severity.LOW, "<2>"))


def test_a_rows_attention_escapes_holders_and_counts_findings() -> None:
    from socialgov.htmlreport.render import _attention

    row = SimpleNamespace(orphaned=True, departed_holders=["<eve>", "bob"], open_findings=2)
    html = str(_attention(row))
    assert html.split("<br>")[0] == '<span class="tag tag-orphaned">orphaned</span>'
    assert "&lt;eve&gt;, bob" in html and "<eve>" not in html
    assert html.endswith('<a href="#findings">2 findings</a>')
    quiet = SimpleNamespace(orphaned=False, departed_holders=[], open_findings=0)
    assert str(_attention(quiet)) == "—"
