"""DNS zone files in BIND master format, read with dnspython's zone parser.

`$ORIGIN` and relative names work as in BIND; a file without `$ORIGIN` takes its origin from
its name (`example.com.zone`, `db.example.com`, `example.com`). `$INCLUDE` is refused: a
zone file is input, and must not make socialgov read other files.
"""

from __future__ import annotations

import re
from pathlib import Path

from socialgov.discover.names import clean_host
from socialgov.discover.sighting import Sighting
from socialgov.discover.text import read_text
from socialgov.discover.zone_lines import (
    Collector,
    NotPlain,
    Record,
    name_key,
    owner_key,
    rdata_target,
    read_records,
)
from socialgov.errors import InputError

_INCLUDE = re.compile(r"^\s*\$INCLUDE\b", re.IGNORECASE | re.MULTILINE)
_ORIGIN = re.compile(r"^\s*\$ORIGIN\b", re.IGNORECASE | re.MULTILINE)
_POSITION = re.compile(r"^(?:.*?):(\d+): (.*)$", re.DOTALL)


def read_zone(path: Path) -> list[Sighting]:
    """One sighting per owner name of the zone, with its CNAME or A/AAAA target if it has one."""
    shown = str(path)
    text = read_text(path)
    if m := _INCLUDE.search(text):
        raise InputError(
            "$INCLUDE is not allowed: socialgov reads only the files it is given",
            file=shown,
            line=text.count("\n", 0, m.start()) + 1,
            hint="pass each zone file with its own --zone",
        )
    origin = None if _ORIGIN.search(text) else _origin_from_name(path)
    zone_name, records = _records(text, origin, shown)
    lines = _owner_lines(text)
    targets: dict[str, tuple[str, str] | None] = {}
    for owner_name, rtype, value in records:
        known = targets.get(owner_name)
        if rtype is not None and (known is None or (rtype == "CNAME" and known[0] != "CNAME")):
            assert value is not None
            targets[owner_name] = (rtype, value)
        elif owner_name not in targets:
            targets[owner_name] = None
    sightings: list[Sighting] = []
    for owner_text, target in targets.items():
        name = clean_host(owner_text)
        if name is None:
            continue  # a wildcard or a service label (_dmarc): not a host anyone browses to
        if name == zone_name:
            relative = "@"
        else:
            relative = name.removesuffix("." + zone_name) if zone_name else name
        line = lines.get(relative.lower()) or lines.get(name + ".") or 0
        source = f"{shown}:{line}" if line else shown
        if target is None:
            sightings.append(
                Sighting(
                    name=name, source=source, reader="zone", evidence=f"in the zone {zone_name}"
                )
            )
            continue
        rtype, value = target
        sightings.append(
            Sighting(
                name=name,
                source=source,
                reader="zone",
                evidence=f"{rtype} {value} in the zone {zone_name}",
                rtype=rtype,
                target=value,
            )
        )
    return sightings


def _records(text: str, origin: str | None, shown: str) -> tuple[str, list[Record]]:
    """The zone's name and its records (owner, type, target): the plain lines read by
    zone_lines, the rest by dnspython; the whole file by dnspython when that reader gives
    up, which is also where every error of the file is reported."""
    import dns.exception
    import dns.zonefile

    try:
        zone, records = read_records(text, origin, shown)
    except NotPlain:
        pass
    else:
        return (name_key(zone) if zone else ""), records
    try:
        parsed = _parse(text, origin, shown)
    except dns.zonefile.UnknownOrigin:
        raise InputError(
            "the zone's origin is unknown",
            file=shown,
            line=1,
            hint="start the file with $ORIGIN example.com. or name it example.com.zone",
        ) from None
    except dns.exception.SyntaxError as exc:
        message = str(exc)
        line = 1
        if m := _POSITION.match(message):
            line, message = _culprit(text, origin, shown, int(m.group(1))), m.group(2)
        raise InputError(f"not a valid zone file: {message}", file=shown, line=line) from None
    except dns.exception.DNSException as exc:
        raise InputError(f"not a valid zone file: {exc}", file=shown, line=1) from None
    zone_origin = parsed.origin
    zone_name = zone_origin.to_text(omit_final_dot=True).lower() if zone_origin else ""
    return zone_name, [(owner_key(owner), *rdata_target(rdata)) for owner, rdata in parsed.records]


def _parse(text: str, origin: str | None, shown: str) -> Collector:
    import dns.name
    import dns.rdataclass
    import dns.tokenizer
    import dns.zonefile

    records = Collector(dns.name.from_text(origin) if origin else None)
    reader = dns.zonefile.Reader(
        dns.tokenizer.Tokenizer(text, shown),
        dns.rdataclass.IN,
        records,  # type: ignore[arg-type]
        allow_include=False,
        allow_directives=True,
    )
    reader.read()
    return records


def _culprit(text: str, origin: str | None, shown: str, line: int) -> int:
    """The line at fault: dnspython reports the line after it when the error came once the
    record's end of line was read; the text up to the line before tells which it is."""
    if line <= 1:
        return 1
    head = "".join(text.splitlines(keepends=True)[: line - 1])
    try:
        _parse(head, origin, shown)
    except Exception:
        return line - 1
    return line


def _origin_from_name(path: Path) -> str | None:
    stem = path.name
    for suffix in (".zone", ".db", ".txt", ".hosts"):
        stem = stem.removesuffix(suffix)
    stem = stem.removeprefix("db.")
    name = clean_host(stem)
    return name + "." if name else None


def _owner_lines(text: str) -> dict[str, int]:
    """The first line on which each owner name (as written) starts a record."""
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw and not raw[0].isspace() and raw[0] not in ";$(":
            token = raw.split(None, 1)[0].lower()
            lines.setdefault(token, number)
    return lines
