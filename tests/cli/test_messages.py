"""Messages count correctly ("1 finding", "2 findings", never "finding(s)"); empty sections are
not printed."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from socialgov.words import plural
from tests.cli.conftest import TODAY, Cli, head
from tests.conftest import git
from tests.lookup.loopback import corpus_text

PACKAGE = Path(__file__).resolve().parents[2] / "socialgov"
MAYBE_PLURAL = re.compile(r"\b([A-Za-z]+)\((?:s|es|ies)\)(?!\?)")
NOT_A_COUNT = {"http"}  # "http(s) URL" names two schemes; it counts nothing
TEMPLATE_SUFFIXES = {".html", ".txt", ".md", ".j2"}


def _literal_text(token: str) -> str:
    """The text of a string token without its f-string expressions (`{Severity(s)}` is code);
    newlines are kept so that line numbers stay right."""
    prefix = token[: len(token) - len(token.lstrip("rRbBuUfF"))]
    if "f" not in prefix.lower():
        return token
    out, depth, i = [], 0, 0
    while i < len(token):
        pair = token[i : i + 2]
        if depth == 0 and pair in ("{{", "}}"):
            out.append("  ")
            i += 2
            continue
        char = token[i]
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            char = " "
        out.append(char if depth == 0 or char == "\n" else " ")
        i += 1
    return "".join(out)


def maybe_plurals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every `word(s)` inside a string literal (f-strings and docstrings too)."""
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in kinds:
            continue
        text = _literal_text(token.string)
        for match in MAYBE_PLURAL.finditer(text):
            if match.group(1).lower() not in NOT_A_COUNT:
                line = token.start[0] + text.count("\n", 0, match.start())
                found.append((line, match.group()))
    return found


def test_the_detector_finds_what_it_must_and_nothing_else() -> None:
    source = (
        'A = f"{n} item(s) on {m} asset(s) {ICON[Severity(s)]} {{x(s)}}"\n'
        "B = '''docstring\nwith 3 delivery(ies)'''\n"
        "# a comment about finding(s) is not output\n"
        'C = "an http(s) URL"\n'
        'D = r"servidor(es)?"\n'
    )
    assert maybe_plurals(source) == [
        (1, "item(s)"),
        (1, "asset(s)"),
        (1, "x(s)"),
        (3, "delivery(ies)"),
    ]


def test_no_message_of_the_package_says_word_s() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE.parent)
        if path.suffix == ".py":
            found = maybe_plurals(path.read_text(encoding="utf-8"))
        elif path.suffix in TEMPLATE_SUFFIXES and path.is_file():
            text = path.read_text(encoding="utf-8")
            found = [
                (text.count("\n", 0, m.start()) + 1, m.group())
                for m in MAYBE_PLURAL.finditer(text)
                if m.group(1).lower() not in NOT_A_COUNT
            ]
        else:
            continue
        offenders += [f"{rel}:{line}: {text}" for line, text in found]
    assert not offenders, "count with socialgov.words.plural instead:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("count", "word", "words", "expected"),
    [
        (0, "finding", None, "0 findings"),
        (1, "finding", None, "1 finding"),
        (2, "finding", None, "2 findings"),
        (1, "person", "people", "1 person"),
        (4, "person", "people", "4 people"),
        (1, "delivery", "deliveries", "1 delivery"),
    ],
)
def test_plural(count: int, word: str, words: str | None, expected: str) -> None:
    assert plural(count, word, words) == expected


def test_list_counts_one_asset_and_three_assets(cli: Cli) -> None:
    one = cli("--today", TODAY, "list", "--kind", "social")
    assert one.code == 0, one.stderr
    assert one.stdout.splitlines()[0] == "1 asset"
    three = cli("--today", TODAY, "list")
    assert three.stdout.splitlines()[0] == "3 assets"


def test_people_list_counts_one_person_and_several_people(cli: Cli) -> None:
    one = cli("--today", TODAY, "people", "list", "--status", "departed")
    assert one.code == 0, one.stderr
    assert one.stdout.splitlines()[0] == "1 person"
    four = cli("--today", TODAY, "people", "list")
    assert four.stdout.splitlines()[0] == "4 people"


def test_audit_summary_counts_findings_and_skips_empty_severities(cli: Cli) -> None:
    one = cli("--today", TODAY, "audit", "--rule", "auto-renew-off", "--fail-on", "none")
    assert one.code == 0, one.stderr
    assert "3 assets checked, 1 finding (1 medium); none fails the audit" in one.stdout
    assert "low:" not in one.stdout and "high:" not in one.stdout
    two = cli("--today", TODAY, "audit", "--rule", "review-overdue", "--fail-on", "none")
    assert "3 assets checked, 2 findings (2 low)" in two.stdout
    assert "medium:" not in two.stdout
    none = cli("--today", TODAY, "audit", "--rule", "min-owners", "--fail-on", "none")
    assert none.stdout.strip() == "3 assets checked, 0 findings; none fails the audit"


@pytest.mark.parametrize(
    ("leaves_on", "said"),
    [
        ("2026-11-16", "in 1 day"),
        ("2026-11-18", "in 3 days"),
        ("2026-11-15", "today"),
        ("2026-11-14", "1 day ago"),
    ],
)
def test_people_show_says_when_someone_leaves(
    cli: Cli, reg: Path, leaves_on: str, said: str
) -> None:
    people = reg / "people.toml"
    people.write_text(
        people.read_text().replace(
            'manager = "carol"\n', f'manager = "carol"\nleaving_on = {leaves_on}\n'
        )
    )
    result = cli("--today", TODAY, "people", "show", "bob")
    assert result.code == 0, result.stderr
    assert f"leaving on {leaves_on} ({said})" in result.stdout


def test_people_show_prints_no_empty_section(cli: Cli) -> None:
    result = cli("--today", TODAY, "people", "show", "carol")
    assert result.code == 0, result.stderr
    for section in ("owns (", "access (", "recovery phone (", "contact e-mail ("):
        assert section not in result.stdout, result.stdout
    assert "holds no asset" in result.stdout
    assert "(0)" not in result.stdout


def test_whois_record_of_one_domain_says_one_observation(cli: Cli, reg: Path) -> None:
    saved = reg.parent / "answer.txt"
    saved.write_bytes(
        corpus_text("weppos--whois.gandi.net--registered--gandi.net.txt").replace(
            b"gandi.net", b"example.com"
        )
    )
    before = head(reg)
    result = cli("--today", TODAY, "whois", "example.com", "--from-file", str(saved), "--record")
    assert result.code == 0, result.stderr
    assert head(reg) != before
    subject = git(reg, "log", "-1", "--format=%s").strip()
    assert subject == "whois --record: 1 observation"


@pytest.mark.parametrize(
    ("still_open", "escalate_after", "said", "after"),
    [
        (1, 1, "1 other open item sent before is still open", "escalated after 1 day."),
        (3, 7, "3 other open items sent before are still open", "escalated after 7 days."),
    ],
)
def test_the_digest_counts_what_is_still_open(
    tmp_path: Path, still_open: int, escalate_after: int, said: str, after: str
) -> None:
    import dataclasses
    from datetime import date

    from socialgov.model import Severity
    from socialgov.notify.plan import Digest, Item, Notice
    from socialgov.notify.render import render_digest
    from socialgov.registry.load import load_registry
    from tests.notify.conftest import make_registry

    registry = load_registry(make_registry(tmp_path / "reg", "smtp://127.0.0.1:25"))
    notify = dataclasses.replace(registry.settings.notify, escalate_after_days=escalate_after)
    registry = dataclasses.replace(
        registry, settings=dataclasses.replace(registry.settings, notify=notify)
    )
    notice = Notice(
        key="finding:1",
        level="high",
        severity=Severity.HIGH,
        kind="finding",
        topic="mfa-missing",
        about="domain:example.com",
        message="example.com has no MFA",
        hint="turn it on",
        command="socialgov set domain:example.com x=y",
    )
    digest = Digest(
        recipient=registry.roster.people["alice"],
        items=(Item(notice, "new"),),
        still_open=still_open,
    )
    rendered = render_digest(digest, registry, {}, date(2026, 11, 1))
    for part in (rendered.text, rendered.html):
        assert said in part
        assert after in part


@pytest.mark.parametrize(("columns", "terminal"), [("200", "1"), ("60", "1"), ("200", "0")])
def test_an_empty_table_is_only_its_title(cli: Cli, columns: str, terminal: str) -> None:
    env = {"COLUMNS": columns, "TTY_COMPATIBLE": terminal, "NO_COLOR": "1"}
    empty = cli("--today", TODAY, "list", "--tag", "no-such-tag", env=env)
    assert empty.code == 0, empty.stderr
    assert "0 assets" in empty.stdout
    assert "asset" not in empty.stdout.replace("0 assets", "")  # no header row, no box
    assert not any(c in empty.stdout for c in "┏┃└│")
    full = cli("--today", TODAY, "list", env=env)
    assert "3 assets" in full.stdout and "social:x/examplecorp" in full.stdout
