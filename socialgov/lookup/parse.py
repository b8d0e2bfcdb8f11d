"""WHOIS texts and RDAP responses normalised into observations (SPEC §3)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from socialgov.lookup import pywhois
from socialgov.lookup.dates import parse_rdap_date
from socialgov.lookup.decode import decode_answer, looks_binary, normalise_newlines
from socialgov.lookup.observation import Observation
from socialgov.lookup.patterns import (
    clean_registrar,
    host_name,
    is_placeholder,
    says_not_found,
    says_refused,
    unique,
)
from socialgov.lookup.whois_text import WhoisFacts, answer_domain, read_facts

# Why an answer is a failed observation; the pool retries the retryable ones.
FAILURE_RATE_LIMITED = "rate-limited"
FAILURE_UNREADABLE = "unreadable"
MAX_TEXT = 1_000_000  # the transport's cap; a saved file may be anything


def parse_whois(domain: str, text: str | bytes, *, server: str | None = None) -> Observation:
    """One WHOIS answer as an observation; never raises on a malformed answer."""
    started = time.perf_counter()
    domain = domain.strip().lower().rstrip(".")
    notes: list[str] = []
    if isinstance(text, bytes):
        text, note = decode_answer(text)
        if note:
            notes.append(note)
    else:
        text = normalise_newlines(text)

    def failed(error: str, failure: str) -> Observation:
        return Observation.failed(
            domain, error, extra={"failure": failure, "notes": notes}, source="whois", server=server
        )

    if not text.strip():
        return failed("empty WHOIS answer", FAILURE_UNREADABLE)
    if len(text) > MAX_TEXT:
        return failed(f"WHOIS answer of {len(text)} characters is too long", FAILURE_UNREADABLE)
    if looks_binary(text):
        return failed("WHOIS answer is binary data, not text", FAILURE_UNREADABLE)

    facts = read_facts(domain, text)
    if not facts.has_domain_facts:
        head = _head(text)
        if refusal := says_refused(head):
            return failed(f"WHOIS server refused the query: {refusal!r}", FAILURE_RATE_LIMITED)
        if says_not_found(head) or facts.echo_only:
            return Observation(
                domain=domain,
                registered=False,
                extra={"notes": notes},
                source="whois",
                server=server,
            )
        if not (facts.domain_key_found and (facts.statuses or facts.record_fields >= 2)):
            return failed(
                "unreadable WHOIS answer: no registration data and no 'not found' statement",
                FAILURE_UNREADABLE,
            )
    facts, filled = _fill_from_pywhois(domain, text, facts)
    extra: dict[str, Any] = {"notes": notes}
    if filled:
        extra["python_whois_filled"] = filled
    extra["parse_seconds"] = round(time.perf_counter() - started, 4)
    return Observation(
        domain=domain,
        registered=True,
        registrar=facts.registrar,
        registrant_org=facts.registrant_org,
        registrant_redacted=facts.registrant_redacted,
        registrant_email=facts.registrant_email,
        created=facts.created,
        expires=facts.expires,
        updated=facts.updated,
        name_servers=facts.name_servers,
        statuses=facts.statuses,
        extra=extra,
        source="whois",
        server=server,
    )


def _head(text: str) -> str:
    """The part of an answer where refusals and "not found" statements are: its first lines."""
    return "\n".join(line[:300] for line in text.split("\n", 400)[:400])


def _fill_from_pywhois(domain: str, text: str, facts: WhoisFacts) -> tuple[WhoisFacts, list[str]]:
    missing = [
        name
        for name in ("registrar", "created", "expires", "name_servers")
        if not getattr(facts, name)
    ]
    # The general reader matches python-whois on every field of the corpus and of the
    # development answers (docs/registration-data.md); python-whois costs 10-500 ms per
    # answer, so it is asked only when the reader found almost nothing.
    if len(missing) < 3:
        return facts, []
    other = pywhois.read(domain, text)
    if other is None:
        return facts, []
    filled: list[str] = []
    for name in missing:
        value = getattr(other, name)
        if value:
            setattr(facts, name, value)
            filled.append(name)
    return facts, filled


# --------------------------------------------------------------------------------------- RDAP


def parse_rdap(
    domain: str, data: dict[str, Any] | bytes | str, *, server: str | None = None
) -> Observation:
    """One RDAP domain response (RFC 9083) as an observation; never raises on bad data."""
    domain = domain.strip().lower().rstrip(".")
    if not isinstance(data, dict):
        try:
            data = json.loads(data)
        except ValueError as exc:
            return Observation.failed(
                domain, f"RDAP answer is not JSON: {exc}", source="rdap", server=server
            )
        if not isinstance(data, dict):
            return Observation.failed(
                domain, "RDAP answer is not a JSON object", source="rdap", server=server
            )
    if data.get("errorCode") is not None or data.get("objectClassName") not in (None, "domain"):
        code = data.get("errorCode")
        if code == 404:
            return Observation(domain=domain, registered=False, source="rdap", server=server)
        title = data.get("title") or data.get("description") or data.get("objectClassName")
        return Observation.failed(
            domain, f"RDAP error {code}: {title}", source="rdap", server=server
        )

    events = _events(data)
    registrar = _registrar(data)
    org, redacted, email = _registrant(data)
    names = unique(
        name
        for ns in _dicts(data.get("nameservers"))
        if (name := host_name(str(ns.get("ldhName") or ns.get("unicodeName") or "")))
    )
    statuses = unique(str(s) for s in data.get("status") or () if isinstance(s, str))
    if not (events or registrar or names or data.get("ldhName") or data.get("handle")):
        return Observation.failed(
            domain, "RDAP answer holds no domain data", source="rdap", server=server
        )
    return Observation(
        domain=domain,
        registered=True,
        registrar=registrar,
        registrant_org=org,
        registrant_redacted=redacted,
        registrant_email=email,
        created=events.get("registration"),
        expires=events.get("expiration"),
        updated=events.get("last changed") or events.get("last update"),
        name_servers=names,
        statuses=statuses,
        extra={"links": _related_links(data)},
        source="rdap",
        server=server,
    )


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, dict))


# Event actions outside RFC 9083's list that registries use for the same moments.
_EVENT_ALIASES = {
    "registration": ("registered", "creation", "created", "domain registration"),
    "expiration": ("expiry", "expires", "registry expiration", "registrar expiration"),
    "last changed": ("last changed", "last update", "last modified", "updated", "modification"),
}


def _events(data: dict[str, Any]) -> dict[str, Any]:
    """Event action (lower case, single spaces) → UTC date; RFC names filled from aliases."""
    found: dict[str, Any] = {}
    for event in _dicts(data.get("events")):
        action = " ".join(str(event.get("eventAction", "")).replace("_", " ").lower().split())
        when = parse_rdap_date(event.get("eventDate"))
        if action and when and action not in found:
            found[action] = when
    for name, aliases in _EVENT_ALIASES.items():
        if name not in found:
            for alias in aliases:
                if alias in found:
                    found[name] = found[alias]
                    break
    return found


def _entities(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every entity, depth first; the registrant of a registry answer may sit under its registrar."""
    for entity in _dicts(data.get("entities")):
        yield entity
        yield from _entities(entity)


def _roles(entity: dict[str, Any]) -> set[str]:
    return {str(r).strip().lower() for r in entity.get("roles") or () if isinstance(r, str)}


def _vcard(entity: dict[str, Any]) -> dict[str, list[Any]]:
    """vCard property name → values (jCard, RFC 7095)."""
    props: dict[str, list[Any]] = {}
    card = entity.get("vcardArray")
    if not (isinstance(card, list) and len(card) > 1 and isinstance(card[1], list)):
        return props
    for prop in card[1]:
        if isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[0], str):
            value = prop[3]
            if isinstance(value, list):  # structured `org` is a list of units
                value = ", ".join(str(v) for v in value if v)
            props.setdefault(prop[0].lower(), []).append(value)
    return props


def _text(values: Iterable[Any]) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _registrar(data: dict[str, Any]) -> str | None:
    """The registrar entity's vCard `fn` or `org`; failing those, its handle (CZ.NIC's
    `REG-…` entities may carry no vCard) unless that is only a number (an IANA id)."""
    fallback: str | None = None
    for entity in _entities(data):
        if "registrar" in _roles(entity):
            card = _vcard(entity)
            name = _text(card.get("fn", ())) or _text(card.get("org", ()))
            if name and (cleaned := clean_registrar(name)):
                return cleaned
            handle = entity.get("handle")
            if fallback is None and isinstance(handle, str) and not handle.strip().isdigit():
                fallback = clean_registrar(handle)
    return fallback


def _registrant(data: dict[str, Any]) -> tuple[str | None, bool, str | None]:
    redacted = _redacted_registrant(data)
    for entity in _entities(data):
        if "registrant" not in _roles(entity):
            continue
        card = _vcard(entity)
        org = _text(card.get("org", ()))
        kind = (_text(card.get("kind", ())) or "").lower()
        if org is None and kind in ("org", "organization", "organisation"):
            org = _text(card.get("fn", ()))
        fn = _text(card.get("fn", ()))
        email = _text(card.get("email", ()))
        email = email.lower() if email and "@" in email and not is_placeholder(email) else None
        if (org and is_placeholder(org)) or (org is None and fn and is_placeholder(fn)):
            return None, True, email
        return org, redacted and org is None, email
    return None, redacted, None


def _redacted_registrant(data: dict[str, Any]) -> bool:
    """RFC 9537 `redacted` members naming the registrant."""
    for item in _dicts(data.get("redacted")):
        name = item.get("name")
        text = json.dumps(name).lower() if name is not None else ""
        if "registrant" in text:
            return True
    return False


def _related_links(data: dict[str, Any]) -> list[str]:
    """Links to the registrar's RDAP answer (rel=related, RDAP media type)."""
    out: list[str] = []
    for link in _dicts(data.get("links")):
        rel = str(link.get("rel", "")).lower()
        kind = str(link.get("type", "")).lower()
        href = link.get("href")
        if rel == "related" and "application/rdap+json" in kind and isinstance(href, str):
            out.append(href)
    return out


def merge_registrar_answer(registry: Observation, registrar: Observation) -> Observation:
    """The registry's observation with what only the registrar's answer knows filled in."""
    if registrar.registered is not True:
        return registry
    return replace(
        registry,
        registrar=registry.registrar or registrar.registrar,
        registrant_org=registry.registrant_org or registrar.registrant_org,
        registrant_redacted=registry.registrant_redacted
        or (registry.registrant_org is None and registrar.registrant_redacted),
        registrant_email=registry.registrant_email or registrar.registrant_email,
        created=registry.created or registrar.created,
        expires=registry.expires or registrar.expires,
        updated=registry.updated or registrar.updated,
        name_servers=registry.name_servers or registrar.name_servers,
        statuses=registry.statuses or registrar.statuses,
    )


# ---------------------------------------------------------------------------- saved answers


def _ascii(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def saved_answer_domain(raw: bytes) -> str | None:
    """The domain a saved answer names (RDAP `ldhName`/`unicodeName`, else the WHOIS text's
    domain-name field), in ASCII; None when it names none."""
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        try:
            data = json.loads(head.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if isinstance(data, dict):
            name = data.get("ldhName") or data.get("unicodeName")
            return _ascii(name) if isinstance(name, str) and name.strip() else None
    text, _ = decode_answer(raw)
    found = answer_domain(text)
    return _ascii(found) if found else None


def parse_saved(domain: str, raw: bytes) -> Observation:
    """A saved WHOIS text or RDAP JSON answer (`socialgov whois D --from-file F`)."""
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        try:
            data = json.loads(head.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if isinstance(data, dict):
            return parse_rdap(domain, data, server=None)
    return parse_whois(domain, raw, server=None)
