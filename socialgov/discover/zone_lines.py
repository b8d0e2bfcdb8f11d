"""A fast reader for the plain lines of a zone file, with dnspython for everything else.

Discovery needs each record's owner name and, for A, AAAA and CNAME records, the target.
dnspython's zone reader builds a name object, a tokenizer pass and an rdata object per
record, which made it most of `discover`'s time on a large zone. Most lines of a real zone
are plain: `owner [ttl] [IN] [ttl] A|AAAA|CNAME value [; comment]` with ordinary names.
Those are read here, with the same rules as dnspython (relative names, `@`, `$ORIGIN`,
`$TTL`, the owner of an indented line, names outside the zone skipped); every other line
— other record types, quoted strings, parentheses, escapes, other directives, anything
unusual — goes to dnspython's own reader as a chunk, in the state the lines before it left
(origin, last owner, TTLs), and the state it leaves is carried on.

On any error, or anything this reader is not sure of, `read_records` raises `NotPlain`
and the caller reads the whole file with dnspython, which reports the error exactly as
before. tests/discover/test_zone_lines.py compares both readers on every test zone and on
generated ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A line without quotes, parentheses, backslashes or control characters (tab aside).
_PLAIN = re.compile(r"[\t !#-'*-\[\]-~]*")
# A name of ordinary labels: none of the characters dnspython escapes in its text form.
_NAME = re.compile(r"(?:[A-Za-z0-9_*/+=-]{1,63}\.)*[A-Za-z0-9_*/+=-]{1,63}\.?|\.")
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                   r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])")  # fmt: skip
_FAST_TYPES = frozenset(("A", "AAAA", "CNAME"))
_MAX_TTL = 2**32 - 1
# Above this share of lines handed to dnspython, one whole-file read is cheaper.
_MAX_DELEGATED_SHARE = 0.25

Record = tuple[str, str | None, str | None]  # owner (lower case, no final dot), type, target


class NotPlain(Exception):
    """The fast reader gives up: read the whole file with dnspython."""


@dataclass
class _State:
    """What dnspython's Reader carries from line to line (names as absolute text)."""

    zone: str | None  # the zone's origin
    origin: str | None  # the current $ORIGIN
    last_name: str | None
    last_ttl: int = 0
    last_ttl_known: bool = False
    default_ttl: int = 0
    default_ttl_known: bool = False
    default_ttl_from_soa: bool = False


def read_records(text: str, origin: str | None, shown: str) -> tuple[str | None, list[Record]]:
    """The zone's origin (absolute text) and its records in file order, as dnspython's zone
    reader would give them; NotPlain when dnspython must read the file itself."""
    if origin is not None and not _NAME.fullmatch(origin):
        raise NotPlain
    state = _State(zone=origin, origin=origin, last_name=origin)
    records: list[Record] = []
    lines = text.split("\n")
    delegated = 0
    limit = max(50, int(len(lines) * _MAX_DELEGATED_SHARE))
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.endswith("\r"):
            line = line[:-1]
        if _PLAIN.fullmatch(line) and _plain_line(line, state, records):
            index += 1
            continue
        end = _chunk_end(lines, index)
        delegated += end - index
        if delegated > limit:
            raise NotPlain
        _delegate("\n".join(lines[index:end]) + "\n", state, records, shown)
        index = end
    return state.zone, records


def _plain_line(line: str, state: _State, records: list[Record]) -> bool:
    """Read one plain line into `records` and `state`; False to hand it to dnspython."""
    body = line.split(";", 1)[0]
    tokens = body.split()
    if not tokens:  # blank, or only a comment
        # dnspython asks for an origin as soon as a line starts with blanks
        return not (line[0:1] in (" ", "\t") and state.origin is None)
    if line[0] == "$":
        return _directive(tokens, state)
    if line[0] in " \t":
        owner = state.last_name
        rest = tokens
    else:
        if state.origin is None:
            return False
        owner = _absolute(tokens[0], state.origin)
        rest = tokens[1:]
    if owner is None or state.zone is None:
        return False
    if not _in_zone(owner, state.zone):  # dnspython skips the line unread
        if line[0] not in " \t":
            state.last_name = owner
        return True
    at = 0
    ttl: int | None = None
    if at < len(rest) and rest[at].isdigit():
        ttl, at = int(rest[at]), at + 1
    if at < len(rest) and rest[at].upper() == "IN":
        at += 1
    if ttl is None and at < len(rest) and rest[at].isdigit():
        ttl, at = int(rest[at]), at + 1
    if len(rest) != at + 2 or (ttl is not None and ttl > _MAX_TTL):
        return False
    rtype, value = rest[at].upper(), rest[at + 1]
    if rtype not in _FAST_TYPES:
        return False
    if ttl is None and not (state.last_ttl_known or state.default_ttl_known):
        return False  # dnspython's "missing default TTL"
    target = _target(rtype, value, state.origin)
    if target is None:
        return False
    if line[0] not in " \t":
        state.last_name = owner
    if ttl is not None:
        state.last_ttl, state.last_ttl_known = ttl, True
    records.append((name_key(owner), rtype, target))
    return True


def _directive(tokens: list[str], state: _State) -> bool:
    keyword = tokens[0].upper()
    if len(tokens) != 2:
        return False
    if keyword == "$TTL":
        if not tokens[1].isdigit() or int(tokens[1]) > _MAX_TTL:
            return False
        state.default_ttl = int(tokens[1])
        state.default_ttl_known = True
        state.default_ttl_from_soa = False
        return True
    if keyword == "$ORIGIN":
        if state.origin is None and not tokens[1].endswith("."):
            return False  # a relative $ORIGIN with no origin: dnspython's error
        name = _absolute(tokens[1], state.origin or ".")
        if name is None:
            return False
        state.origin = name
        if state.zone is None:
            state.zone = name
        return True
    return False


def _absolute(token: str, origin: str | None) -> str | None:
    """The absolute text of a name as dnspython writes it; None for any unusual name."""
    if origin is None:
        return None
    if token == "@":
        return origin
    if not _NAME.fullmatch(token):
        return None
    if token.endswith("."):
        name = token
    elif origin == ".":
        name = token + "."
    else:
        name = f"{token}.{origin}"
    if len(name) > 254 or "\\" in origin:  # 255 octets on the wire
        return None
    return name


def _target(rtype: str, value: str, origin: str | None) -> str | None:
    if rtype == "A":
        return value if _IPV4.fullmatch(value) else None
    if rtype == "AAAA":
        import dns.exception
        import dns.ipv6

        try:
            return dns.ipv6.canonicalize(value).lower()
        except (dns.exception.DNSException, ValueError):
            return None
    name = _absolute(value, origin)
    return None if name is None else name.rstrip(".").lower()


def name_key(name: str) -> str:
    """An absolute name's text as `Name.to_text(omit_final_dot=True)`, lower case."""
    return "." if name == "." else name[:-1].lower()


def _in_zone(name: str, zone: str) -> bool:
    if "\\" in name or "\\" in zone:
        import dns.name

        return dns.name.from_text(name).is_subdomain(dns.name.from_text(zone))
    if zone == ".":
        return True
    name, zone = name.lower(), zone.lower()
    return name == zone or name.endswith("." + zone)


def _chunk_end(lines: list[str], start: int) -> int:
    """The index after the last line of the entry starting at `start`: through the line
    that closes its parentheses (quotes, escapes and comments respected)."""
    depth = 0
    index = start
    while index < len(lines):
        line = lines[index]
        index += 1
        quoting = False
        skip = False
        for char in line:
            if skip:
                skip = False
            elif char == "\\":
                skip = True
            elif quoting:
                quoting = char != '"'
            elif char == '"':
                quoting = True
            elif char == ";":
                break
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
        if quoting or depth <= 0:
            break
    return index


def _delegate(chunk: str, state: _State, records: list[Record], shown: str) -> None:
    """Read `chunk` with dnspython's zone reader, started in `state`; update both."""
    import dns.exception
    import dns.name
    import dns.rdataclass
    import dns.tokenizer
    import dns.zonefile

    def name(text: str | None) -> Any:
        return None if text is None else dns.name.from_text(text)

    collected = Collector(name(state.zone))
    reader = dns.zonefile.Reader(
        dns.tokenizer.Tokenizer(chunk, shown),
        dns.rdataclass.IN,
        collected,  # type: ignore[arg-type]
        allow_include=False,
        allow_directives=True,
    )
    reader.current_origin = name(state.origin)
    reader.last_name = name(state.last_name)
    reader.last_ttl, reader.last_ttl_known = state.last_ttl, state.last_ttl_known
    reader.default_ttl, reader.default_ttl_known = state.default_ttl, state.default_ttl_known
    reader.default_ttl_from_soa = state.default_ttl_from_soa
    try:
        reader.read()
    except Exception as exc:  # dnspython's errors, with the whole file's line numbers
        raise NotPlain from exc

    def text(value: Any) -> str | None:
        return None if value is None else value.to_text()

    state.zone = text(collected.origin)
    state.origin = text(reader.current_origin)
    state.last_name = text(reader.last_name)
    state.last_ttl, state.last_ttl_known = reader.last_ttl, reader.last_ttl_known
    state.default_ttl, state.default_ttl_known = reader.default_ttl, reader.default_ttl_known
    state.default_ttl_from_soa = reader.default_ttl_from_soa
    for owner, rdata in collected.records:
        records.append((owner_key(owner), *rdata_target(rdata)))


_TYPE_NAMES = {1: "A", 5: "CNAME", 28: "AAAA"}  # the record types that say where a host points


def owner_key(owner: Any) -> str:
    return str(owner.to_text(omit_final_dot=True)).lower()


def rdata_target(rdata: Any) -> tuple[str | None, str | None]:
    rtype = _TYPE_NAMES.get(rdata.rdtype)
    if rtype is None:
        return None, None
    return rtype, rdata.to_text().rstrip(".").lower()


class Collector:
    """What dnspython's zone reader needs of a transaction, collecting the records in order.

    `dns.zone.from_text` builds a versioned zone through a full transaction per record,
    which costs more than the parsing; discovery only needs the records."""

    def __init__(self, origin: Any) -> None:
        self.manager = self
        self.origin = origin
        self.records: list[tuple[Any, Any]] = []

    def origin_information(self) -> tuple[Any, bool, Any]:
        return self.origin, False, self.origin

    def check_put_rdataset(self, check: Any) -> None:
        pass

    def add(self, name: Any, ttl: int, rdata: Any) -> None:
        self.records.append((name, rdata))

    def add_unicode(self, value: str) -> None:
        pass

    def _set_origin(self, origin: Any) -> None:
        if self.origin is None:
            self.origin = origin
