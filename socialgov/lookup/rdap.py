"""RDAP over HTTP (RFC 9082/9083): the IANA bootstrap (RFC 9224), domain queries, registrar links.

httpx is imported inside the functions that use it: the CLI must start fast.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from socialgov.lookup.failures import QueryFailed
from socialgov.lookup.limits import Slot, no_slot
from socialgov.lookup.observation import Observation
from socialgov.lookup.parse import merge_registrar_answer, parse_rdap
from socialgov.registry.save import atomic_write

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 5_000_000
_ACCEPT = "application/rdap+json, application/json;q=0.9"


@dataclass(frozen=True, slots=True)
class Bootstrap:
    """Label suffix (`com`, `co.uk`) → base URL of its RDAP service."""

    services: dict[str, str]
    publication: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Bootstrap:
        if not isinstance(data, dict) or not isinstance(data.get("services"), list):
            raise ValueError("not an RDAP bootstrap file: no 'services' list")
        services: dict[str, str] = {}
        for service in data["services"]:
            if not (isinstance(service, list) and len(service) >= 2):
                continue
            labels, urls = service[0], service[1]
            urls = [u for u in urls if isinstance(u, str)]
            # RFC 9224 §3: prefer https when a service lists several URLs.
            url = next((u for u in urls if u.startswith("https:")), urls[0] if urls else None)
            if url is None:
                continue
            for label in labels:
                if isinstance(label, str):
                    services[label.lower().strip(".")] = url
        return cls(services, data.get("publication"))

    def base_for(self, domain: str) -> str | None:
        return _longest_suffix(domain, self.services)


def _longest_suffix(domain: str, table: Mapping[str, str]) -> str | None:
    labels = domain.lower().rstrip(".").split(".")
    for i in range(1, len(labels)):
        if (found := table.get(".".join(labels[i:]))) is not None:
            return found
    return None


def with_slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc.lower() or url


def rdap_base_for(
    domain: str, overrides: Mapping[str, str], bootstrap: Bootstrap | None
) -> str | None:
    """Per-TLD override (longest matching suffix), else the bootstrap's service."""
    lowered = {k.lower().strip("."): v for k, v in overrides.items()}
    if (base := _longest_suffix(domain, lowered)) is not None:
        return base
    return bootstrap.base_for(domain) if bootstrap else None


def load_bootstrap(
    source: str,
    *,
    cache_dir: Path | None,
    cache_hours: float,
    timeout: float,
    now: datetime | None = None,
    client: httpx.Client | None = None,
) -> Bootstrap:
    """The bootstrap from a URL (cached on disk for `cache_hours`) or a local file."""
    if not source.lower().startswith(("http://", "https://")):
        path = Path(source).expanduser()
        try:
            return Bootstrap.from_json(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError) as exc:
            raise QueryFailed(f"cannot read the RDAP bootstrap file {path}: {exc}") from exc
    now = now or datetime.now(UTC)
    cached = _cache_path(cache_dir, source)
    stale: Bootstrap | None = None
    if cached is not None and cached.exists():
        try:
            entry = json.loads(cached.read_text("utf-8"))
            fetched = datetime.fromisoformat(entry["fetched_at"])
            stale = Bootstrap.from_json(entry["data"])
            if now - fetched < timedelta(hours=cache_hours):
                return stale
        except (OSError, ValueError, KeyError, TypeError):
            stale = None
    try:
        status, data = fetch_json(source, timeout=timeout, client=client)
        if status != 200:
            raise QueryFailed(f"HTTP {status}")
        bootstrap = Bootstrap.from_json(data)
    except (QueryFailed, ValueError) as exc:
        if stale is not None:
            return stale  # an old map of servers beats no lookup at all
        raise QueryFailed(f"cannot load the RDAP bootstrap from {source}: {exc}") from exc
    if cached is not None:
        _write_atomic(cached, {"fetched_at": now.isoformat(), "source": source, "data": data})
    return bootstrap


def _cache_path(cache_dir: Path | None, source: str) -> Path | None:
    if cache_dir is None:
        return None
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    return cache_dir / "rdap-bootstrap" / f"{digest}.json"


def _write_atomic(path: Path, payload: Any) -> None:
    atomic_write(path, json.dumps(payload).encode("utf-8"), durable=False)


def new_client(timeout: float) -> httpx.Client:
    import httpx

    from socialgov.lookup.guard import guarded_backend

    transport = httpx.HTTPTransport()
    # Every connection checks its host and takes its timeouts from the lookup's deadline.
    transport._pool._network_backend = guarded_backend()
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,  # fetch_json follows them itself, checking each target
        headers={"Accept": _ACCEPT, "User-Agent": "socialgov-lookup"},
        transport=transport,
        trust_env=False,
    )


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


MAX_REDIRECTS = 5


def fetch_json(
    url: str,
    *,
    timeout: float,
    client: httpx.Client | None = None,
    max_bytes: int = MAX_BYTES,
    check_first: bool = False,
) -> tuple[int, Any]:
    """(HTTP status, parsed JSON or None) within a total deadline of `timeout` seconds
    (shortened to the lookup's deadline), redirects included.

    Redirects are followed only to https on port 443 of a public host (or a configured
    server); `check_first` applies the same check to `url` itself (a link from an answer).
    A 404 after a redirect to another host is a failure, not "not registered".
    Raises QueryFailed for transport failures, 429 and 5xx answers, and non-JSON 2xx bodies.
    """
    from socialgov.lookup.guard import bounded, deadline, trusting

    timeout = bounded(timeout, host_of(url))
    chosen = "" if check_first else (urlsplit(url).hostname or "")
    with deadline(timeout), trusting(chosen):
        if check_first:
            _check_link(url)
        first_host = host_of(url)
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, body = _get(url, client=client, max_bytes=max_bytes, total=timeout)
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                from urllib.parse import urljoin

                url = urljoin(url, headers["location"])
                _check_link(url)
                continue
            break
        else:
            raise QueryFailed(f"more than {MAX_REDIRECTS} redirects from {first_host}")
    host = host_of(url)
    if status == 429:
        wait = retry_after_seconds(headers.get("retry-after"))
        hint = f", retry after {wait:g} s" if wait is not None else ""
        raise QueryFailed(
            f"{host} is rate limiting (HTTP 429{hint})",
            retryable=True,
            retry_after=wait,
            server=host,
        )
    if status >= 500:
        raise QueryFailed(
            f"{host} failed with HTTP {status}",
            retryable=status in (502, 503, 504),
            retry_after=retry_after_seconds(headers.get("retry-after")),
            server=host,
        )
    if status == 404:
        if host != first_host:
            raise QueryFailed(
                f"{first_host} redirected to {host}, which answered HTTP 404", server=first_host
            )
        return status, None
    if status != 200:
        raise QueryFailed(f"{host} answered HTTP {status}", server=host)
    try:
        return status, json.loads(bytes(body))
    except (ValueError, RecursionError) as exc:
        kind = headers.get("content-type", "unknown type")
        raise QueryFailed(f"answer from {host} is not JSON ({kind})", server=host) from exc


def _check_link(url: str) -> None:
    from socialgov.lookup.guard import check_target

    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise QueryFailed(f"not a URL: {url[:100]!r}") from None
    check_target(parts.hostname or "", port, scheme=parts.scheme.lower(), default_port=443)


def _get(
    url: str, *, client: httpx.Client | None, max_bytes: int, total: float
) -> tuple[int, Mapping[str, str], bytes]:
    import httpx

    from socialgov.lookup.guard import bounded

    host = host_of(url)
    timeout = bounded(None, host)
    own = client is None
    http = client or new_client(timeout)
    try:
        with http.stream("GET", url, timeout=timeout) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise QueryFailed(f"answer from {host} exceeds {max_bytes} bytes", server=host)
                bounded(None, host)
            return response.status_code, dict(response.headers), bytes(body)
    except httpx.TimeoutException as exc:
        raise QueryFailed(
            f"no complete answer from {host} within {total:g} s", retryable=True, server=host
        ) from exc
    except httpx.HTTPError as exc:
        raise QueryFailed(f"cannot reach {host}: {exc}", retryable=False, server=host) from exc
    except QueryFailed as exc:
        if exc.message == "the lookup's deadline passed":
            raise QueryFailed(
                f"no complete answer from {host} within {total:g} s", retryable=True, server=host
            ) from None
        raise
    finally:
        if own:
            http.close()


def rdap_lookup(
    domain: str,
    base: str,
    *,
    timeout: float,
    client: httpx.Client | None = None,
    slot: Slot = no_slot,
) -> Observation:
    """Ask the registry's RDAP service, then the registrar's if the registry links to it."""
    url = f"{with_slash(base)}domain/{domain}"
    host = host_of(url)
    with slot(host):
        status, data = fetch_json(url, timeout=timeout, client=client)
    if status == 404:
        return Observation(domain=domain, registered=False, source="rdap", server=host)
    obs = parse_rdap(domain, data, server=host)
    if obs.registered is not True or not _registrar_may_add(obs):
        return obs
    for link in obs.extra.get("links", []):
        link_host = host_of(link)
        if link.rstrip("/").lower() == url.rstrip("/").lower():
            continue  # a link back to the answer itself
        try:
            with slot(link_host):
                link_status, link_data = fetch_json(
                    link, timeout=timeout, client=client, check_first=True
                )
        except QueryFailed as exc:
            obs.extra["related_error"] = str(exc)
            break
        if link_status == 200:
            merged = merge_registrar_answer(obs, parse_rdap(domain, link_data, server=link_host))
            merged.extra["related"] = link
            return merged
        break
    return obs


def _registrar_may_add(obs: Observation) -> bool:
    """A thin registry answer (no registrant, no e-mail) is what registrars' answers complete."""
    return not (obs.registrant_org or obs.registrant_redacted) or obs.registrant_email is None
