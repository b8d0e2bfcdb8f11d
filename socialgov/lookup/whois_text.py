"""A generic reader of WHOIS answers: lines into keyed fields, fields into registration facts.

It knows layouts, not registries: `Key: value`, `key.....: value`, `[Key] value` (JPRS),
sections whose values are indented or follow a header line (`Registrar:` / `   Name: X`,
`Name servers:` / `   ns1.x.com`), blank-line separated RPSL objects with handles, and
`Record created on 2000-08-29` lines without a colon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from socialgov.lookup.dates import parse_whois_date
from socialgov.lookup.patterns import (
    clean_registrar,
    host_name,
    is_placeholder,
    name_servers_in,
    statuses_in,
    unique,
)


@dataclass(frozen=True, slots=True)
class Field:
    key: str  # normalised: lower case, single spaces, no dots, brackets, `-` or `_`
    value: str
    section: str  # normalised header this line sits under, "" at top level
    block: int  # index of the blank-line separated block
    index: int


_KV = re.compile(
    r"^(?:[a-z]\.\s+)?\[([^\[\]]{1,40})\]\s*(.*)$|^([^:\[\]]{1,60}?)[\s.]*:(?!//)\s*(.*)$"
)
_KEY_WORD_LIMIT = 8
# Longer lines are prose or junk; cutting them keeps every pattern below linear in time.
_MAX_LINE = 1000
_MAX_LINES = 2000  # real answers have a few hundred; the rest of a longer one is ignored
_DATE_IN_KEY = re.compile(r"\d{4}|\d[-/.]\d{1,2}[-/.]\d")
# An empty `Key:` at the indentation of its children is a header only if it does not name a
# field itself (`Registrar Registration Expiration Date:` with no value is an empty field).
_FIELD_SUFFIX = re.compile(
    r"\b(date|id|url|server|e ?mail|phone|fax|ext|street|city|code|province|country|status"
    r"|dnssec|on|time|number|name|organi[sz]ation|org|reseller|handle|type)$"
)
_DATE_PHRASE = re.compile(r"^([A-Za-z][A-Za-z ]{2,40}?)\s+(?:on\s+|at\s+)?(\d.*)$")


def normalise_key(key: str) -> str:
    key = re.sub(r"[-_./]+", " ", key.lower())
    key = re.sub(r"^[^a-z0-9]+|[^a-z0-9)]+$", "", key)
    return " ".join(key.split())


def _split(line: str) -> tuple[str, str] | None:
    m = _KV.match(line)
    if not m:
        return None
    key, value = (m[1], m[2]) if m[1] is not None else (m[3], m[4])
    if _DATE_IN_KEY.search(key):
        return None  # `Record expires on 2021-11-09 00:00:00`: the colon is the time's
    key = normalise_key(key)
    if not key or not re.search(r"[a-z]", key) or len(key.split()) > _KEY_WORD_LIMIT:
        return None
    return key, value.strip()


def _date_phrase(line: str) -> tuple[str, str] | None:
    """`Record expires on 2011-11-09 (YYYY-MM-DD)` → (`record expires on`, `2011-11-09 …`)."""
    m = _DATE_PHRASE.match(line)
    if m and len(m[1].split()) <= 6 and parse_whois_date(m[2]):
        return normalise_key(m[1]), m[2].strip()
    return None


def _looks_like_header(line: str) -> bool:
    return (
        len(line) <= 48
        and len(line.split()) <= 6
        and not line.endswith((".", ",", ";", "!"))
        and re.match(r"^[A-Za-z][A-Za-z /()&'-]*$", line) is not None
    )


def _flat_child(kv: tuple[str, str] | None, line: str, header_colon: bool) -> bool:
    if kv is None:
        return header_colon or not _looks_like_header(line)
    return bool(kv[1]) and len(kv[0].split()) <= 2


def tokenize(text: str) -> list[Field]:
    """Fields in document order; each knows its section (header) and block."""
    out: list[Field] = []
    block = 0
    section = ""
    section_indent = -1
    section_kind = ""  # "pending" (header seen), "indent", "flat" (children at header indent)
    header_colon = False
    children = 0
    last_key = ""
    last_indent = 0

    def emit(key: str, value: str, sec: str) -> None:
        out.append(Field(key, value, sec, block, len(out)))

    for raw in text.split("\n", _MAX_LINES)[:_MAX_LINES]:
        line = raw[:_MAX_LINE].rstrip()
        stripped = line.strip()
        if not stripped:
            if section and children == 0:
                continue  # `Name servers:` / blank / the list
            if section or last_key:
                block += 1
            section, section_kind, last_key = "", "", ""
            continue
        if stripped[0] in "%#" or stripped.startswith((">>>", "--")):
            continue
        indent = len(line) - len(line.lstrip())
        kv = _split(stripped)

        if section:
            if section_kind == "pending":
                if indent > section_indent:
                    section_kind = "indent"
                elif (
                    kv
                    and kv[1]
                    and len(kv[0].split()) <= 2
                    and not (header_colon and _FIELD_SUFFIX.search(section))
                ) or (kv is None and header_colon):
                    section_kind = "flat"
                else:
                    section = ""
            if section and (
                (section_kind == "indent" and indent > section_indent)
                or (section_kind == "flat" and _flat_child(kv, stripped, header_colon))
            ):
                children += 1
                if kv is not None and kv[1]:
                    emit(kv[0], kv[1], section)
                    last_key, last_indent = kv[0], indent
                elif kv is None:
                    emit("", stripped, section)
                    last_key = ""
                continue
            section, section_kind = "", ""

        if kv is None:
            if last_key and indent > last_indent:
                emit(last_key, stripped, "")  # continuation of a multi-line value
                continue
            if _looks_like_header(stripped):
                section, section_indent, section_kind = normalise_key(stripped), indent, "pending"
                header_colon, children, last_key = False, 0, ""
                continue
            if phrase := _date_phrase(stripped):
                emit(phrase[0], phrase[1], "")
            last_key = ""
            continue
        key, value = kv
        if not value:
            section, section_indent, section_kind = key, indent, "pending"
            header_colon, children, last_key = True, 0, ""
            continue
        emit(key, value, "")
        last_key, last_indent = key, indent
    return out


# ---------------------------------------------------------------------------------------
# Which keys mean what. Each list is ordered: an earlier pattern beats a later one.


def _patterns(*alternatives: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"^(?:{a})$") for a in alternatives)


_CREATED = _patterns(
    r"(domain )?(creation|created|create|registration|registered) (date|time|on)( utc)?",
    r"first registration date",
    r"(date|record|domain) (registered|created)( on)?",
    r"domain (name )?commencement date|domain dateregistered|first registered( on)?",
    r"created|registered|registration|assigned|activated|domain record activated",
    r"(?!.*\b(by|registrar|registrant|expir\w*|updated?|modif\w*|period|status|type|service|"
    r"number|trademark|option|validation|server|id|lock|contact|url|agent|ip|renew\w*|"
    r"database|country)\b).*\b(creat\w*|registered|registration)\b.*",
)
_EXPIRES = _patterns(
    r"registry (expiry|expiration) date|(domain )?expiration date|(domain )?expiry date",
    r"expiration time|exp date",
    r"registrar registration expiration date|(record |domain )?expires on|expire date",
    r"expires|expire|expiry|expiration|paid till|renewal date|valid until|validity",
    r"domain datebilleduntil|billed until|renewal",
    r"(?!.*\b(option|trademark|transfer|grace|redemption|delet\w*|hold|registrar)\b)"
    r".*\b(expir\w*|paid till|valid until)\b.*",
)
_UPDATED = _patterns(
    r"(domain )?(updated|last updated|last modified|modified|modification|last update|update)"
    r"( date| on)?",
    r"(record |domain )?last updated( date| on)?|domain datelastmodified|last changed",
    r"changed|last update|modified",
)
_REGISTRAR = _patterns(
    r"regist?r?ar|sponsoring regist?r?ar|regist?r?ar name|registrar organi[sz]ation",
    r"registration service provider|current regist?r?ar|registrar of record",
    r"authori[sz]ed agency|sponsoring registrar organi[sz]ation|registrar company",
)
_REGISTRAR_SECTION = re.compile(r"^(sponsoring )?registrar( information| details| contact)?$")
_REGISTRAR_IN_SECTION = _patterns(
    r"name|registrar|registrar name|organi[sz]ation( name)?|org|company( name)?"
)
_NS_KEYS = re.compile(
    r"^(name ?servers?|nservers?|dns|ns ?\d*|name ?server ?\d+|nameserver ?\d+|dns servers?"
    r"|domain (name ?servers|servers)( in listed order)?|name servers? information"
    r"|name servers in (the )?listed order|(primary|secondary|tertiary) (name ?)?server"
    r"|host ?name|servers?|domain nameservers|ns name ?\d*)$"
)
_NS_SECTION = re.compile(r"name ?servers?|nservers?|dns servers|domain servers|nameserver")
_NS_SECTION_ONLY_KEYS = {"host name", "hostname", "server", "servers", "dns"}
_STATUS = _patterns(r"(domain |registration |epp |ren )?(status|state)|eppstatus|domain status\w*")
_ORG = _patterns(
    r"registrant (contact )?organi[sz]ation|registrant org|registrant company( name)?",
    r"(domain )?holder organi[sz]ation|org name|organi[sz]ation|org|registrant|owner|holder",
    r"company name",
    r"registrant (contact )?name|registrant person",
    r"descr",
)
_REGISTRANT_SECTION = re.compile(
    r"^(registrant|holder|owner|domain holder|registrant contact)( information| details)?$"
    r"|^holder of (the )?domain( name)?$"
    r"|^organi[sz]ation using domain name$"
)
_ORG_IN_SECTION = _patterns(
    r"organi[sz]ation|organisation name|org|company( english)?( name)?|company english name.*",
    r"name|registrant|holder",
)
_EMAIL_KEYS = _patterns(r"registrant (contact )?e ?mail( address)?")
_EMAIL_IN_SECTION = _patterns(r"e ?mail( address)?")
_HANDLE_KEYS = {"registrant", "holder", "holder c", "owner c", "registrant c", "registrant id"}
_OBJECT_ID_KEYS = {"nic hdl", "nic hdl br", "contact", "contact id", "handle", "id", "nic handle"}
_CONTACT_BLOCK_START = {
    "person",
    "contact",
    "contact id",
    "nic hdl",
    "nic hdl br",
    "role",
    "handle",
}
_CONTACT_SECTION = re.compile(
    r"registrant|admin|tech|billing|contact|registrar|holder|owner|reseller|zone|onsite|abuse"
    r"|person|agent|provider"
)
_HANDLE = re.compile(r"^(?=.*\d)[A-Za-z0-9][\w-]{2,40}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@dataclass(slots=True)
class WhoisFacts:
    domain_key_found: bool = False
    registrar: str | None = None
    registrant_org: str | None = None
    registrant_redacted: bool = False
    registrant_email: str | None = None
    created: date | None = None
    expires: date | None = None
    updated: date | None = None
    name_servers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_domain_facts(self) -> bool:
        return bool(self.created or self.expires or self.registrar or self.name_servers)


class _Reader:
    def __init__(self, domain: str, fields: Sequence[Field]) -> None:
        self.domain = domain.lower().rstrip(".")
        self.fields = list(fields)
        self.contact_blocks = self._contact_blocks()
        self.domain_block = next(
            (f.block for f in self.fields if f.value.lower().rstrip(".") == self.domain), None
        )

    def _contact_blocks(self) -> set[int]:
        first: dict[int, str] = {}
        for f in self.fields:
            first.setdefault(f.block, f.key)
        return {block for block, key in first.items() if key in _CONTACT_BLOCK_START}

    def _domain_level(self) -> Iterable[Field]:
        for f in self.fields:
            if f.block in self.contact_blocks:
                continue
            if f.section and _CONTACT_SECTION.search(f.section):
                continue
            yield f

    def _rank(self, f: Field, pattern_rank: int) -> tuple[int, int, int]:
        outside = 0 if self.domain_block is None or f.block == self.domain_block else 1
        return (outside, pattern_rank, f.index)

    def _best(
        self,
        patterns: Sequence[re.Pattern[str]],
        fields: Iterable[Field],
        accept: type[date] | type[str],
    ) -> tuple[Field, date | str] | None:
        best: tuple[tuple[int, int, int], Field, date | str] | None = None
        for f in fields:
            key = f.key or f.section
            for rank, pattern in enumerate(patterns):
                if pattern.match(key):
                    value: date | str | None = (
                        parse_whois_date(f.value) if accept is date else f.value.strip()
                    )
                    if value:
                        order = self._rank(f, rank)
                        if best is None or order < best[0]:
                            best = (order, f, value)
                    break
        return (best[1], best[2]) if best else None

    def date_of(self, patterns: Sequence[re.Pattern[str]]) -> date | None:
        found = self._best(patterns, self._domain_level(), date)
        return found[1] if found and isinstance(found[1], date) else None

    def registrar(self) -> str | None:
        candidates = [f for f in self.fields if f.block not in self.contact_blocks]
        keyed = [f for f in candidates if not f.section or _REGISTRAR_SECTION.match(f.section)]
        found = self._best(_REGISTRAR, keyed, str)
        if found and isinstance(found[1], str):
            strip_id = found[0].key.startswith("sponsoring")
            if name := clean_registrar(found[1], strip_id=strip_id):
                return name
        in_section = [f for f in candidates if _REGISTRAR_SECTION.match(f.section)]
        found = self._best(_REGISTRAR_IN_SECTION, in_section, str)
        if found and isinstance(found[1], str) and (name := clean_registrar(found[1])):
            return name
        for f in in_section:
            if not f.key and _plain_name(f.value):
                return clean_registrar(f.value)
        return None

    def name_servers(self) -> tuple[str, ...]:
        names: list[str] = []
        for f in self.fields:
            if f.block in self.contact_blocks:
                continue
            in_ns_section = bool(f.section and _NS_SECTION.search(f.section))
            if f.key:
                if not _NS_KEYS.match(f.key):
                    continue
                if f.key in _NS_SECTION_ONLY_KEYS and not in_ns_section and f.key != "dns":
                    continue
            elif not in_ns_section:
                continue
            names.extend(n for n in name_servers_in(f.value) if n != self.domain)
        return unique(names)

    def statuses(self) -> tuple[str, ...]:
        found: list[str] = []
        for f in self._domain_level():
            if any(p.match(f.key) for p in _STATUS):
                found.extend(statuses_in(f.value))
        return unique(found)

    def registrant(self) -> tuple[str | None, bool, str | None]:
        """(organisation, redacted, e-mail) of the registrant."""
        candidates: list[tuple[tuple[int, int, int], str]] = []
        domain_level = [
            f
            for f in self.fields
            if f.block not in self.contact_blocks
            and (not f.section or not _CONTACT_SECTION.search(f.section))
        ]
        for f in domain_level:
            for rank, pattern in enumerate(_ORG):
                if pattern.match(f.key) and f.value:
                    if f.key == "descr" and f.block != self.domain_block:
                        break
                    value = self._resolve_handle(f) if f.key in _HANDLE_KEYS else f.value
                    if value:
                        candidates.append((self._rank(f, rank), value))
                    break
        for f in self.fields:
            if not _REGISTRANT_SECTION.match(f.section):
                continue
            if f.key:
                for rank, pattern in enumerate(_ORG_IN_SECTION):
                    if pattern.match(f.key) and f.value:
                        candidates.append(((0, rank, f.index), f.value))
                        break
            elif _plain_name(f.value) and not _HANDLE.match(f.value):
                candidates.append(((0, len(_ORG_IN_SECTION), f.index), f.value))
        for f in self.fields:
            if f.key in ("holder c", "registrant c", "owner c") and (
                resolved := self._resolve_handle(f)
            ):
                candidates.append(((0, 1, f.index), resolved))
        candidates.sort(key=lambda c: c[0])
        email = self._registrant_email()
        if not candidates:
            return None, False, email
        best = " ".join(candidates[0][1].split())
        if is_placeholder(best):
            return None, True, email
        return best, False, email

    def _resolve_handle(self, f: Field) -> str | None:
        if not _HANDLE.match(f.value) or " " in f.value:
            return f.value
        handle = f.value.lower()
        blocks = {
            g.block for g in self.fields if g.key in _OBJECT_ID_KEYS and g.value.lower() == handle
        }
        if not blocks:
            return None if f.key in ("holder c", "registrant c", "owner c") else f.value
        for keys in (("org", "organization", "organisation"), ("contact",), ("person", "name")):
            for g in self.fields:
                if g.block in blocks and g.key in keys and g.value.lower() != handle:
                    return g.value
        return None

    def _registrant_email(self) -> str | None:
        for f in self.fields:
            keyed = any(p.match(f.key) for p in _EMAIL_KEYS)
            in_section = bool(_REGISTRANT_SECTION.match(f.section)) and any(
                p.match(f.key) for p in _EMAIL_IN_SECTION
            )
            if (keyed or in_section) and (m := _EMAIL.search(f.value)):
                return m[0].lower()
        return None


def _plain_name(value: str) -> bool:
    """A bare section line that names someone (not an address, phone, URL or e-mail)."""
    v = value.strip()
    return bool(
        v
        and re.search(r"[A-Za-z]{2}", v)
        and not _EMAIL.search(v)
        and not re.match(r"^(https?://|www\.|\+?[\d\s().-]{6,}$)", v, re.IGNORECASE)
        and not host_name(v)
    )


_IANA_PREAMBLE_END = re.compile(r"^source:\s+IANA\s*$", re.MULTILINE | re.IGNORECASE)


def strip_iana_preamble(text: str) -> str:
    """Drop the IANA root answer that `whois` clients print before the registry's answer."""
    ends = [m.end() for m in _IANA_PREAMBLE_END.finditer(text)]
    if ends and text[ends[-1] :].strip():
        return text[ends[-1] :]
    return text


def read_facts(domain: str, text: str) -> WhoisFacts:
    fields = tokenize(strip_iana_preamble(text))
    reader = _Reader(domain, fields)
    org, redacted, email = reader.registrant()
    return WhoisFacts(
        domain_key_found=reader.domain_block is not None,
        registrar=reader.registrar(),
        registrant_org=org,
        registrant_redacted=redacted,
        registrant_email=email,
        created=reader.date_of(_CREATED),
        expires=reader.date_of(_EXPIRES),
        updated=reader.date_of(_UPDATED),
        name_servers=reader.name_servers(),
        statuses=reader.statuses(),
    )
