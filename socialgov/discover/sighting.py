"""What a reader found: one name seen in one input, with where and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Sighting:
    name: str  # lower-case ASCII host or domain
    source: str  # FILE:LINE, or FILE for a JSON document (with the certificate's id)
    reader: str  # "markmonitor", "csc", …, "csv", "zone", "crt.sh", "certspotter"
    evidence: str  # one line for people
    registered: bool = False  # a registrar export says this domain is registered to the account
    expires: date | None = None
    registrar: str | None = None
    rtype: str | None = None  # zone: the record type of `target`
    target: str | None = None  # zone: the CNAME target or the A/AAAA address
    expired: bool = False  # certificate transparency: every certificate naming it has expired
