"""WHOIS over port 43 (RFC 3912): our own socket transport, server choice and one referral hop."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from socialgov.lookup.decode import decode_answer
from socialgov.lookup.failures import QueryFailed
from socialgov.lookup.limits import Slot, no_slot
from socialgov.lookup.observation import Observation
from socialgov.lookup.parse import FAILURE_RATE_LIMITED, merge_registrar_answer, parse_whois
from socialgov.words import plural

DEFAULT_PORT = 43
IANA_WHOIS = "whois.iana.org"
MAX_BYTES = 1_000_000

# Registries of common TLDs, to spare an IANA round trip; anything else is asked of IANA.
BUILTIN_SERVERS: dict[str, str] = {
    "com": "whois.verisign-grs.com",
    "net": "whois.verisign-grs.com",
    "org": "whois.publicinterestregistry.org",
    "info": "whois.nic.info",
    "io": "whois.nic.io",
    "co": "whois.nic.co",
    "me": "whois.nic.me",
    "de": "whois.denic.de",
    "uk": "whois.nic.uk",
    "fr": "whois.nic.fr",
    "nl": "whois.domain-registry.nl",
    "eu": "whois.eu",
    "be": "whois.dns.be",
    "it": "whois.nic.it",
    "se": "whois.iis.se",
    "ch": "whois.nic.ch",
    "jp": "whois.jprs.jp",
    "ru": "whois.tcinet.ru",
    "br": "whois.registro.br",
    "au": "whois.auda.org.au",
    "nz": "whois.irs.net.nz",
    "ca": "whois.cira.ca",
}
# Servers that answer plain queries with less than their full record.
_QUERY_FORMATS = {"whois.denic.de": "-T dn,ace {domain}", "whois.jprs.jp": "{domain}/e"}


@dataclass(frozen=True, slots=True)
class WhoisServer:
    host: str
    port: int = DEFAULT_PORT

    @property
    def label(self) -> str:
        return self.host if self.port == DEFAULT_PORT else f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, spec: str) -> WhoisServer:
        """`host`, `host:port`, `[v6]:port` or `whois://host:port`."""
        text = spec.strip()
        text = re.sub(r"^(r?whois|https?)://", "", text, flags=re.IGNORECASE).rstrip("/")
        if m := re.fullmatch(r"\[([0-9a-fA-F:.]+)\](?::(\d+))?", text):
            return cls(m[1], int(m[2] or DEFAULT_PORT))
        host, sep, port = text.rpartition(":")
        if sep and port.isdigit() and ":" not in host:
            return cls(host.lower(), int(port))
        if not text or any(c.isspace() for c in text):
            raise ValueError(f"not a WHOIS server: {spec!r}")
        return cls(text.lower())


def query_whois(
    host: str, port: int, query: str, *, timeout: float, max_bytes: int = MAX_BYTES
) -> bytes:
    """The server's whole answer (LF line ends). `timeout` bounds connect and read together."""
    from socialgov.lookup.guard import bounded

    label = host if port == DEFAULT_PORT else f"{host}:{port}"
    timeout = bounded(timeout, label)
    deadline = time.monotonic() + timeout
    received = 0
    chunks: list[bytes] = []
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(query.encode("utf-8") + b"\r\n")
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                sock.settimeout(remaining)
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += len(chunk)
                if received > max_bytes:
                    raise QueryFailed(
                        f"answer from {label} exceeds {max_bytes} bytes", server=label
                    )
                chunks.append(chunk)
    except QueryFailed:
        raise
    except TimeoutError as exc:
        raise QueryFailed(
            f"no complete answer from {label} within {timeout:g} s", retryable=True, server=label
        ) from exc
    except ConnectionRefusedError as exc:
        raise QueryFailed(f"{label} refused the connection", server=label) from exc
    except ConnectionResetError as exc:
        raise QueryFailed(
            f"{label} reset the connection after {plural(received, 'byte')}",
            retryable=True,
            server=label,
        ) from exc
    except socket.gaierror as exc:
        raise QueryFailed(
            f"cannot resolve WHOIS server {host}: {exc.strerror}", server=label
        ) from exc
    except OSError as exc:
        raise QueryFailed(f"cannot reach {label}: {exc.strerror or exc}", server=label) from exc
    return b"".join(chunks).replace(b"\r\n", b"\n")


class IanaDirectory:
    """TLD → WHOIS server as IANA's `refer:` line names it; answers are kept in memory."""

    def __init__(self, server: WhoisServer | None = None) -> None:
        self.server = server or WhoisServer(IANA_WHOIS)
        self._known: dict[str, WhoisServer | None] = {}
        self._lock = threading.Lock()

    def server_for(self, tld: str, *, timeout: float, slot: Slot = no_slot) -> WhoisServer | None:
        with self._lock:
            if tld in self._known:
                return self._known[tld]
        with slot(self.server.label):
            raw = query_whois(self.server.host, self.server.port, tld, timeout=timeout)
        text, _ = decode_answer(raw)
        m = re.search(r"^\s*(?:refer|whois):\s*(\S+)", text, re.MULTILINE | re.IGNORECASE)
        found = WhoisServer.parse(m[1]) if m else None
        with self._lock:
            self._known[tld] = found
        return found


def _suffixes(domain: str) -> list[str]:
    labels = domain.lower().rstrip(".").split(".")
    return [".".join(labels[i:]) for i in range(1, len(labels))]


def whois_server_for(
    domain: str,
    overrides: Mapping[str, str],
    iana: IanaDirectory,
    *,
    timeout: float,
    slot: Slot = no_slot,
) -> WhoisServer | None:
    """Override (longest matching suffix), else the built-in table, else IANA's referral."""
    suffixes = _suffixes(domain)
    lowered = {k.lower().strip("."): v for k, v in overrides.items()}
    for suffix in suffixes:
        if suffix in lowered:
            return WhoisServer.parse(lowered[suffix])
    tld = suffixes[-1] if suffixes else domain
    if tld in BUILTIN_SERVERS:
        return WhoisServer(BUILTIN_SERVERS[tld])
    return iana.server_for(tld, timeout=timeout, slot=slot)


_REFERRAL = re.compile(
    r"^\s*(?:registrar whois server|referralserver|whois server)\s*:\s*(\S+)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def find_referral(text: str, current: WhoisServer) -> WhoisServer | None:
    """The registrar's WHOIS server named in a registry answer, if it is another server."""
    for m in _REFERRAL.finditer(text):
        try:
            server = WhoisServer.parse(m[1])
        except ValueError:
            continue
        plausible = "." in server.host or server.host == "localhost"
        if plausible and server != current and not server.host.startswith(("http", "www.")):
            return server
    return None


def whois_lookup(
    domain: str,
    server: WhoisServer,
    *,
    timeout: float,
    slot: Slot = no_slot,
    max_bytes: int = MAX_BYTES,
) -> Observation:
    """Ask the registry, then (one hop at most) the registrar it refers to.

    Raises QueryFailed for transport failures and refusals; an unreachable referral keeps
    the registry's answer.
    """
    query = _QUERY_FORMATS.get(server.host, "{domain}").format(domain=domain)
    with slot(server.label):
        raw = query_whois(server.host, server.port, query, timeout=timeout, max_bytes=max_bytes)
    obs = parse_whois(domain, raw, server=server.label)
    if obs.extra.get("failure") == FAILURE_RATE_LIMITED:
        raise QueryFailed(obs.error or "rate limited", retryable=True, server=server.label)
    if obs.registered is not True:
        return obs
    referral = find_referral(decode_answer(raw)[0], server)
    if referral is None:
        return obs
    try:
        from socialgov.lookup.guard import check_target

        check_target(referral.host, referral.port, scheme="whois", default_port=DEFAULT_PORT)
        with slot(referral.label):
            raw2 = query_whois(
                referral.host, referral.port, domain, timeout=timeout, max_bytes=max_bytes
            )
    except QueryFailed as exc:
        obs.extra["referral_error"] = str(exc)
        return obs
    merged = merge_registrar_answer(obs, parse_whois(domain, raw2, server=referral.label))
    merged.extra["referral"] = referral.label
    return merged
