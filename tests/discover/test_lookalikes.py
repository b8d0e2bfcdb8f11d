"""`socialgov lookalikes`: generation with dnstwist (offline, registrable names only) and
`--check` against loopback RDAP and WHOIS servers, with the rule that reads what it records."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import idna
import pytest

from socialgov.htmlreport import build_report
from socialgov.lookalikes.generate import TLD_SWAP, generate, permutations
from tests.conftest import commit_count, git
from tests.lookup.loopback import (
    CORPUS,
    HttpReply,
    RdapServerThread,
    WhoisServerThread,
    corpus_text,
)

from .conftest import make_registry


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generation must not touch the network: any resolve or connect fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"lookalike generation tried the network: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_generation_is_offline_and_registrable_only(offline: None) -> None:
    found = generate(["example.com", "example.co.uk", "shop.example.com"], {"example.net"})
    names = {item.name: item for item in found}
    assert "exampe.com" in names and names["exampe.com"].fuzzer == "omission"
    assert names["example.net"].defensive and not names["exampe.com"].defensive
    assert "example.org" in names and names["example.org"].fuzzer == "tld-swap"
    assert "examp1e.com" in names  # a homoglyph from dnstwist's ASCII table
    assert not any(item.original == "shop.example.com" for item in found)  # a host: none
    assert all(item.name.count(".") == 1 or item.name.endswith(".co.uk") for item in found)
    # .co.uk: no sub-label lookalikes such as example.cx.uk, and the UK registry takes no IDN
    uk = [item.name for item in found if item.original == "example.co.uk"]
    assert uk and all(name.endswith(".co.uk") or name.count(".") == 1 for name in uk)
    assert not any(name.startswith("xn--") for name in uk if name.endswith(".co.uk"))
    kinds = {item.fuzzer for item in found if item.original == "example.com"}
    assert kinds == {
        "omission",
        "insertion",
        "replacement",
        "transposition",
        "repetition",
        "hyphenation",
        "bitsquatting",
        "vowel-swap",
        "homoglyph",
        "tld-swap",
    }


def test_homoglyphs_follow_the_tld_table(offline: None) -> None:
    com = {name for kind, name in permutations("paypal.com", ("homoglyph",))}
    de = {name for kind, name in permutations("paypal.de", ("homoglyph",))}
    # dnstwist's table for .de holds Latin letters with diacritics, not the Latin alpha ɑ that
    # its general table offers for .com
    alpha = idna.encode("paypɑl").decode()
    assert f"{alpha}.com" in com and f"{alpha}.de" not in de
    assert idna.encode("paypäl").decode() + ".de" in de


def _lookup(rdap: RdapServerThread, whois: WhoisServerThread, bootstrap: Path) -> str:
    servers = ", ".join(
        f'"{tld.rsplit(".", 1)[-1]}" = "{whois.label}"' for tld in TLD_SWAP if tld != "com"
    )
    return (
        '[lookup]\norder = ["rdap", "whois"]\ntimeout_s = 3\nconcurrency = 4\nper_server = 1\n'
        f'rdap_bootstrap = "{bootstrap}"\nwhois_servers = {{ {servers} }}\n'
    )


def test_check_records_registered_lookalikes_and_the_rule_fires(
    tmp_path: Path,
    rdap_server: RdapServerThread,
    whois_server: Callable[..., WhoisServerThread],
) -> None:
    rdap_server.serve_corpus("exampe.com", "whodap--google.com.json")  # Google LLC: someone else
    ours: dict[str, Any] = json.loads(
        (CORPUS / "rdap" / "whodap--google.com.json")
        .read_text("utf-8")
        .replace("Google LLC", "Example Corp")
    )
    rdap_server.routes["/rdap/domain/exmple.com"] = HttpReply(200, ours)
    whois = whois_server(
        {"example.net": corpus_text("weppos--whois.gandi.net--registered--gandi.net.txt")},
        delay=0.02,
    )
    bootstrap = rdap_server.bootstrap_file(tmp_path, ["com"])
    root, sg = make_registry(tmp_path, _lookup(rdap_server, whois, bootstrap))
    before = commit_count(root)

    result = sg(
        "--today",
        "2026-11-15",
        "lookalikes",
        "--fuzzer",
        "omission",
        "--fuzzer",
        "tld-swap",
        "--check",
        "--format",
        "json",
    )
    assert result.code == 0, result.stderr
    rows = {row["domain"]: row for row in json.loads(result.stdout)}
    assert rows["exampe.com"]["held_by"] == "someone else"
    assert rows["exmple.com"]["held_by"] == "organisation-unregistered"
    assert rows["example.net"]["held_by"] == "someone else"
    assert rows["examle.com"]["held_by"] == "free" and rows["example.org"]["held_by"] == "free"
    assert len(rows) == 7 + len(TLD_SWAP) - 1

    assert commit_count(root) == before + 1
    files = sorted(
        f for f in git(root, "show", "--name-only", "--format=", "HEAD").split("\n") if f
    )
    assert files == [
        "observations/lookalikes/exampe.com.toml",
        "observations/lookalikes/example.net.toml",
        "observations/lookalikes/exmple.com.toml",
    ]
    recorded = (root / "observations/lookalikes/exampe.com.toml").read_text()
    assert 'original = "example.com"' in recorded and 'fuzzer = "omission"' in recorded

    # per_server = 1: never two queries at once at either server
    assert whois.counter.peak == 1 and len(whois.queries) == len(TLD_SWAP) - 1
    assert rdap_server.counter.peak == 1 and rdap_server.counter.total >= 7

    audit = sg(
        "--today", "2026-11-15", "audit", "--rule", "lookalike-registered", "--format", "json"
    )
    assert audit.code == 1, audit.stderr
    findings = json.loads(audit.stdout)["findings"]
    assert {f["asset"] for f in findings} == {"domain:example.com"}
    messages = sorted(f["message"] for f in findings)
    assert len(messages) == 2
    assert messages[0].startswith(
        "exampe.com (omission of example.com) is registered by 'Google LLC'"
    )
    assert messages[1].startswith(
        "example.net (tld-swap of example.com) is registered by 'Gandi SAS'"
    )

    page, data = build_report(root, today=date(2026, 11, 15), months=1)
    assert [(r.name.name, r.registrant) for r in data.lookalikes] == [
        ("exampe.com", "Google LLC"),
        ("example.net", "Gandi SAS"),
    ]
    assert '<section id="lookalikes"' in page and "Lookalikes registered by others" in page

    # the table form of the same check, answered from the cache: nothing new to commit
    table = sg("lookalikes", "--fuzzer", "omission", "--check")
    assert table.code == 0, table.stderr
    assert "registered by Google LLC" in table.stdout and commit_count(root) == before + 1


def test_failed_lookups_exit_3_after_recording(
    tmp_path: Path, rdap_server: RdapServerThread, whois_server: Callable[..., WhoisServerThread]
) -> None:
    rdap_server.serve_corpus("exampe.com", "whodap--google.com.json")
    rdap_server.routes["/rdap/domain/examle.com"] = HttpReply(503, b"busy")
    whois = whois_server({})
    bootstrap = rdap_server.bootstrap_file(tmp_path, ["com"])
    lookup = _lookup(rdap_server, whois, bootstrap).replace(
        'order = ["rdap", "whois"]', 'order = ["rdap"]'
    )
    root, sg = make_registry(tmp_path, lookup)
    result = sg("lookalikes", "example.com", "--fuzzer", "omission", "--check")
    assert result.code == 3
    assert "lookup failed for examle.com" in result.stderr and "Traceback" not in result.stderr
    assert (root / "observations/lookalikes/exampe.com.toml").is_file()
    assert git(root, "status", "--porcelain") == ""
    bad = sg("lookalikes", "--fuzzer", "typo")
    assert bad.code == 2 and "unknown lookalike kind" in bad.stderr
