"""python-whois's offline parser as a second reader, for facts the generic reader missed.

Facts of python-whois 0.9.6 that shape this adapter: some of its TLD classes backtrack for
seconds on ordinary answers (.jp, .hk), so those are never handed to it; it returns empty
entries instead of raising on refusals, so it is only asked about answers already known to
describe a registered domain; its values are strings, lists or time-zone-aware datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from socialgov.lookup.patterns import clean_registrar, name_servers_in, unique

# Suffixes whose python-whois classes take far longer than our 0.2 s budget per answer.
_SLOW_SUFFIXES = ("jp", "hk")
_MAX_CHARS = 20_000  # real answers are under 12 kB; python-whois slows with size


@dataclass(frozen=True, slots=True)
class PyWhoisFacts:
    registrar: str | None = None
    created: date | None = None
    expires: date | None = None
    updated: date | None = None
    name_servers: tuple[str, ...] = ()


def usable_for(domain: str, text: str) -> bool:
    tld = domain.rsplit(".", 1)[-1].lower()
    return tld not in _SLOW_SUFFIXES and len(text) <= _MAX_CHARS


def read(domain: str, text: str) -> PyWhoisFacts | None:
    """python-whois's reading of an answer (LF line ends), or None if it cannot read it."""
    if not usable_for(domain, text):
        return None
    try:
        from whois.parser import WhoisEntry

        entry = WhoisEntry.load(domain, text)
    except Exception:  # python-whois raises a zoo of types on formats it does not know
        return None
    registrar = _first(entry.get("registrar"))
    return PyWhoisFacts(
        registrar=clean_registrar(registrar) if isinstance(registrar, str) else None,
        created=_date(entry.get("creation_date")),
        expires=_date(entry.get("expiration_date")),
        updated=_date(entry.get("updated_date")),
        name_servers=_name_servers(entry.get("name_servers")),
    )


def _first(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def _date(value: Any) -> date | None:
    value = _first(value)
    if isinstance(value, datetime):
        return value.date()  # the wall-clock date as written, not converted
    if isinstance(value, date):
        return value
    return None


def _name_servers(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, str):
            for line in item.splitlines():
                names.extend(name_servers_in(line))
    return unique(names)
