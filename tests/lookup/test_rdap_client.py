"""The RDAP client against a real loopback HTTP server."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialgov.lookup.failures import QueryFailed
from socialgov.lookup.guard import allow_hosts
from socialgov.lookup.rdap import (
    Bootstrap,
    load_bootstrap,
    new_client,
    rdap_base_for,
    rdap_lookup,
    retry_after_seconds,
)
from tests.lookup.loopback import CORPUS, HttpReply, RdapServerThread

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_registry_answer_then_registrar_link_adds_the_registrant(
    rdap_server: RdapServerThread,
) -> None:
    allow_hosts(["127.0.0.1"])  # as the pool does for servers the settings name
    rdap_server.serve_corpus("google.com", "whoisit--google.com--domain1.json")
    registrar = json.loads((CORPUS / "rdap" / "whodap--google.com.json").read_text("utf-8"))
    rdap_server.routes["/related/domain/google.com"] = HttpReply(200, registrar)
    obs = rdap_lookup("google.com", rdap_server.base, timeout=2)
    assert obs.registered is True
    assert obs.registrar == "MarkMonitor Inc."
    assert obs.expires is not None and obs.expires.isoformat() == "2028-09-14"  # registry's
    assert obs.registrant_org == "Google LLC"  # only the registrar's answer has it
    assert obs.server == f"127.0.0.1:{rdap_server.port}"
    assert rdap_server.requests == ["/rdap/domain/google.com", "/related/domain/google.com"]


def test_unreachable_registrar_link_keeps_the_registry_answer(
    rdap_server: RdapServerThread, closed_port: int
) -> None:
    allow_hosts(["127.0.0.1"])  # as the pool does for servers the settings name
    rdap_server.serve_corpus(
        "google.com",
        "whoisit--google.com--domain1.json",
        related=f"http://127.0.0.1:{closed_port}/domain/google.com",
    )
    obs = rdap_lookup("google.com", rdap_server.base, timeout=1)
    assert obs.registered is True
    assert obs.registrar == "MarkMonitor Inc."
    assert "cannot reach" in obs.extra["related_error"]


def test_404_is_not_registered(rdap_server: RdapServerThread) -> None:
    obs = rdap_lookup("nothing-here.com", rdap_server.base, timeout=1)
    assert obs.registered is False
    assert obs.error is None


def test_429_is_a_retryable_failure_with_retry_after(rdap_server: RdapServerThread) -> None:
    rdap_server.routes["/rdap/domain/busy.com"] = HttpReply(429, b"slow down", {"Retry-After": "1"})
    with pytest.raises(QueryFailed, match="rate limiting") as info:
        rdap_lookup("busy.com", rdap_server.base, timeout=1)
    assert info.value.retryable and info.value.retry_after == 1.0


def test_500_and_non_json_are_failures(rdap_server: RdapServerThread) -> None:
    rdap_server.routes["/rdap/domain/broken.com"] = HttpReply(500, b"oops")
    rdap_server.routes["/rdap/domain/html.com"] = HttpReply(200, b"<html>hello</html>")
    with pytest.raises(QueryFailed, match="HTTP 500"):
        rdap_lookup("broken.com", rdap_server.base, timeout=1)
    with pytest.raises(QueryFailed, match="not JSON"):
        rdap_lookup("html.com", rdap_server.base, timeout=1)


def test_silent_server_times_out(rdap_server: RdapServerThread) -> None:
    rdap_server.routes["/rdap/domain/slow.com"] = HttpReply(silent=True)
    started = time.monotonic()
    with pytest.raises(QueryFailed, match="within"):
        rdap_lookup("slow.com", rdap_server.base, timeout=0.3)
    assert time.monotonic() - started < 1.5


def test_base_without_trailing_slash(rdap_server: RdapServerThread) -> None:
    rdap_server.serve_corpus("afnic.fr", "icann-rdap--afnic.fr.json")
    obs = rdap_lookup("afnic.fr", rdap_server.base.rstrip("/"), timeout=1)
    assert obs.registered is True and obs.registrar == "Registry Operations"


def test_bootstrap_from_a_file_and_overrides() -> None:
    boot = load_bootstrap(
        str(CORPUS / "rdap" / "iana-bootstrap-dns-2022-07-06.json"),
        cache_dir=None,
        cache_hours=24,
        timeout=1,
    )
    assert boot.base_for("example.com") == "https://rdap.verisign.com/com/v1/"
    assert boot.base_for("example.zz-unknown") is None
    assert (
        rdap_base_for("a.co.uk", {"uk": "http://127.0.0.1:1/uk"}, boot) == "http://127.0.0.1:1/uk"
    )


def test_bootstrap_from_a_url_is_cached_on_disk(
    rdap_server: RdapServerThread, tmp_path: Path
) -> None:
    data = {"services": [[["test"], [rdap_server.base]]], "publication": "2026-01-01T00:00:00Z"}
    rdap_server.routes["/dns.json"] = HttpReply(200, data)
    url = rdap_server.url("/dns.json")
    with new_client(1) as client:
        first = load_bootstrap(
            url, cache_dir=tmp_path, cache_hours=24, timeout=1, now=NOW, client=client
        )
        again = load_bootstrap(
            url,
            cache_dir=tmp_path,
            cache_hours=24,
            timeout=1,
            now=NOW + timedelta(hours=1),
            client=client,
        )
        assert rdap_server.requests == ["/dns.json"]
        later = load_bootstrap(
            url,
            cache_dir=tmp_path,
            cache_hours=24,
            timeout=1,
            now=NOW + timedelta(hours=25),
            client=client,
        )
    assert first == again == later == Bootstrap({"test": rdap_server.base}, "2026-01-01T00:00:00Z")
    assert rdap_server.requests == ["/dns.json", "/dns.json"]


def test_unreadable_bootstrap_file_is_a_failure(tmp_path: Path) -> None:
    bad = tmp_path / "dns.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(QueryFailed, match="bootstrap"):
        load_bootstrap(str(bad), cache_dir=None, cache_hours=24, timeout=1)


def test_retry_after_forms() -> None:
    assert retry_after_seconds("7") == 7.0
    later = "Mon, 23 Nov 2026 08:00:30 GMT"
    assert retry_after_seconds(later, now=NOW) == 30.0
    assert retry_after_seconds("soon") is None
