"""DNS lookups with dnspython: the records of SPEC §8 for a domain or a blog's host.

The one module that speaks DNS. Every query failure (NXDOMAIN, SERVFAIL, REFUSED, a
timeout) is recorded in the observation as such; nothing here raises for a lookup.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from socialgov.errors import UsageError
from socialgov.lookup.addresses import refusal
from socialgov.lookup.dns_observation import (
    ADDRESS,
    AUTHORITATIVE,
    LOOP,
    NO_ADDRESS,
    NOT_AUTHORITATIVE,
    NXDOMAIN,
    REFUSED,
    SERVFAIL,
    SKIPPED,
    TIMEOUT,
    TOO_LONG,
    DnsObservation,
    Dnssec,
    NameServerCheck,
)
from socialgov.lookup.posture_settings import DnsSettings

if TYPE_CHECKING:
    import socket

    import dns.resolver

MAX_CHAIN = 16  # CNAME hops followed before the chain counts as too long


class QueryIds:
    """Random 16-bit query ids from the system's cryptographic source, drawn a few
    kilobytes at a time: dnspython draws each id with a system call of its own, which was
    a tenth of the CPU of `dns --all`. An id stays unpredictable (it is a defence against
    forged answers); only the system calls are fewer."""

    def __init__(self, batch: int = 4096) -> None:
        self._batch = batch
        self._lock = threading.Lock()
        self._ids: Iterator[int] = iter(())

    def next(self) -> int:
        with self._lock:
            value = next(self._ids, None)
            if value is None:
                raw = os.urandom(self._batch)
                self._ids = iter(memoryview(raw).cast("H"))
                value = next(self._ids)
            return value


_QUERY_IDS = QueryIds()


@dataclass(frozen=True, slots=True)
class DnsTarget:
    """A name to observe: a domain asset ("domain") and/or a blog's host ("host")."""

    name: str
    roles: tuple[str, ...]


class QueryFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Records:
    """One query's answer: the records' text, or how the query failed (NXDOMAIN, …)."""

    values: tuple[str, ...] = ()
    failure: str | None = None
    rrset: Any = None
    response: Any = None


class UdpSockets:
    """One UDP socket per thread and address family, reused from query to query.

    dnspython opens and closes a socket for every query it sends, about a quarter of the
    CPU of a query to a loopback server (measured for `dns --all`). A socket whose query failed
    (a timeout, a bad answer) is closed and replaced, so a late answer can never be read as
    the answer to the next question. Sockets are reused only between `start()` and
    `close()` (a batch: DnsSource.session); outside, each query has its own as before."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self.active = False

    def start(self) -> None:
        self.active = True

    def get(self, af: int) -> socket.socket:
        import dns.query

        held: dict[int, socket.socket] = self._local.__dict__.setdefault("sockets", {})
        sock = held.get(af)
        if sock is None:
            import socket

            sock = held[af] = dns.query.make_socket(af, socket.SOCK_DGRAM)  # non-blocking
            with self._lock:
                self._open.append(sock)
        return sock

    def drop(self, af: int) -> None:
        held: dict[int, socket.socket] = self._local.__dict__.get("sockets", {})
        sock = held.pop(af, None)
        if sock is not None:
            sock.close()

    def close(self) -> None:
        with self._lock:
            self.active = False
            for sock in self._open:
                sock.close()
            self._open.clear()
        self._local = threading.local()

    @contextlib.contextmanager
    def socket_for(self, address: str) -> Iterator[socket.socket | None]:
        """This thread's socket for `address`'s family; None outside a batch."""
        import dns.inet

        if not self.active:
            yield None
            return
        af = dns.inet.af_for_address(address)
        try:
            yield self.get(af)
        except BaseException:
            self.drop(af)
            raise


@functools.cache
def _nameserver_class() -> Any:
    """dnspython's plain-DNS name server, sending its UDP queries through UdpSockets."""
    import dns.nameserver
    import dns.query

    class ReusingNameserver(dns.nameserver.Do53Nameserver):
        def __init__(self, address: str, port: int, sockets: UdpSockets) -> None:
            super().__init__(address, port)
            self.sockets = sockets

        def query(  # type: ignore[no-untyped-def]
            self,
            request,
            timeout,
            source,
            source_port,
            max_size,
            one_rr_per_rrset=False,
            ignore_trailing=False,
        ):
            with self.sockets.socket_for(self.address) as sock:
                if sock is not None and not (max_size or source is not None or source_port):
                    return dns.query.udp(  # the arguments of Do53Nameserver.query, plus sock
                        request,
                        self.address,
                        timeout=timeout,
                        port=self.port,
                        raise_on_truncation=True,
                        one_rr_per_rrset=one_rr_per_rrset,
                        ignore_trailing=ignore_trailing,
                        ignore_errors=True,
                        ignore_unexpected=True,
                        sock=sock,
                    )
            return super().query(
                request,
                timeout,
                source,
                source_port,
                max_size,
                one_rr_per_rrset,
                ignore_trailing,
            )

    return ReusingNameserver


class Resolver:
    """The configured resolvers ([dns] nameservers, else the system's), shared by threads."""

    def __init__(self, settings: DnsSettings) -> None:
        import dns.inet
        import dns.nameserver
        import dns.resolver

        from socialgov.posture.settings import split_host_port

        self.settings = settings
        self.sockets = UdpSockets()
        nameserver = _nameserver_class()
        if settings.nameservers:
            resolver = dns.resolver.Resolver(configure=False)
            servers: list[str | dns.nameserver.Nameserver] = []
            for text in settings.nameservers:
                host, port = split_host_port(text, 53)
                servers.append(nameserver(host, port, self.sockets))
            resolver.nameservers = servers
            self.label = ", ".join(settings.nameservers)
        else:
            try:
                resolver = dns.resolver.Resolver()
            except dns.resolver.NoResolverConfiguration:
                raise UsageError(
                    "this system has no DNS resolver configured",
                    hint='set [dns] nameservers = ["host:port"] in socialgov.toml',
                ) from None
            resolver.nameservers = [
                nameserver(server, resolver.port, self.sockets)
                if isinstance(server, str) and dns.inet.is_address(server)
                else server
                for server in resolver.nameservers
            ]
            self.label = "system"
        resolver.timeout = settings.timeout_s
        resolver.lifetime = settings.timeout_s
        resolver.use_edns(0, dns.flags.DO, 1232)
        self.resolver = resolver

    def query(self, name: str, rdtype: str) -> Records:
        direct = self._direct(name, rdtype)
        return direct if direct is not None else self._resolve(name, rdtype)

    def _direct(self, name: str, rdtype: str) -> Records | None:
        """The common answers without dnspython's resolution machinery (a Resolution and an
        Answer per query, about a fifth of the CPU of a query): one query to the first name
        server, as `resolve` sends it first, through the batch's socket. Only a plain answer
        (records of the name and type asked, possibly signed, or none), NXDOMAIN with no
        records, or a timeout (which ends `resolve` too: its lifetime is the timeout) is
        taken from here; anything else — another rcode, a CNAME, truncation, an error —
        returns None and the query is resolved by `resolve`, as before."""
        import dns.exception
        import dns.flags
        import dns.message
        import dns.name
        import dns.rcode
        import dns.rdataclass
        import dns.rdatatype

        resolver = self.resolver
        servers = resolver.nameservers
        if not servers or not isinstance(servers[0], _nameserver_class()):
            return None
        if resolver.keyname is not None or resolver.rotate:
            return None
        try:
            qname = dns.name.from_text(name)
            qtype = dns.rdatatype.from_text(rdtype)
            request = dns.message.make_query(qname, qtype, dns.rdataclass.IN, id=_QUERY_IDS.next())
            request.use_edns(
                resolver.edns, resolver.ednsflags, resolver.payload, options=resolver.ednsoptions
            )
            if resolver.flags is not None:
                request.flags = resolver.flags
            response = servers[0].query(request, resolver.timeout, None, 0, False)
        except dns.exception.Timeout:
            return Records(failure=TIMEOUT)
        except Exception:  # an error or truncation: resolve() handles it as it always has
            return None
        records = [r for r in response.answer if r.rdtype != dns.rdatatype.RRSIG]
        rcode = response.rcode()
        if rcode == dns.rcode.NXDOMAIN and not response.answer:
            return Records(failure=NXDOMAIN)
        if rcode != dns.rcode.NOERROR or response.flags & dns.flags.TC:
            return None
        if not records:
            return Records(response=response)
        (rrset,) = records if len(records) == 1 else (None,)
        if rrset is None or rrset.name != qname or rrset.rdtype != qtype:
            return None
        if rrset.rdclass != dns.rdataclass.IN:
            return None
        return Records(
            values=tuple(sorted(_text(r) for r in rrset)), rrset=rrset, response=response
        )

    def _resolve(self, name: str, rdtype: str) -> Records:
        import dns.exception
        import dns.resolver

        try:
            answer = self.resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            return Records(failure=NXDOMAIN)
        except dns.resolver.NoNameservers as exc:
            return Records(failure=_no_nameservers_reason(exc))
        except dns.exception.Timeout:
            return Records(failure=TIMEOUT)
        except dns.exception.DNSException as exc:
            return Records(failure=f"error: {exc}")
        rrset = answer.rrset
        if rrset is None:
            return Records(response=answer.response)
        if rrset.name != answer.qname:  # the resolver followed a CNAME for us
            return Records(response=answer.response)
        return Records(
            values=tuple(sorted(_text(r) for r in rrset)),
            rrset=rrset,
            response=answer.response,
        )


def _no_nameservers_reason(exc: Exception) -> str:
    text = str(exc)
    if "REFUSED" in text:
        return REFUSED
    return SERVFAIL


def _text(rdata: Any) -> str:
    import dns.rdatatype

    if rdata.rdtype in (dns.rdatatype.TXT, dns.rdatatype.SPF):
        return b"".join(rdata.strings).decode("utf-8", "replace")
    if rdata.rdtype in (
        dns.rdatatype.NS,
        dns.rdatatype.CNAME,
    ):
        return _host(rdata.target.to_text())
    if rdata.rdtype == dns.rdatatype.MX:
        exchange = rdata.exchange.to_text()
        return f"{rdata.preference} {'.' if exchange == '.' else _host(exchange)}"
    return str(rdata.to_text())


def _host(text: str) -> str:
    return text.lower().rstrip(".")


class DnsSource:
    """The DNS observation source (see socialgov.lookup.source)."""

    name = "dns"

    def __init__(
        self, settings: DnsSettings, *, allow_private: bool = False, now: datetime | None = None
    ) -> None:
        self.settings = settings
        self.allow_private = allow_private
        self.now = now
        self.concurrency = settings.concurrency
        self.per_server = settings.concurrency  # one set of resolvers serves every name
        self._resolver: Resolver | None = None
        self._lock = threading.Lock()
        # Name servers' addresses, looked up once per run: most domains share their
        # provider's name servers. Only answers are kept; a failed lookup is asked again.
        self._ns_addresses: dict[str, tuple[Records, Records]] = {}

    @property
    def resolver(self) -> Resolver:
        with self._lock:
            if self._resolver is None:
                self._resolver = Resolver(self.settings)
            return self._resolver

    def server_for(self, target: DnsTarget) -> str:
        return self.resolver.label

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        sockets = self.resolver.sockets
        sockets.start()
        try:
            yield
        finally:
            sockets.close()

    def observe(self, target: DnsTarget) -> DnsObservation:
        name = target.name.lower().rstrip(".")
        resolver = self.resolver
        observation = DnsObservation(
            name=name,
            roles=target.roles,
            fetched_at=self.now or datetime.now(UTC).replace(microsecond=0),
            server=resolver.label,
        )
        failed: dict[str, str] = {}

        def read(qname: str, rdtype: str, key: str) -> Records:
            records = resolver.query(qname, rdtype)
            if records.failure is not None and records.failure != NXDOMAIN:
                failed[key] = records.failure
            return records

        if "host" in target.roles:
            chain, end = self.cname_chain(name)
            if chain:
                observation = replace(observation, cname=chain, cname_end=end)
            elif end not in (ADDRESS, NO_ADDRESS):
                observation = replace(observation, status=end)
        if "domain" in target.roles:
            soa = read(name, "SOA", "soa")
            if soa.failure == NXDOMAIN:
                return replace(observation, status=NXDOMAIN, failed=failed)
            observation = replace(
                observation,
                soa=soa.values[0] if soa.values else None,
                ns=read(name, "NS", "ns").values,
                mx=read(name, "MX", "mx").values,
                spf=tuple(
                    t for t in read(name, "TXT", "txt").values if t.lower().startswith("v=spf1")
                ),
                dmarc=tuple(
                    t
                    for t in read(f"_dmarc.{name}", "TXT", "dmarc").values
                    if t.lower().startswith("v=dmarc1")
                ),
                caa=read(name, "CAA", "caa").values,
            )
            observation = replace(
                observation,
                dnssec=self.dnssec(name, failed),
                name_servers=tuple(self.check_name_server(ns, name) for ns in observation.ns),
            )
        final = observation.cname_target or name
        if observation.cname_end in (None, ADDRESS) and observation.status == ADDRESS:
            observation = replace(
                observation,
                a=read(final, "A", "a").values,
                aaaa=read(final, "AAAA", "aaaa").values,
            )
        return replace(observation, failed=failed)

    # ---------------------------------------------------------------- CNAME chains

    def cname_chain(self, name: str) -> tuple[tuple[str, ...], str]:
        return cname_chain(self.resolver, name)

    # ---------------------------------------------------------------- DNSSEC

    def dnssec(self, name: str, failed: dict[str, str]) -> Dnssec:
        """DS at the parent, DNSKEY at the apex, and whether the keys and the SOA validate
        from the DS down (the parent's own signatures are not checked)."""
        import dns.dnssec
        import dns.name
        import dns.rdataclass
        import dns.rdatatype

        ds = self.resolver.query(name, "DS")
        keys = self.resolver.query(name, "DNSKEY")
        if ds.failure not in (None, NXDOMAIN):
            failed["ds"] = ds.failure
        if keys.failure not in (None, NXDOMAIN):
            failed["dnskey"] = keys.failure
        has_ds = None if ds.failure not in (None, NXDOMAIN) else bool(ds.values)
        has_keys = None if keys.failure not in (None, NXDOMAIN) else bool(keys.values)
        if not (has_ds and has_keys):
            return Dnssec(ds=has_ds, dnskey=has_keys, validates=None)
        qname = dns.name.from_text(name)
        try:
            matched = any(
                dns.dnssec.make_ds(qname, key, record.digest_type) == record
                for key in keys.rrset
                for record in ds.rrset
            )
        except (dns.dnssec.UnsupportedAlgorithm, ValueError) as exc:
            return Dnssec(True, True, False, f"cannot check the DS: {exc}")
        if not matched:
            return Dnssec(True, True, False, "no DNSKEY matches the DS at the parent")
        key_map = {qname: keys.rrset}
        try:
            key_sigs = _signatures(keys.response, qname, dns.rdatatype.DNSKEY)
            dns.dnssec.validate(keys.rrset, key_sigs, key_map)
            soa = self.resolver.query(name, "SOA")
            if soa.rrset is None:
                return Dnssec(True, True, None, "no SOA to validate")
            dns.dnssec.validate(
                soa.rrset, _signatures(soa.response, qname, dns.rdatatype.SOA), key_map
            )
        except _NoSignature as exc:
            return Dnssec(True, True, False, str(exc))
        except dns.dnssec.ValidationFailure as exc:
            return Dnssec(True, True, False, f"signatures do not validate: {exc}")
        return Dnssec(True, True, True)

    # ---------------------------------------------------------------- delegation

    def check_name_server(self, host: str, zone: str) -> NameServerCheck:
        """Ask one listed name server directly for the zone's SOA: does it answer
        authoritatively?"""
        import dns.exception
        import dns.flags
        import dns.message
        import dns.query
        import dns.rcode

        lookups = self._ns_addresses.get(host)
        if lookups is None:
            lookups = (self.resolver.query(host, "A"), self.resolver.query(host, "AAAA"))
            if all(r.failure in (None, NXDOMAIN) for r in lookups):
                self._ns_addresses[host] = lookups
        addresses = [a for records in lookups for a in records.values]
        if not addresses:
            failures = [r.failure for r in lookups if r.failure not in (None, NXDOMAIN)]
            if failures:  # the resolver failed us, not the name server: nothing to judge
                return NameServerCheck(host, SKIPPED, (), f"its address: {failures[0]}")
            return NameServerCheck(host, NO_ADDRESS)
        first_failure: tuple[str, str] | None = None
        for address in addresses:
            reason = refusal(address)
            if reason is not None and not self.allow_private:
                first_failure = first_failure or (SKIPPED, f"not asked: {reason}")
                continue
            query = dns.message.make_query(zone, "SOA")
            query.flags &= ~dns.flags.RD
            try:
                with self.resolver.sockets.socket_for(address) as sock:
                    response = dns.query.udp(
                        query,
                        address,
                        timeout=self.settings.timeout_s,
                        port=self.settings.ns_port,
                        sock=sock,
                    )
            except dns.exception.Timeout:
                first_failure = first_failure or (TIMEOUT, address)
                continue
            except (OSError, dns.exception.DNSException) as exc:
                first_failure = first_failure or (SERVFAIL, f"{address}: {exc}")
                continue
            rcode = response.rcode()
            if rcode == dns.rcode.NOERROR and response.flags & dns.flags.AA:
                return NameServerCheck(host, AUTHORITATIVE, tuple(addresses))
            answer = {
                dns.rcode.REFUSED: REFUSED,
                dns.rcode.SERVFAIL: SERVFAIL,
                dns.rcode.NOERROR: NOT_AUTHORITATIVE,
            }.get(rcode, dns.rcode.to_text(rcode).lower())
            first_failure = first_failure or (answer, address)
        assert first_failure is not None
        return NameServerCheck(host, first_failure[0], tuple(addresses), first_failure[1])


def cname_chain(resolver: Resolver, name: str) -> tuple[tuple[str, ...], str]:
    """The CNAME targets from `name`, in order, and how the chain ends: ADDRESS (the last
    name has an address), NO_ADDRESS, NXDOMAIN, SERVFAIL, REFUSED, TIMEOUT, LOOP, TOO_LONG."""
    chain: list[str] = []
    current = name
    seen = {name}
    while True:
        records = resolver.query(current, "CNAME")
        if records.failure is not None:
            return tuple(chain), records.failure
        if not records.values:
            break
        target = records.values[0]
        if target in seen:
            chain.append(target)
            return tuple(chain), LOOP
        if len(chain) >= MAX_CHAIN:
            return tuple(chain), TOO_LONG
        chain.append(target)
        seen.add(target)
        current = target
    addresses = resolver.query(current, "A")
    if addresses.failure is not None:
        return tuple(chain), addresses.failure
    if addresses.values:
        return tuple(chain), ADDRESS
    v6 = resolver.query(current, "AAAA")
    if v6.failure is not None:
        return tuple(chain), v6.failure
    return tuple(chain), ADDRESS if v6.values else NO_ADDRESS


class _NoSignature(Exception):
    pass


def _signatures(response: Any, qname: Any, covered: Any) -> Any:
    import dns.rdataclass
    import dns.rdatatype

    for rrset in response.answer:
        if rrset.name == qname and rrset.rdtype == dns.rdatatype.RRSIG and rrset.covers == covered:
            return rrset
    raise _NoSignature(f"the {dns.rdatatype.to_text(covered)} records are not signed")
