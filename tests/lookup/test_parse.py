"""The parser against the corpus (scored), other registries' layouts, and unreadable answers."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from socialgov.lookup.dates import parse_whois_date
from socialgov.lookup.parse import parse_rdap, parse_saved, parse_whois
from socialgov.lookup.patterns import is_placeholder, name_servers_in
from socialgov.lookup.pywhois import usable_for
from tests.lookup.lookup_corpus import CORPUS, load_expected, matches, observe, score
from tests.lookup.lookup_formats import CASES

ENTRIES = load_expected()


def test_corpus_has_no_miss() -> None:
    """Exact: every checked field of every corpus file; a miss is listed by file."""
    result = score(ENTRIES)
    assert result.misses == [], f"{result.table()}\n" + "\n".join(result.misses)


@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if not e["registered"]], ids=lambda e: e["file"]
)
def test_every_not_registered_answer_is_recognised(entry: dict[str, Any]) -> None:
    obs, _ = observe(entry)
    assert obs.registered is False
    assert obs.error is None


@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if e["protocol"] == "rdap"], ids=lambda e: e["file"]
)
def test_every_rdap_file_is_exact(entry: dict[str, Any]) -> None:
    obs, _ = observe(entry)
    wrong = [name for name in entry["checked_fields"] if not matches(name, obs, entry)]
    assert not wrong, obs


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"])
def test_every_answer_parses_in_under_50_ms(entry: dict[str, Any]) -> None:
    """Issue 15's budget, in CPU time of this process: the machine running the tests is
    shared, and time spent waiting for a CPU is not the parser's."""
    observe(entry)  # warm imports (python-whois) outside the measurement
    started = time.process_time()
    observe(entry)
    assert time.process_time() - started < 0.05


def test_crlf_jprs_answer_is_fast_and_complete() -> None:
    """python-whois 0.9.6 needs ~30 s for this file; the reader must not hand it over."""
    raw = (CORPUS / "responses" / "likexian--jp_google.co.jp.txt").read_bytes()
    crlf = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    started = time.perf_counter()
    obs = parse_whois("google.co.jp", crlf)
    assert time.perf_counter() - started < 0.2
    assert obs.registrant_org == "Google Japan G.K."
    assert obs.created is not None and obs.created.isoformat() == "2001-03-22"
    assert not usable_for("google.co.jp", "x")


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["domain"]))
def test_layouts_of_other_registries(case: dict[str, Any]) -> None:
    obs = parse_whois(str(case["domain"]), str(case["text"]))
    assert obs.registered is case["registered"], obs.error
    for name in ("created", "expires", "updated"):
        if name in case:
            got = getattr(obs, name)
            assert (got.isoformat() if got else None) == case[name], name
    for name in ("registrar", "registrant_org", "registrant_redacted"):
        if name in case:
            assert getattr(obs, name) == case[name], name
    if "name_servers" in case:
        assert list(obs.name_servers) == case["name_servers"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("Query rate limit exceeded. Try again later.\n", "refused"),
        ("%% Too many requests from your IP\n", "refused"),
        ("WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\n", "refused"),
        ("Welcome.\nThis service is for registered users only.\n", "unreadable"),
        ("\x00\x01\x02binary\x00" * 10, "binary"),
    ],
)
def test_refusals_and_unreadable_answers_are_errors_never_unregistered(
    text: str, reason: str
) -> None:
    obs = parse_whois("example.com", text)
    assert obs.registered is None
    assert obs.error is not None and reason in obs.error


@pytest.mark.parametrize(
    "value",
    [
        "REDACTED FOR PRIVACY",
        "Data Protected",
        "WhoisGuard, Inc.",
        "Domains By Proxy, LLC",
        "Privacy service provided by Withheld for Privacy ehf",
        "Contact Privacy Inc. Customer 0123",
        "Withheld for privacy",
        "Redacted",
        "Not Disclosed",
        "GDPR Masked",
        "Statutory Masking Enabled",
        "Perfect Privacy, LLC",
        "Super Privacy Service LTD c/o Dynadot",
        "Domain Protection Services, Inc.",
        "Identity Protection Service",
    ],
)
def test_privacy_placeholders(value: str) -> None:
    assert is_placeholder(value)
    text = f"Domain Name: example.com\nRegistrar: R\nRegistrant Organization: {value}\n"
    obs = parse_whois("example.com", text)
    assert obs.registrant_org is None and obs.registrant_redacted


@pytest.mark.parametrize(
    "value", ["Example Corp", "Private Limited Holdings", "Environmental Protection Agency"]
)
def test_real_organisations_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000-07-26T22:00:00Z", "2000-07-26"),
        ("26.07.2000", "2000-07-26"),
        ("2000/07/26", "2000-07-26"),
        ("26-Jul-2000", "2000-07-26"),
        ("20000726", "2000-07-26"),
        ("before Aug-1996", "1996-08-01"),
        ("Wed Jul 26 09:42:42 2000", "2000-07-26"),
        ("2000. 07. 26.", "2000-07-26"),
        ("2000-Jul-26.", "2000-07-26"),
        ("07/26/2000", "2000-07-26"),
        ("2 years", None),
    ],
)
def test_whois_dates(value: str, expected: str | None) -> None:
    got = parse_whois_date(value)
    assert (got.isoformat() if got else None) == expected


def test_name_servers_lose_addresses_dots_and_duplicates() -> None:
    assert name_servers_in("NS1.X.COM. 1.2.3.4") == ["ns1.x.com"]
    assert name_servers_in("ns1.x.com (2001:db8::1) [OK]") == ["ns1.x.com"]
    text = "Domain Name: x.com\nName Server: NS1.X.COM\nName Server: ns1.x.com.\nName Server: ns2.x.com 1.2.3.4\n"
    assert parse_whois("x.com", text).name_servers == ("ns1.x.com", "ns2.x.com")


def test_rdap_roles_in_any_case_nested_entities_and_email() -> None:
    data = {
        "objectClassName": "domain",
        "ldhName": "EXAMPLE.COM",
        "events": [
            {"eventAction": "registration", "eventDate": "1995-08-14T23:30:00-05:00"},
            {"eventAction": "expiration", "eventDate": "2030-08-13T04:00:00Z"},
            {"eventAction": "last changed", "eventDate": "2024-01-01T00:00:00Z"},
        ],
        "nameservers": [{"ldhName": "A.IANA-SERVERS.NET."}, {"ldhName": "a.iana-servers.net"}],
        "status": ["client transfer prohibited"],
        "entities": [
            {
                "roles": ["Registrar"],
                "vcardArray": [
                    "vcard",
                    [["version", {}, "text", "4.0"], ["org", {}, "text", "Acme Registrar"]],
                ],
                "entities": [
                    {
                        "roles": ["REGISTRANT"],
                        "vcardArray": [
                            "vcard",
                            [
                                ["fn", {}, "text", "Example Corp"],
                                ["kind", {}, "text", "org"],
                                ["email", {}, "text", "Hostmaster@Example.com"],
                            ],
                        ],
                    }
                ],
            }
        ],
    }
    obs = parse_rdap("example.com", data, server="rdap.example")
    assert obs.registered is True
    assert obs.created is not None and obs.created.isoformat() == "1995-08-15"  # UTC date
    assert obs.expires is not None and obs.expires.isoformat() == "2030-08-13"
    assert obs.updated is not None and obs.updated.isoformat() == "2024-01-01"
    assert obs.registrar == "Acme Registrar"
    assert obs.registrant_org == "Example Corp"
    assert obs.registrant_email == "hostmaster@example.com"
    assert obs.name_servers == ("a.iana-servers.net",)


def test_rdap_error_answers() -> None:
    assert parse_rdap("x.com", {"errorCode": 404, "title": "Not Found"}).registered is False
    assert parse_rdap("x.com", b"<html>").registered is None
    obs = parse_rdap("x.com", {"errorCode": 500, "title": "boom"})
    assert obs.registered is None and obs.error is not None and "500" in obs.error


def test_saved_answers_are_sniffed() -> None:
    rdap = (CORPUS / "rdap" / "whodap--google.com.json").read_bytes()
    whois = (
        CORPUS / "responses" / "weppos--whois.verisign-grs.com_com--registered--google.com.txt"
    ).read_bytes()
    assert parse_saved("google.com", rdap).source == "rdap"
    saved = parse_saved("google.com", whois)
    assert saved.source == "whois" and saved.registrar == "MarkMonitor Inc."
    assert parse_saved("google.com", b"  \n" + json.dumps({"x": 1}).encode()).registered is None


HOSTILE_TEXTS = {
    "newlines": "\n" * 1_000_000,
    "one long line": "a" * 999_000,
    "long e-mail value": "Registrant Email: " + "a" * 500_000 + "\n",
    "many fields": "a: b\n" * 190_000,
    "many headers": "Registrar\n" * 90_000,
    "long name-server list": "Name servers:\n" + "   ns1.example.com\n" * 50_000,
    "python-whois sized": "Domain Name: x.com\nRegistrar: R\n"
    + ("Registrant Street: " + "b" * 60 + "\n") * 450,
}


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_no_answer_takes_more_than_200_ms(text: str) -> None:
    parse_whois("x.com", "Domain Name: x.com\nRegistrar: R\n")  # warm imports
    best = float("inf")
    for _ in range(3):  # the best of three: a first parse may import a fallback parser
        started = time.process_time()  # CPU time: the test machine is shared
        parse_whois("x.com", text)
        best = min(best, time.process_time() - started)
    assert best < 0.2
