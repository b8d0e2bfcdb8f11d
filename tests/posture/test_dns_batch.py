"""The DNS source's batch economies (`dns --all` performance, issue 17): UDP sockets reused
within a batch, and name servers' addresses looked up once per run. Both must leave every
observation exactly as one query per socket and one lookup per domain would make it."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from socialgov.lookup.dns import DnsSource, DnsTarget, Records, UdpSockets
from socialgov.lookup.posture_settings import DnsSettings
from socialgov.lookup.source import gather
from tests.posture.servers import DnsServers

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TARGETS = [
    DnsTarget("healthy.test", ("domain",)),
    DnsTarget("parked-closed.test", ("domain",)),
    DnsTarget("parked-open.test", ("domain",)),
    DnsTarget("nodmarc.test", ("domain",)),
    DnsTarget("lame.test", ("domain",)),
    DnsTarget("signed.test", ("domain",)),
    DnsTarget("broken.test", ("domain",)),
    DnsTarget("missing.test", ("domain",)),
    DnsTarget("blog.healthy.test", ("host",)),
    DnsTarget("old-blog.healthy.test", ("host",)),
]


def settings(knot: DnsServers, concurrency: int = 4) -> DnsSettings:
    return DnsSettings(
        nameservers=(knot.resolver,), timeout_s=5, concurrency=concurrency, ns_port=knot.port
    )


def test_sockets_are_reused_only_within_a_batch() -> None:
    sockets = UdpSockets()
    with sockets.socket_for("127.0.0.1") as outside:
        assert outside is None  # no batch: dnspython opens one per query, as before
    sockets.start()
    with sockets.socket_for("127.0.0.1") as first:
        pass
    with sockets.socket_for("127.0.0.1") as again:
        pass
    with sockets.socket_for("::1") as v6:
        pass
    assert first is not None and again is first
    assert v6 is not None and v6.family == socket.AF_INET6
    sockets.close()
    assert first.fileno() == -1 and v6.fileno() == -1
    with sockets.socket_for("127.0.0.1") as after:
        assert after is None


def test_a_failed_query_closes_its_socket() -> None:
    """A late answer to a query that timed out must never be read by the next query."""
    sockets = UdpSockets()
    sockets.start()
    with pytest.raises(TimeoutError), sockets.socket_for("127.0.0.1") as failed:
        raise TimeoutError
    assert failed is not None and failed.fileno() == -1
    with sockets.socket_for("127.0.0.1") as fresh:
        assert fresh is not None and fresh is not failed and fresh.fileno() != -1
    sockets.close()


def test_a_batch_observes_exactly_what_single_lookups_observe(knot: DnsServers) -> None:
    batch = gather(DnsSource(settings(knot), allow_private=True, now=NOW), TARGETS)
    single = [
        DnsSource(settings(knot), allow_private=True, now=NOW).observe(target) for target in TARGETS
    ]
    assert [o.to_toml() for o in batch] == [o.to_toml() for o in single]
    healthy = batch[0]
    assert healthy.name_servers and healthy.name_servers[0].answer == "authoritative"
    lame = {check.host: check.answer for check in batch[4].name_servers}
    assert lame == {"ns1.test": "authoritative", "ns.refuser.test": "refused"}


def test_name_server_addresses_are_looked_up_once_per_run(knot: DnsServers) -> None:
    source = DnsSource(settings(knot, concurrency=1), allow_private=True, now=NOW)
    asked: list[tuple[str, str]] = []
    resolver = source.resolver
    query = resolver.query

    def counting(name: str, rdtype: str) -> Records:
        asked.append((name, rdtype))
        return query(name, rdtype)

    resolver.query = counting  # type: ignore[method-assign]
    domains = [t for t in TARGETS if t.name in ("healthy.test", "parked-closed.test")]
    observations = gather(source, domains)
    assert [o.name_servers[0].host for o in observations] == ["ns1.test", "ns1.test"]
    assert asked.count(("ns1.test", "A")) == 1
    assert asked.count(("ns1.test", "AAAA")) == 1
    assert asked.count(("healthy.test", "SOA")) == 1  # the domain's own queries are not shared
    assert asked.count(("parked-closed.test", "SOA")) == 1


def test_a_failed_name_server_lookup_is_asked_again() -> None:
    """Only answers are kept: a timeout for one domain does not decide the next one's."""
    source = DnsSource(DnsSettings(nameservers=("127.0.0.1:9",), timeout_s=0.2))
    asked: list[str] = []

    def failing(name: str, rdtype: str) -> Records:
        asked.append(name)
        return Records(failure="timeout")

    source.resolver.query = failing  # type: ignore[method-assign]
    first = source.check_name_server("ns1.example.net", "a.example")
    second = source.check_name_server("ns1.example.net", "b.example")
    assert first.answer == second.answer == "skipped"
    assert asked == ["ns1.example.net"] * 4  # A and AAAA, twice


QUERIES = [
    ("healthy.test", "SOA"),
    ("healthy.test", "MX"),
    ("healthy.test", "TXT"),
    ("_dmarc.healthy.test", "TXT"),
    ("healthy.test", "CAA"),
    ("healthy.test", "AAAA"),  # no records
    ("missing.healthy.test", "A"),  # NXDOMAIN
    ("blog.healthy.test", "CNAME"),
    ("blog.healthy.test", "A"),  # a CNAME: left to resolve()
    ("signed.test", "DNSKEY"),  # signed: RRSIGs beside the records
    ("signed.test", "DS"),
    ("lame.test", "NS"),
    ("nowhere.invalid", "A"),  # a zone the server does not serve: REFUSED
]


def same(a: Records, b: Records) -> bool:
    return (a.values, a.failure, a.rrset) == (b.values, b.failure, b.rrset)


@pytest.mark.parametrize(("name", "rdtype"), QUERIES)
def test_the_direct_query_answers_as_resolve_does(knot: DnsServers, name: str, rdtype: str) -> None:
    source = DnsSource(settings(knot), allow_private=True)
    with source.session():
        resolver = source.resolver
        direct = resolver._direct(name, rdtype)
        resolved = resolver._resolve(name, rdtype)
        assert same(resolver.query(name, rdtype), resolved)
    if direct is not None:
        assert same(direct, resolved)
    if (name, rdtype) in (("blog.healthy.test", "A"), ("nowhere.invalid", "A")):
        assert direct is None  # a CNAME followed, a refusal: resolve() decides
    elif rdtype != "A":
        assert direct is not None


def test_a_silent_server_times_out_once() -> None:
    """A timeout ends resolve() too (its lifetime is the timeout): not asked twice."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        source = DnsSource(DnsSettings(nameservers=(f"127.0.0.1:{port}",), timeout_s=0.3))
        start = datetime.now(UTC)
        records = source.resolver.query("example.com", "A")
        elapsed = (datetime.now(UTC) - start).total_seconds()
    assert records.failure == "timeout"
    assert elapsed < 0.55


def test_query_ids_are_random_and_outlast_a_batch() -> None:
    from socialgov.lookup.dns import QueryIds

    ids = QueryIds(batch=64)  # 32 ids a draw
    drawn = [ids.next() for _ in range(1000)]
    assert all(0 <= i < 65536 for i in drawn)
    assert len(set(drawn)) > 950  # 16 random bits: a few repeats in a thousand, no more


def test_a_silent_server_sees_query_ids_that_change() -> None:
    """The direct query carries an id of its own each time, as dnspython's would."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]
        source = DnsSource(DnsSettings(nameservers=(f"127.0.0.1:{port}",), timeout_s=0.1))
        for _ in range(3):
            assert source.resolver.query("example.com", "A").failure == "timeout"
        silent.settimeout(1)
        ids = {silent.recv(512)[:2] for _ in range(3)}
    assert len(ids) == 3
