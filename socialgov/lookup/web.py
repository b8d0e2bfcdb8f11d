"""Web lookups with httpx: one GET of an asset's URL and the TLS certificate it presents.

The one module that speaks HTTP for `socialgov web`. Every connection goes through a
network backend that resolves the host with the `[dns]` resolvers and refuses private,
loopback, link-local and metadata addresses (unless `[web] allow_private`), on the first
request and on every redirect. Redirects are followed by hand, only to http and https.
Failures are recorded in the observation, never raised.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.errors import UsageError
from socialgov.lookup.addresses import is_ip_literal, refusal
from socialgov.lookup.dns import Resolver
from socialgov.lookup.dns_observation import ADDRESS
from socialgov.lookup.posture_settings import DnsSettings, WebSettings
from socialgov.lookup.signatures import Signature, load_signatures
from socialgov.lookup.web_observation import (
    EXPIRED,
    NOT_YET_VALID,
    UNTRUSTED,
    WRONG_NAME,
    Certificate,
    Unclaimed,
    WebObservation,
)

if TYPE_CHECKING:
    import httpcore
    import httpx

USER_AGENT = "socialgov (asset posture check)"
_SCHEMES = ("http", "https")
# OpenSSL verify codes (X509_V_ERR_*) → why the certificate is not valid.
_VERIFY_CODES = {9: NOT_YET_VALID, 10: EXPIRED, 62: WRONG_NAME}


@dataclass(frozen=True, slots=True)
class WebTarget:
    asset: str  # asset id
    url: str


class AddressRefused(Exception):
    """socialgov will not connect to this address (see socialgov.lookup.addresses)."""


class _Unresolvable(Exception):
    pass


def _backend(resolver: Resolver, allow_private: bool) -> httpcore.NetworkBackend:
    import httpcore

    class GuardedBackend(httpcore.NetworkBackend):
        """Resolves with the [dns] resolvers and connects only to allowed addresses."""

        def __init__(self) -> None:
            self.inner = httpcore.SyncBackend()
            self.local = threading.local()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.NetworkStream:
            literal = is_ip_literal(host)
            addresses = [host.strip("[]")] if literal else _addresses(resolver, host)
            if not allow_private:
                for address in addresses:
                    if reason := refusal(address):
                        named = "" if is_ip_literal(host) else f" to {host}"
                        raise AddressRefused(f"not connecting{named}: {reason}")
            last: Exception | None = None
            for address in addresses:
                try:
                    stream = self.inner.connect_tcp(
                        address, port, timeout, local_address, socket_options
                    )
                except httpcore.ConnectError as exc:
                    last = exc
                    continue
                self.local.address = address
                return stream
            assert last is not None
            raise last

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Any = None
        ) -> httpcore.NetworkStream:
            raise AddressRefused("unix sockets are never used")

        def sleep(self, seconds: float) -> None:
            self.inner.sleep(seconds)

    return GuardedBackend()


def _addresses(resolver: Resolver, host: str) -> list[str]:
    """The addresses of `host`, its CNAME chain followed; _Unresolvable when it has none."""
    from socialgov.lookup.dns import cname_chain

    chain, end = cname_chain(resolver, host)
    if end != ADDRESS:
        raise _Unresolvable(f"{host} does not resolve ({end})")
    final = chain[-1] if chain else host
    records = [resolver.query(final, "A"), resolver.query(final, "AAAA")]
    addresses = [a for r in records for a in r.values]
    if not addresses:
        raise _Unresolvable(f"{host} does not resolve (no address)")
    return addresses


class WebSource:
    """The web observation source (see socialgov.lookup.source)."""

    name = "web"
    per_server = 2

    def __init__(
        self,
        web: WebSettings,
        dns: DnsSettings,
        *,
        root: Path | None = None,
        now: datetime | None = None,
    ) -> None:
        self.web = web
        self.now = now
        self.concurrency = dns.concurrency
        self.resolver = Resolver(dns)
        self.ca_file = self._ca_file(root)
        self.signatures = load_signatures()
        self._clients: dict[bool, httpx.Client] = {}
        self._backend: Any = None
        self._lock = threading.Lock()

    def _ca_file(self, root: Path | None) -> Path | None:
        if not self.web.ca_file:
            return None
        path = Path(self.web.ca_file)
        if not path.is_absolute() and root is not None:
            path = root / path
        if not path.is_file():
            raise UsageError(
                f"socialgov.toml: web.ca_file = {self.web.ca_file!r}: no such file",
                hint="give a PEM file of CA certificates, relative to the registry folder",
            )
        return path

    def server_for(self, target: WebTarget) -> str:
        import httpx

        try:
            return httpx.URL(target.url).host or target.url
        except httpx.InvalidURL:
            return target.url

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        try:
            yield
        finally:
            with self._lock:
                for client in self._clients.values():
                    client.close()
                self._clients.clear()

    def client(self, verify: bool) -> httpx.Client:
        import httpcore
        import httpx

        with self._lock:
            if self._backend is None:
                self._backend = _backend(self.resolver, self.web.allow_private)
            if verify not in self._clients:
                context = ssl.create_default_context()
                if self.ca_file is not None:
                    context.load_verify_locations(cafile=str(self.ca_file))
                if not verify:
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                transport = httpx.HTTPTransport(verify=context)
                # httpx takes no network backend; its transport wraps an httpcore pool.
                transport._pool = httpcore.ConnectionPool(
                    ssl_context=context, network_backend=self._backend, max_connections=100
                )
                self._clients[verify] = httpx.Client(
                    transport=transport,
                    trust_env=False,  # no proxies from the environment: they would skip the guard
                    follow_redirects=False,
                    headers={"User-Agent": USER_AGENT},
                )
            return self._clients[verify]

    def observe(self, target: WebTarget) -> WebObservation:
        import httpx

        start = time.monotonic()
        fetched = self.now or datetime.now(UTC).replace(microsecond=0)
        base = WebObservation(asset=target.asset, url=target.url, fetched_at=fetched)
        try:
            url = httpx.URL(target.url)
        except httpx.InvalidURL as exc:
            return _done(base, start, error=f"not a URL: {exc}")
        if url.scheme not in _SCHEMES:
            return _done(base, start, refused=f"the scheme {url.scheme!r} is not http or https")
        chain: tuple[str, ...] = ()
        signature: Signature | None = None
        if url.host and not is_ip_literal(url.host):
            # A failed CNAME query leaves the chain empty; the GET below reports the failure.
            chain, _end = self._cname_chain(url.host)
            signature = self.signatures.service_of(chain)
        state = _Fetch(base=base, chain=chain, signature=signature)
        verify = True
        deadline = start + self.web.timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return state.finish(start, error="timeout")
            try:
                location = self._get(self.client(verify), url, remaining, state)
            except AddressRefused as exc:
                return state.finish(start, refused=str(exc))
            except _Unresolvable as exc:
                return state.finish(start, error=str(exc))
            except httpx.TimeoutException:
                return state.finish(start, error="timeout")
            except httpx.HTTPError as exc:
                problem = _certificate_problem(exc)
                if problem is not None and verify:
                    state.problem = problem
                    verify = False  # read the certificate and the page anyway, to record them
                    continue
                return state.finish(start, error=_describe(exc))
            if location is None:
                return state.finish(start)
            if len(state.redirects) >= self.web.max_redirects:
                return state.finish(start, error=f"more than {self.web.max_redirects} redirects")
            try:
                following = url.join(location)
            except httpx.InvalidURL:
                return state.finish(start, error=f"a redirect to an invalid URL: {location!r}")
            state.redirects.append(str(following))
            if following.scheme not in _SCHEMES:
                return state.finish(start, refused=f"a redirect to the scheme {following.scheme!r}")
            url = following

    def _cname_chain(self, host: str) -> tuple[tuple[str, ...], str]:
        from socialgov.lookup.dns import cname_chain

        return cname_chain(self.resolver, host)

    def _get(
        self, client: httpx.Client, url: httpx.URL, timeout: float, state: _Fetch
    ) -> str | None:
        """GET one URL (facts into `state`); the Location of a redirect, else None."""
        with client.stream("GET", url, timeout=timeout) as response:
            state.status = response.status_code
            state.final_url = str(url)
            state.address = getattr(self._backend.local, "address", None)
            if url.scheme == "https" and state.certificate is None:
                stream = response.extensions.get("network_stream")
                ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
                der = ssl_object.getpeercert(True) if ssl_object else None
                if der:
                    state.certificate = certificate_facts(der, state.problem)
            body = bytearray()
            truncated = False
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) >= self.web.max_bytes:
                    truncated = True
                    del body[self.web.max_bytes :]
                    break
            state.size, state.truncated, state.body = len(body), truncated, bytes(body)
            return response.headers.get("location") if response.is_redirect else None


@dataclass
class _Fetch:
    """What one observation has gathered so far, hop by hop."""

    base: WebObservation
    chain: tuple[str, ...]
    signature: Signature | None
    status: int | None = None
    final_url: str | None = None
    address: str | None = None
    size: int = 0
    truncated: bool = False
    body: bytes = b""
    problem: tuple[str, str] | None = None
    certificate: Certificate | None = None

    def __post_init__(self) -> None:
        self.redirects: list[str] = []

    def finish(
        self, start: float, *, error: str | None = None, refused: str | None = None
    ) -> WebObservation:
        unclaimed = None
        if self.signature is not None and self.status is not None and not error and not refused:
            text = self.body.decode("utf-8", "replace")
            if self.signature.fingerprint and self.signature.fingerprint in text:
                unclaimed = Unclaimed(
                    self.signature.service,
                    self.signature.fingerprint,
                    load_signatures().attribution(self.signature),
                )
        observation = WebObservation(
            asset=self.base.asset,
            url=self.base.url,
            fetched_at=self.base.fetched_at,
            address=self.address,
            status=self.status,
            final_url=self.final_url,
            redirects=tuple(self.redirects),
            size=self.size,
            truncated=self.truncated,
            cname=self.chain,
            service=self.signature.service if self.signature else None,
            tls=self.certificate,
            unclaimed=unclaimed,
        )
        return _done(observation, start, error=error, refused=refused)


def _done(
    observation: WebObservation,
    start: float,
    *,
    error: str | None = None,
    refused: str | None = None,
) -> WebObservation:
    from dataclasses import replace

    return replace(
        observation,
        error=error,
        refused=refused,
        elapsed_ms=int((time.monotonic() - start) * 1000),
    )


def certificate_facts(der: bytes, problem: tuple[str, str] | None) -> Certificate:
    """Issuer, subject, DNS names and validity of a DER certificate, read with `cryptography`."""
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = tuple(san.value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        names = ()
    return Certificate(
        issuer=cert.issuer.rfc4514_string(),
        subject=cert.subject.rfc4514_string(),
        names=names,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        problem=problem[0] if problem else None,
        detail=problem[1] if problem else "",
    )


def _certificate_problem(exc: BaseException) -> tuple[str, str] | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            code = current.verify_code
            return _VERIFY_CODES.get(code, UNTRUSTED), str(current.verify_message)
        current = current.__cause__ or current.__context__
    return None


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
