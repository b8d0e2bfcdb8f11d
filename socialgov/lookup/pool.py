"""Many lookups at once: RDAP then WHOIS per domain, within concurrency and per-server limits,
with bounded retries and a file cache. Failures become failed observations, never exceptions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import idna

from socialgov.lookup.cache import ObservationCache
from socialgov.lookup.failures import QueryFailed
from socialgov.lookup.guard import allow_hosts, deadline, remaining
from socialgov.lookup.limits import ServerSlots
from socialgov.lookup.observation import Observation
from socialgov.lookup.rdap import (
    Bootstrap,
    host_of,
    load_bootstrap,
    new_client,
    rdap_base_for,
    rdap_lookup,
)
from socialgov.lookup.settings import LookupSettings
from socialgov.lookup.source import Progress, gather
from socialgov.lookup.whois import (
    BUILTIN_SERVERS,
    IanaDirectory,
    WhoisServer,
    whois_lookup,
    whois_server_for,
)

if TYPE_CHECKING:
    import httpx

MAX_RETRIES = 2
BACKOFF_S = 0.25

T = TypeVar("T")


def lookup_many(
    domains: Sequence[str],
    settings: LookupSettings,
    *,
    cache_dir: Path | None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> list[Observation]:
    """One observation per domain, in the order asked; `fetched_at` is `now` (UTC)."""
    if not domains:
        return []
    return RegistrationSource(settings, cache_dir, _utc(now or datetime.now(UTC))).all(
        domains, progress=progress
    )


def lookup_one(
    domain: str, settings: LookupSettings, *, cache_dir: Path | None, now: datetime | None = None
) -> Observation:
    return lookup_many([domain], settings, cache_dir=cache_dir, now=now)[0]


def ascii_domain(domain: str) -> str:
    """The lower-case ASCII (punycode) form; ValueError if it is not a domain name."""
    name = domain.strip().rstrip(".")
    if not name or "." not in name:
        raise ValueError(f"{domain!r} is not a domain name")
    try:
        return idna.encode(name, uts46=True).decode("ascii").lower()
    except idna.IDNAError as exc:
        raise ValueError(f"{domain!r} is not a valid domain name: {exc}") from exc


class _NoServer(Exception):
    pass


class RegistrationSource:
    """Registration data (RDAP, then WHOIS, as `order` says) as an observation source of
    lookup.source: a domain's server is the one its first query goes to, when that is
    known without asking the network; the queries after it take their own servers' slots."""

    name = "whois"

    def __init__(self, settings: LookupSettings, cache_dir: Path | None, now: datetime) -> None:
        self.settings = settings
        self.concurrency = settings.concurrency
        self.per_server = settings.per_server
        self.cache_dir = cache_dir
        self.now = now
        self.cache = (
            ObservationCache(cache_dir, max_age_hours=settings.cache_hours) if cache_dir else None
        )
        self.slots = ServerSlots(settings.per_server)
        allow_hosts(_configured_hosts(settings))
        self.iana = IanaDirectory(WhoisServer.parse(settings.iana_whois))
        self._lock = threading.Lock()
        self._bootstrap: Bootstrap | None = None
        self._bootstrap_error: QueryFailed | None = None
        self._bootstrap_loaded = False
        self._client: httpx.Client | None = None

    # ---------------------------------------------------------------- shared resources

    def bootstrap(self) -> Bootstrap:
        with self._lock:
            if not self._bootstrap_loaded:
                try:
                    self._bootstrap = load_bootstrap(
                        self.settings.rdap_bootstrap,
                        cache_dir=self.cache_dir,
                        cache_hours=self.settings.cache_hours,
                        timeout=self.settings.timeout_s,
                        now=self.now,
                    )
                except QueryFailed as exc:
                    self._bootstrap_error = exc
                else:
                    # The bootstrap the settings chose names the registries' servers.
                    allow_hosts(
                        host_of(url).rsplit(":", 1)[0] for url in self._bootstrap.services.values()
                    )
                self._bootstrap_loaded = True
            if self._bootstrap is None:
                assert self._bootstrap_error is not None
                raise self._bootstrap_error
            return self._bootstrap

    def client(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = new_client(self.settings.timeout_s)
            return self._client

    @contextmanager
    def session(self) -> Iterator[None]:
        try:
            yield
        finally:
            if self._client is not None:
                self._client.close()
                self._client = None

    # ---------------------------------------------------------------- scheduling

    def all(self, domains: Sequence[str], *, progress: Progress | None) -> list[Observation]:
        """Every domain's observation: invalid names fail at once, the cache answers what
        it holds, and the sources' scheduler looks up the rest."""
        names: list[str | None] = []
        early: dict[int, Observation] = {}
        for i, domain in enumerate(domains):
            try:
                names.append(ascii_domain(domain))
            except ValueError as exc:
                names.append(None)
                early[i] = Observation.failed(domain.strip().lower(), str(exc)).with_fetched_at(
                    self.now
                )
        unique = list(dict.fromkeys(n for n in names if n is not None))
        results: dict[str, Observation] = {}
        pending: list[str] = []
        for name in unique:
            hit = self.cache.get(name, self.now) if self.cache else None
            if hit is not None:
                results[name] = hit
            else:
                pending.append(name)
        looked_up = gather(self, pending, progress=progress, slots=self.slots)
        results.update(zip(pending, looked_up, strict=True))
        return [early[i] if name is None else results[name] for i, name in enumerate(names)]

    def server_for(self, name: str) -> str | None:
        """The server the first query will go to, when known without asking the network."""
        for method in self.settings.order:
            if method == "rdap":
                try:
                    base = self._rdap_base(name)
                except QueryFailed:
                    base = None
                if base:
                    return host_of(base)
            elif method == "whois":
                tld = name.rsplit(".", 1)[-1]
                overrides = {
                    k.lower().strip("."): v for k, v in self.settings.whois_servers.items()
                }
                labels = name.split(".")
                for i in range(1, len(labels)):
                    if (spec := overrides.get(".".join(labels[i:]))) is not None:
                        return WhoisServer.parse(spec).label
                return BUILTIN_SERVERS.get(tld)
        return None

    # ---------------------------------------------------------------- one domain

    def observe(self, name: str) -> Observation:
        try:
            with deadline(domain_deadline(self.settings)):
                obs = self._lookup_uncached(name)
        except Exception as exc:  # a bug must not take the other lookups down
            obs = Observation.failed(name, f"internal error during lookup: {exc!r}")
        obs = clean_observation(obs).with_fetched_at(self.now)
        if self.cache is not None and obs.registered is not None:
            # A read-only cache folder costs a repeated query, nothing more.
            with suppress(OSError):
                self.cache.put(obs)
        return obs

    def _lookup_uncached(self, name: str) -> Observation:
        errors: list[str] = []
        source: str | None = None
        server: str | None = None
        for method in self.settings.order:
            source = method
            try:
                if method == "rdap":
                    obs = self._rdap(name)
                elif method == "whois":
                    obs = self._whois(name)
                else:
                    errors.append(f"unknown lookup method {method!r}")
                    continue
            except _NoServer as exc:
                errors.append(f"{method}: {exc}")
                continue
            except QueryFailed as exc:
                server = exc.server or server
                errors.append(f"{method}: {exc.message}")
                continue
            if obs.registered is not None:
                return obs
            server = obs.server or server
            errors.append(f"{method}: {obs.error}")
        return Observation.failed(
            name, "; ".join(errors) or "no lookup method configured", source=source, server=server
        )

    def _rdap_base(self, name: str) -> str | None:
        """Override first, so that a registry with overrides needs no bootstrap download."""
        base = rdap_base_for(name, self.settings.rdap_servers, None)
        return base if base is not None else self.bootstrap().base_for(name)

    def _rdap(self, name: str) -> Observation:
        base = self._rdap_base(name)  # QueryFailed if the bootstrap cannot be loaded
        if base is None:
            raise _NoServer(f"no RDAP service known for .{name.rsplit('.', 1)[-1]}")
        client = self.client()
        return self._retrying(
            lambda: rdap_lookup(
                name, base, timeout=self.settings.timeout_s, client=client, slot=self.slots.slot
            )
        )

    def _whois(self, name: str) -> Observation:
        timeout = self.settings.timeout_s
        server = self._retrying(
            lambda: whois_server_for(
                name, self.settings.whois_servers, self.iana, timeout=timeout, slot=self.slots.slot
            )
        )
        if server is None:
            raise _NoServer(f"no WHOIS server known for .{name.rsplit('.', 1)[-1]}")
        return self._retrying(
            lambda: whois_lookup(name, server, timeout=timeout, slot=self.slots.slot)
        )

    def _retrying(self, call: Callable[[], T]) -> T:
        for attempt in range(MAX_RETRIES + 1):
            try:
                return call()
            except QueryFailed as exc:
                if not exc.retryable or attempt == MAX_RETRIES:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else BACKOFF_S * 2**attempt
                left = remaining()
                if left is not None and wait >= left:
                    raise
                time.sleep(min(wait, self.settings.timeout_s))
        raise AssertionError("unreachable")


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def domain_deadline(settings: LookupSettings) -> float:
    """Wall-clock seconds one domain's lookup may take, all methods, redirects, referrals and
    retries included: twice `timeout_s` (RDAP then WHOIS, each a query of at most `timeout_s`)."""
    return 2 * settings.timeout_s


MAX_TEXT = 500
# C0, C1, and the bidirectional and line-separator characters cli.output.printable escapes.
_CONTROL = dict.fromkeys(
    [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x61C, 0x200E, 0x200F, *range(0x2028, 0x202F),
     *range(0x2066, 0x206A)]
)  # fmt: skip


def clean_text(value: str) -> str:
    """A server's text as it is recorded: no control characters, at most MAX_TEXT characters."""
    cleaned = value.translate(_CONTROL)
    return cleaned if len(cleaned) <= MAX_TEXT else cleaned[: MAX_TEXT - 1] + "…"


def clean_observation(obs: Observation) -> Observation:
    """Server-supplied text fields capped and stripped of control characters."""
    from dataclasses import replace

    def text(value: str | None) -> str | None:
        return None if value is None else clean_text(value)

    extra = {k: clean_text(v) if isinstance(v, str) else v for k, v in obs.extra.items()}
    return replace(
        obs,
        server=text(obs.server),
        registrar=text(obs.registrar),
        registrant_org=text(obs.registrant_org),
        registrant_email=text(obs.registrant_email),
        error=text(obs.error),
        name_servers=tuple(clean_text(n) for n in obs.name_servers[:50]),
        statuses=tuple(clean_text(n) for n in obs.statuses[:50]),
        extra=extra,
    )


def _configured_hosts(settings: LookupSettings) -> list[str]:
    """Hosts named by the settings; they are the only private hosts a lookup may reach."""
    from urllib.parse import urlsplit

    hosts = [
        urlsplit(url).hostname or ""
        for url in (settings.rdap_bootstrap, *settings.rdap_servers.values())
    ]
    for spec in (settings.iana_whois, *settings.whois_servers.values()):
        with suppress(ValueError):
            hosts.append(WhoisServer.parse(spec).host)
    return hosts
