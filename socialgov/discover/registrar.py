"""Registrar portfolio exports (CSV): MarkMonitor, CSC, GoDaddy, Namecheap, Cloudflare, Gandi.

Each export is recognised by its header: a format matches when every one of its `signature`
columns is present (case and surrounding spaces ignored). Any other CSV works with
`--map domain=COLUMN [--map expires=COLUMN]`. A row that cannot be read stops the whole run
with FILE:LINE, before anything is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from socialgov.discover.names import clean_host
from socialgov.discover.sighting import Sighting
from socialgov.discover.text import read_text
from socialgov.errors import InputError, UsageError
from socialgov.words import plural


@dataclass(frozen=True, slots=True)
class ExportFormat:
    key: str
    label: str  # as people call the registrar
    registrar: str  # the registrar's name as RDAP gives it, for [domain] registrar
    signature: tuple[str, ...]
    domain: str  # column of the domain name
    expires: str | None  # column of the expiry date


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        "markmonitor",
        "MarkMonitor",
        "MarkMonitor Inc.",
        ("Domain Name", "Registrant Organization", "Account Name", "Brand"),
        "Domain Name",
        "Expiration Date",
    ),
    ExportFormat(
        "csc",
        "CSC",
        "CSC Corporate Domains, Inc.",
        ("Domain", "Business Unit", "Registrant Org", "Expiration Date"),
        "Domain",
        "Expiration Date",
    ),
    ExportFormat(
        "godaddy",
        "GoDaddy",
        "GoDaddy.com, LLC",
        ("Domain Name", "Expiration Date", "Auto-renew", "Privacy", "Locked"),
        "Domain Name",
        "Expiration Date",
    ),
    ExportFormat(
        "namecheap",
        "Namecheap",
        "NameCheap, Inc.",
        ("Domain Name", "Expire Date", "Auto-Renew", "Domain Privacy"),
        "Domain Name",
        "Expire Date",
    ),
    ExportFormat(
        "cloudflare",
        "Cloudflare Registrar",
        "Cloudflare, Inc.",
        ("Domain", "Zone ID", "Expires At", "Auto Renew"),
        "Domain",
        "Expires At",
    ),
    ExportFormat(
        "gandi",
        "Gandi",
        "Gandi SAS",
        ("FQDN", "Expiration date", "Auto renewal", "Owner"),
        "FQDN",
        "Expiration date",
    ),
)

# Dates as the exports write them: ISO, ISO with a time, US and European day-first forms.
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%d.%m.%Y",
    "%d %b %Y",
    "%b %d, %Y",
)


def _norm(header: str) -> str:
    return " ".join(header.strip().lstrip("\ufeff").casefold().split())


def detect(header: Sequence[str]) -> ExportFormat | None:
    present = {_norm(h) for h in header}
    for fmt in FORMATS:
        if all(_norm(column) in present for column in fmt.signature):
            return fmt
    return None


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`--map domain=COLUMN --map expires=COLUMN` to {field: column}."""
    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip():
            raise UsageError(f"--map {item!r}: expected FIELD=COLUMN, e.g. domain='Domain Name'")
        if field not in ("domain", "expires"):
            raise UsageError(f"--map {item!r}: the fields are domain and expires")
        mapping[field] = column.strip()
    if mapping and "domain" not in mapping:
        raise UsageError("--map needs domain=COLUMN (the column that holds the domain names)")
    return mapping


def read_export(path: Path, mapping: Mapping[str, str] | None = None) -> list[Sighting]:
    """Every domain of one export, in file order."""
    shown = str(path)
    text = read_text(path, encoding="utf-8-sig", hint="save the export as UTF-8 CSV")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty: expected a CSV header", file=shown, line=1) from None
    except csv.Error as exc:
        raise InputError(f"not a CSV header: {exc}", file=shown, line=1) from None
    columns = {_norm(h): i for i, h in enumerate(header)}
    if mapping:
        fmt = ExportFormat("csv", "CSV", "", (), mapping["domain"], mapping.get("expires"))
        for column in filter(None, (fmt.domain, fmt.expires)):
            if _norm(column) not in columns:
                raise InputError(
                    f"--map names a column {column!r} that the header does not have",
                    file=shown,
                    line=1,
                    hint="columns: " + ", ".join(h.strip() for h in header),
                )
    else:
        found = detect(header)
        if found is None:
            raise InputError(
                "not a registrar export socialgov recognises",
                file=shown,
                line=1,
                hint="recognised: "
                + ", ".join(f.label for f in FORMATS)
                + "; for another CSV pass --map domain=COLUMN [--map expires=COLUMN]",
            )
        fmt = found
    domain_at = columns[_norm(fmt.domain)]
    expires_at = columns.get(_norm(fmt.expires)) if fmt.expires else None
    sightings: list[Sighting] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"not valid CSV: {exc}", file=shown, line=reader.line_num) from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(
                f"the row has {plural(len(row), 'field')}, the header {len(header)}",
                file=shown,
                line=line,
                hint="a field with a comma must be in double quotes",
            )
        cell = row[domain_at].strip()
        name = clean_host(cell)
        if name is None:
            raise InputError(f"{fmt.domain} {cell!r} is not a domain name", file=shown, line=line)
        expires = None
        if expires_at is not None and row[expires_at].strip():
            expires = _date(row[expires_at].strip())
            if expires is None:
                raise InputError(
                    f"{fmt.expires} {row[expires_at].strip()!r} is not a date",
                    file=shown,
                    line=line,
                    hint="expected a date like 2027-05-05 or 05/05/2027",
                )
        evidence = f"in the {fmt.label} export" if fmt.key != "csv" else "in the CSV export"
        if expires is not None:
            evidence += f", expires {expires.isoformat()}"
        sightings.append(
            Sighting(
                name=name,
                source=f"{shown}:{line}",
                reader=fmt.key,
                evidence=evidence,
                registered=True,
                expires=expires,
                registrar=fmt.registrar or None,
            )
        )
    return sightings


def _date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
