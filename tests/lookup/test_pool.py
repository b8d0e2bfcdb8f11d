"""lookup_many against real loopback servers: limits, order, retries, fallback, cache."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialgov.lookup.pool import lookup_many, lookup_one
from socialgov.lookup.settings import LookupSettings
from tests.lookup.loopback import (
    HUGE,
    RESET,
    SILENT,
    HttpReply,
    RdapServerThread,
    Reply,
    WhoisServerThread,
)

MakeWhois = Callable[..., WhoisServerThread]
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def registered(query: str) -> bytes:
    return (
        f"Domain Name: {query.upper()}\nRegistrar: Example Registrar, Inc.\n"
        f"Creation Date: 2001-02-03T04:05:06Z\nName Server: NS1.{query.upper()}\n"
    ).encode()


def whois_settings(tmp_path: Path, servers: dict[str, str], **kwargs: object) -> LookupSettings:
    # A bootstrap that knows no TLD: RDAP has no server, WHOIS answers.
    empty = tmp_path / "empty-bootstrap.json"
    empty.write_text('{"services": []}', "utf-8")
    base: dict[str, object] = {
        "order": ("rdap", "whois"),
        "timeout_s": 0.5,
        "concurrency": 8,
        "per_server": 2,
        "rdap_bootstrap": str(empty),
        "whois_servers": servers,
        "iana_whois": "127.0.0.1:9",
    }
    base.update(kwargs)
    return LookupSettings(**base)  # type: ignore[arg-type]


def test_order_is_kept_and_no_server_sees_more_than_per_server(
    whois_server: MakeWhois, tmp_path: Path
) -> None:
    a = whois_server(registered, delay=0.08)
    b = whois_server(registered, delay=0.08)
    domains = [f"d{i}.{'aa' if i % 3 else 'bb'}" for i in range(24)]
    settings = whois_settings(tmp_path, {"aa": a.label, "bb": b.label}, per_server=2)
    results = lookup_many(domains, settings, cache_dir=None, now=NOW)
    assert [o.domain for o in results] == domains
    assert all(o.registered is True and o.source == "whois" for o in results)
    assert results[0].server in (a.label, b.label)
    assert a.counter.peak == 2 and b.counter.peak == 2  # parallel, and never more
    assert a.counter.total + b.counter.total == 24
    assert all(o.fetched_at == NOW for o in results)


def test_concurrency_bounds_all_servers_together(whois_server: MakeWhois, tmp_path: Path) -> None:
    a = whois_server(registered, delay=0.08)
    domains = [f"d{i}.aa" for i in range(12)]
    settings = whois_settings(tmp_path, {"aa": a.label}, per_server=10, concurrency=3)
    lookup_many(domains, settings, cache_dir=None, now=NOW)
    assert a.counter.peak == 3


def test_second_run_within_cache_hours_sends_no_query(
    whois_server: MakeWhois, tmp_path: Path
) -> None:
    server = whois_server(
        lambda q: registered(q) if q.startswith("yes") else b"No match for domain.\n"
    )
    settings = whois_settings(tmp_path, {"aa": server.label}, cache_hours=24)
    domains = ["yes1.aa", "yes2.aa", "no1.aa"]
    cache = tmp_path / "cache"
    first = lookup_many(domains, settings, cache_dir=cache, now=NOW)
    assert [o.registered for o in first] == [True, True, False]
    assert server.counter.total == 3
    second = lookup_many(domains, settings, cache_dir=cache, now=NOW + timedelta(hours=23))
    assert server.counter.total == 3  # nothing sent
    assert [o.to_json() for o in second] == [o.to_json() for o in first]
    assert (cache / "observations" / "yes1.aa.json").exists()
    lookup_many(domains, settings, cache_dir=cache, now=NOW + timedelta(hours=25))
    assert server.counter.total == 6  # stale: asked again


def test_failed_lookups_are_not_cached(whois_server: MakeWhois, tmp_path: Path) -> None:
    server = whois_server(lambda q: b"\x00\x01garbage\xff\xfe" * 20)
    settings = whois_settings(tmp_path, {"aa": server.label})
    cache = tmp_path / "cache"
    assert lookup_one("x.aa", settings, cache_dir=cache, now=NOW).registered is None
    assert lookup_one("x.aa", settings, cache_dir=cache, now=NOW).registered is None
    assert server.counter.total == 2


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (SILENT, "no complete answer"),
        (RESET, "reset the connection"),
        (HUGE, "exceeds 1000000 bytes"),
        (b"\x00\x9f\x92\x96garbage\x00\x01\x02" * 50, "binary"),
        ("Domain Name: x.aa\nRegistrar: Acme\n".encode("utf-16"), "binary"),
        (b"Query rate limit exceeded\n", "rate limit exceeded"),
        (b"Welcome to our server.\nHave a nice day.\n", "unreadable"),
        (b"", "empty"),
    ],
    ids=["silent", "reset", "10MB", "garbage", "utf-16", "rate-limit", "chatter", "empty"],
)
def test_hostile_whois_server_gives_a_failed_observation(
    whois_server: MakeWhois, tmp_path: Path, reply: Reply, reason: str
) -> None:
    server = whois_server(lambda q: reply)
    settings = whois_settings(tmp_path, {"aa": server.label}, timeout_s=0.5)
    started = time.monotonic()
    obs = lookup_one("victim.aa", settings, cache_dir=tmp_path / "cache", now=NOW)
    elapsed = time.monotonic() - started
    assert obs.registered is None
    assert obs.error is not None and reason in obs.error
    assert obs.source == "whois"
    assert elapsed < 3 * 0.5 + 0.25 + 0.5 + 1.0  # three attempts, two backoffs, slack
    assert not (tmp_path / "cache" / "observations" / "victim.aa.json").exists()


def rdap_settings(rdap: RdapServerThread, tmp_path: Path, **kwargs: object) -> LookupSettings:
    base: dict[str, object] = {
        "order": ("rdap", "whois"),
        "timeout_s": 2.0,
        "rdap_bootstrap": str(rdap.bootstrap_file(tmp_path, ["com", "fr", "aa"])),
        "iana_whois": "127.0.0.1:9",
    }
    base.update(kwargs)
    return LookupSettings(**base)  # type: ignore[arg-type]


def test_rdap_first_and_429_retry_honours_retry_after(
    rdap_server: RdapServerThread, tmp_path: Path
) -> None:
    data = rdap_server.serve_corpus("afnic.fr", "icann-rdap--afnic.fr.json")
    rdap_server.routes["/rdap/domain/afnic.fr"] = [
        HttpReply(429, b"slow down", {"Retry-After": "1"}),
        HttpReply(200, data),
    ]
    obs = lookup_one("afnic.fr", rdap_settings(rdap_server, tmp_path), cache_dir=None, now=NOW)
    assert obs.registered is True and obs.source == "rdap"
    assert obs.registrar == "Registry Operations"
    assert len(rdap_server.request_times) == 2
    assert rdap_server.request_times[1] - rdap_server.request_times[0] >= 0.95


def test_persistent_429_is_a_rate_limit_error_not_unregistered(
    rdap_server: RdapServerThread, tmp_path: Path
) -> None:
    rdap_server.routes["/rdap/domain/busy.com"] = HttpReply(429, b"", {"Retry-After": "0"})
    settings = rdap_settings(rdap_server, tmp_path, order=("rdap",), timeout_s=0.5)
    obs = lookup_one("busy.com", settings, cache_dir=None, now=NOW)
    assert obs.registered is None
    assert obs.error is not None and "rate limiting" in obs.error
    assert len(rdap_server.requests) == 3  # one try, two retries


def test_rdap_500_falls_back_to_whois(
    rdap_server: RdapServerThread, whois_server: MakeWhois, tmp_path: Path
) -> None:
    rdap_server.routes["/rdap/domain/acme.com"] = HttpReply(500, b"oops")
    whois = whois_server(registered)
    settings = rdap_settings(rdap_server, tmp_path, whois_servers={"com": whois.label})
    obs = lookup_one("acme.com", settings, cache_dir=None, now=NOW)
    assert obs.registered is True and obs.source == "whois" and obs.server == whois.label
    only_rdap = rdap_settings(rdap_server, tmp_path, order=("rdap",))
    failed = lookup_one("acme.com", only_rdap, cache_dir=None, now=NOW)
    assert failed.registered is None
    assert failed.error is not None and "HTTP 500" in failed.error


def test_rdap_404_is_definitive(rdap_server: RdapServerThread, tmp_path: Path) -> None:
    obs = lookup_one("free-name.com", rdap_settings(rdap_server, tmp_path), cache_dir=None, now=NOW)
    assert obs.registered is False and obs.source == "rdap" and obs.error is None


def test_bad_names_fail_alone(whois_server: MakeWhois, tmp_path: Path) -> None:
    server = whois_server(registered)
    settings = whois_settings(tmp_path, {"aa": server.label})
    results = lookup_many(
        ["ok.aa", "no_dots", "bad..aa", "ok.aa"], settings, cache_dir=None, now=NOW
    )
    assert [o.registered for o in results] == [True, None, None, True]
    assert results[1].error is not None and "not a domain name" in results[1].error
    assert server.counter.total == 1  # the duplicate is asked once


def test_progress_is_reported_to_the_callers_callback_only(
    whois_server: MakeWhois, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = whois_server(registered)
    settings = whois_settings(tmp_path, {"aa": server.label})
    seen: list[tuple[int, int]] = []
    lookup_many(
        ["a.aa", "b.aa"], settings, cache_dir=None, now=NOW, progress=lambda *p: seen.append(p)
    )
    assert seen == [(1, 2), (2, 2)]
    assert capsys.readouterr() == ("", "")  # the lookup package prints nothing itself


def test_rdap_override_needs_no_bootstrap_and_bootstrap_failure_falls_back(
    rdap_server: RdapServerThread, whois_server: MakeWhois, tmp_path: Path, closed_port: int
) -> None:
    rdap_server.serve_corpus("afnic.fr", "icann-rdap--afnic.fr.json")
    whois = whois_server(registered)
    settings = LookupSettings(
        order=("rdap", "whois"),
        timeout_s=0.5,
        rdap_bootstrap=f"http://127.0.0.1:{closed_port}/dns.json",
        rdap_servers={"fr": rdap_server.base},
        whois_servers={"aa": whois.label},
        iana_whois="127.0.0.1:9",
    )
    fr, aa = lookup_many(["afnic.fr", "x.aa"], settings, cache_dir=tmp_path, now=NOW)
    assert fr.registered is True and fr.source == "rdap"
    assert aa.registered is True and aa.source == "whois"
    settings_rdap_only = LookupSettings(
        order=("rdap",), timeout_s=0.5, rdap_bootstrap=settings.rdap_bootstrap
    )
    failed = lookup_one("x.aa", settings_rdap_only, cache_dir=None, now=NOW)
    assert failed.registered is None
    assert failed.error is not None and "cannot load the RDAP bootstrap" in failed.error
