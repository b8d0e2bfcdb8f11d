"""Certificate-transparency search results: crt.sh JSON and Cert Spotter JSON.

A wildcard name (`*.example.com`) is folded into the name below it; a precertificate and its
certificate (the same issuer and serial on crt.sh, the same TBS hash on Cert Spotter) count
once; a name whose every certificate has expired is marked expired.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from socialgov.discover.names import clean_host
from socialgov.discover.sighting import Sighting
from socialgov.errors import InputError, UsageError


@dataclass
class _Seen:
    certificates: int
    latest: date | None
    first_id: str


def read_ct(path: Path, today: date) -> list[Sighting]:
    """One sighting per name the certificates of the file cover."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror}") from None
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise InputError("not valid UTF-8 JSON", file=shown, line=1) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", file=shown, line=exc.lineno, column=exc.colno
        ) from None
    if not isinstance(data, list):
        raise InputError(
            "expected a JSON array of certificates (crt.sh ?output=json, or Cert Spotter issuances)",
            file=shown,
            line=1,
        )
    if not data:
        return []
    first = data[0]
    if isinstance(first, dict) and "name_value" in first:
        reader, label, certificates = "crt.sh", "crt.sh", _crtsh(data, shown)
    elif isinstance(first, dict) and "dns_names" in first:
        reader, label, certificates = "certspotter", "Cert Spotter", _certspotter(data, shown)
    else:
        raise InputError(
            "not a certificate list socialgov recognises: expected crt.sh entries (name_value) "
            "or Cert Spotter issuances (dns_names)",
            file=shown,
            line=1,
        )
    seen: dict[str, _Seen] = {}
    cleaned: dict[str, str | None] = {}  # the same names recur in thousands of certificates
    for cert_id, names, not_after in certificates:
        hosts: dict[str | None, None] = {}  # in the certificate's order, not a set's
        for text in names:
            name = cleaned.get(text, "")
            if name == "":
                name = cleaned[text] = clean_host(text.removeprefix("*."))
            hosts[name] = None
        for name in hosts:
            if name is None:
                continue
            entry = seen.get(name)
            if entry is None:
                seen[name] = _Seen(1, not_after, cert_id)
            else:
                entry.certificates += 1
                if not_after is not None and (entry.latest is None or not_after > entry.latest):
                    entry.latest = not_after
    sightings = []
    for name, entry in seen.items():
        expired = entry.latest is not None and entry.latest < today
        count = f"{entry.certificates} certificate{'s' if entry.certificates != 1 else ''}"
        if entry.latest is None:
            until = ""
        elif expired:
            until = f", expired {entry.latest.isoformat()}"
        else:
            until = f", valid until {entry.latest.isoformat()}"
        sightings.append(
            Sighting(
                name=name,
                source=f"{shown} ({label} {entry.first_id})",
                reader=reader,
                evidence=f"in {count} ({label}){until}",
                expired=expired,
            )
        )
    return sightings


Certificate = tuple[str, list[str], date | None]


def _crtsh(entries: list[Any], shown: str) -> Iterable[Certificate]:
    merged: dict[tuple[str, str], Certificate] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name_value"), str):
            raise InputError(
                f"entry {index + 1} is not a crt.sh certificate (no name_value)", file=shown
            )
        cert_id = str(entry.get("id", index + 1))
        serial = str(entry.get("serial_number") or cert_id)
        key = (str(entry.get("issuer_ca_id", "")), serial.lower())
        names = entry["name_value"].split("\n")
        common = entry.get("common_name")
        if isinstance(common, str):
            names.append(common)
        not_after = _date(entry.get("not_after"), shown, index)
        earlier = merged.get(key)
        if earlier is not None:  # the precertificate and the certificate: one issuance
            names = earlier[1] + names
            cert_id = earlier[0]
        merged[key] = (f"id {cert_id}", names, not_after)
    return merged.values()


def _certspotter(entries: list[Any], shown: str) -> Iterable[Certificate]:
    merged: dict[str, Certificate] = {}
    for index, entry in enumerate(entries):
        names = entry.get("dns_names") if isinstance(entry, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InputError(
                f"entry {index + 1} is not a Cert Spotter issuance (no dns_names list)", file=shown
            )
        cert_id = str(entry.get("id", index + 1))
        key = str(entry.get("tbs_sha256") or entry.get("cert_sha256") or cert_id)
        not_after = _date(entry.get("not_after"), shown, index)
        if key in merged:
            names = merged[key][1] + names
            cert_id = merged[key][0].removeprefix("issuance ")
        merged[key] = (f"issuance {cert_id}", list(names), not_after)
    return merged.values()


def _date(value: Any, shown: str, index: int) -> date | None:
    if value is None:
        return None
    day = _day(value[:10]) if isinstance(value, str) else None
    if day is None:
        raise InputError(f"entry {index + 1}: not_after {value!r} is not a date", file=shown)
    return day


@lru_cache(maxsize=8192)
def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
