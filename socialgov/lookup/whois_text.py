"""A generic reader of WHOIS answers: lines into keyed fields, fields into registration facts.

It knows layouts, not registries: `Key: value`, `key.....: value`, `[Key] value` (JPRS),
sections whose values are indented or follow a header line (`Registrar:` / `   Name: X`,
`Name servers:` / `   ns1.x.com`), blank-line separated RPSL objects with handles, and
`Record created on 2000-08-29` lines without a colon.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from socialgov.lookup.dates import numeric_order, parse_whois_date
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
    r"^(?:[a-z0-9]{1,3}[.)]?\s+)?\[([^\[\]]{1,40})\]\s*(.*)$"
    r"|^([^:\[\]]{1,60}?)[\s.]*:(?!//)\s*(.*)$"
)
# `Nom de domaine#. . . . . . value`, `Registrar......... value`: a dot leader, no colon.
_LEADER = re.compile(r"^([^:\[\].#]{1,60}?)\s*#?\s*(?:\.\s*){3,}(\S.*)$")
# `Domain-name         google.sk`, `Registrar\tGandi SAS`: a tab or a wide gap, no colon.
_GAP = re.compile(r"^([^\W\d_][\w ()/'-]{0,40}?)(?:\t+\s*| {2,})(\S.*)$")
# `Company English Name (It should be the same as …): GOOGLE LLC`: a remark inside the key.
_REMARK_IN_KEY = re.compile(r"^([^:()\[\]]{1,60}?)\s*\([^()]{0,200}\)\s*:\s*(.*)$")
_ENUMERATOR = re.compile(r"^(\d{1,2}[a-z]?|[a-z])[.)]\s+")
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
_DATE_PHRASE = re.compile(
    r"^([A-Za-z][A-Za-z ]{2,40}?)\s+(?:on\s+|at\s+)?((?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:[A-Za-z]{3,9}\.?\s+)?\d.*)$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$", re.IGNORECASE)
_TIME_REST = re.compile(r"^\d{2}(:\d{2})?\b")


@functools.lru_cache(maxsize=8192)
def normalise_key(key: str) -> str:
    key = re.sub(r"[-_./#]+", " ", _ENUMERATOR.sub("", key.strip()).lower())
    key = re.sub(r"^[\W_]+|[^\w)]+$", "", key)
    return " ".join(key.split())


@functools.lru_cache(maxsize=8192)
def _split(line: str) -> tuple[str, str] | None:
    if "(" in line[:80] and (r := _REMARK_IN_KEY.match(line)):
        line = f"{r[1]}: {r[2]}"
    m = _KV.match(line)
    if m:
        key, value = (m[1], m[2]) if m[1] is not None else (m[3], m[4])
    elif (m := _LEADER.match(line)) or (m := _GAP.match(line)):
        key, value = m[1], m[2]
        if len(key.split()) > 4 or len(value.split()) > 8:
            return None  # prose with a wide gap, not a field
    else:
        return None
    if _DATE_IN_KEY.search(key) or (key[-1:].isdigit() and _TIME_REST.match(value)):
        return None  # `Record expires on 2021-11-09 00:00:00`: the colon is the time's
    key = normalise_key(key)
    if not key or not re.search(r"[^\W\d_]", key) or len(key.split()) > _KEY_WORD_LIMIT:
        return None
    return key, value.strip()


def _date_phrase(line: str) -> tuple[str, str] | None:
    """`Record expires on 2011-11-09 (YYYY-MM-DD)` → (`record expires on`, `2011-11-09 …`)."""
    m = _DATE_PHRASE.match(line)
    if m and len(m[1].split()) <= 6 and not _WEEKDAY.match(m[1]) and parse_whois_date(m[2]):
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
    gap = False  # a blank line since the header
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
                gap = True
                continue  # `Name servers:` / blank / the list
            if section or last_key:
                block += 1
            section, section_kind, last_key = "", "", ""
            continue
        if stripped[0] in "%#" or stripped.startswith((">>>", "--")):
            heading = stripped.lstrip("%# ").rstrip()
            if (
                heading.endswith(":")
                and _looks_like_header(heading[:-1].strip())
                and _CONTACT_SECTION.search(normalise_key(heading))
            ):
                # `% Registrant:` (.ua): a commented heading still opens a section
                block += 1
                section, section_indent, section_kind = normalise_key(heading), 0, "pending"
                header_colon, children, last_key, gap = True, 0, "", False
            continue
        indent = len(line) - len(line.lstrip())
        kv = _split(stripped)

        if section:
            if section_kind == "pending":
                if gap and not header_colon and kv is not None:
                    section = ""  # `Inactive variants` / blank / `Registrar Name: …`
                elif indent > section_indent:
                    section_kind = "indent"
                elif (
                    kv
                    and kv[1]
                    and len(kv[0].split()) <= 2
                    and not (header_colon and _FIELD_SUFFIX.search(section))
                ) or (kv is None and (header_colon or not _looks_like_header(stripped))):
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
                    # `Relevant dates:` / `Registered on 30th April 2003`
                    phrase = None if _is_date_key(section) else _date_phrase(stripped)
                    emit(phrase[0] if phrase else "", stripped, section)
                    last_key = ""
                continue
            section, section_kind = "", ""

        if kv is None:
            if last_key and indent > last_indent:
                emit(last_key, stripped, "")  # continuation of a multi-line value
                continue
            if _looks_like_header(stripped):
                section, section_indent, section_kind = normalise_key(stripped), indent, "pending"
                header_colon, children, last_key, gap = False, 0, "", False
                continue
            if phrase := _date_phrase(stripped):
                emit(phrase[0], phrase[1], "")
            last_key = ""
            continue
        key, value = kv
        if not value:
            section, section_indent, section_kind = key, indent, "pending"
            header_colon, children, last_key, gap = True, 0, "", False
            continue
        emit(key, value, "")
        last_key, last_indent = key, indent
    return out


# ---------------------------------------------------------------------------------------
# Which keys mean what. Each list is ordered: an earlier pattern beats a later one.


def _patterns(*alternatives: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"^(?:{a})$") for a in alternatives)


def _is_date_key(key: str) -> bool:
    """A key that names one of the dates itself (`First registration date`, `Entry created`)."""
    return any(key_rank(p, key) is not None for p in (_CREATED, _EXPIRES, _UPDATED))


@functools.lru_cache(maxsize=8192)
def key_rank(patterns: tuple[re.Pattern[str], ...], key: str) -> int | None:
    """The index of the first pattern that matches `key`; keys repeat, so this is cached."""
    for rank, pattern in enumerate(patterns):
        if pattern.match(key):
            return rank
    return None


_CREATED = _patterns(
    r"(domain )?(creation|created|create|registration|registered) (date|time|on)( utc)?",
    r"first registration date",
    r"(date|record|domain) (registered|created)( on)?",
    r"domain (name )?commencement date|domain dateregistered|first registered( on)?",
    r"created|registered|registration|assigned|activated( on)?|domain record activated",
    r"(date )?approved( date)?|record created|registration time|created date",
    # other languages: Spanish, Portuguese, French, Italian, German, Dutch, Nordic, Polish,
    # Czech/Slovak, Turkish, Russian/Ukrainian, Chinese, Japanese, Korean, Thai, Vietnamese,
    # Indonesian
    r"fecha de (registro|creaci[oó]n|alta)|creado|registrado( el)?|data de (registo|registro"
    r"|cria[cç][aã]o)|criado|date de cr[ée]ation|cr[ée]ation|creation date|data (di )?"
    r"(creazione|registrazione)|erstellt( am)?|registriert( seit| am)?|registratiedatum"
    r"|oprettet|registrert|registrerad|data rejestracji|datum registrace|registrace"
    r"|kay[ıi]t tarihi|olu[şs]turulma tarihi|дата (регистрации|создания|реєстрації|створення)"
    r"|создан|зарегистрирован|注册时间|注册日期|註冊日期|創建日期|注册时间 ?utc"
    r"|登録年月日|登録日|등록일|วันที่จดทะเบียน|ngày đăng ký|tanggal (pendaftaran|registrasi)",
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
    r"(date )?renewal( date)?|valid( until| till| to| thru)?( date)?|paid till|free date",
    r"fecha de (vencimiento|expiraci[oó]n|caducidad)|vence|vencimiento|data de (expira[cç][aã]o"
    r"|validade|vencimento)|expira[cç][aã]o|date d.expiration|expire le|scadenza|data di scadenza"
    r"|ablauf(datum)?|l[äa]uft ab|geldig tot|verloopdatum|udl[øo]bsdato|utl[øo]psdato"
    r"|data wyga[sś]ni[eę]cia|platnost do|expirace|biti[şs] tarihi|дата (окончания|истечения"
    r"|закінчення)|оплачен до|действует до|paid till|过期时间|到期时间|到期日期|到期時間|到期日"
    r"|有効期限|만료일|사용 종료일|วันหมดอายุ|ngày hết hạn|tanggal (kedaluwarsa|berakhir)",
    r"(?!.*\b(option|trademark|transfer|grace|redemption|delet\w*|hold|registrar)\b)"
    r".*\b(expir\w*|paid till|valid until)\b.*",
)
_UPDATED = _patterns(
    r"(domain )?(updated|last updated|last modified|modified|modification|last update|update)"
    r"( date| on)?",
    r"(record |domain )?last updated( date| on)?|domain datelastmodified|last changed",
    r"changed|last update|modified",
    r"fecha de (actualizaci[oó]n|modificaci[oó]n)|[uú]ltima actualizaci[oó]n|data de "
    r"(atualiza[cç][aã]o|altera[cç][aã]o)|derni[eè]re modification|ultimo aggiornamento"
    r"|zuletzt ge[äa]ndert|ge[äa]ndert|gewijzigd|data modyfikacji|g[üu]ncelleme tarihi"
    r"|дата (изменения|обновления|оновлення)|обновлено|更新时间|更新日期|最終更新|최근 정보 변경일",
)
_REGISTRAR = _patterns(
    r"regist?r?ar|sponsoring regist?r?ar|regist?r?ar name|registrar organi[sz]ation",
    r"registration service provider|current regist?r?ar|registrar of record",
    r"authori[sz]ed agency|sponsoring registrar organi[sz]ation|registrar company",
    r"registrador|agente registrador|registrado por|registrar de|bureau d.enregistrement"
    r"|registrant agent|registrierstelle|rejestrator|registr[aá]tor|kay[ıi]t (kurulu[şs]u|firmas[ıi])"
    r"|регистратор|реєстратор|注册商|註冊商|注册服务机构|登録担当者|등록대행자|ผู้รับจดทะเบียน"
    r"|nh[aà] đăng k[yý]|registrar handle|registrar id|maintainer|mnt by",
)
_REGISTRAR_SECTION = re.compile(r"^(sponsoring )?registrar( information| details| contact)?$")
_REGISTRAR_IN_SECTION = _patterns(
    r"registrar name|organi[sz]ation( name)?|org|company( name)?", r"name|registrar"
)
_NS_KEYS = re.compile(
    r"^(name ?servers?|nservers?|dns|ns ?\d*|name ?server ?\d+|nameserver ?\d+|dns servers?"
    r"|domain (name ?servers|servers)( in listed order)?|name servers? information"
    r"|name servers in (the )?listed order|(primary|secondary|tertiary) (name ?)?server"
    r"|host ?name|servers?|domain nameservers|ns name ?\d*)$"
)
# Any other key that names a name server (`Domain server 1`, `Primary Server Hostname`,
# `ns1_hostname`, `dns_name`, `Servidores DNS`), unless it names something about one.
_NS_WORDS = re.compile(
    r"\b(n ?servers?|name ?servers?|nameservers?|dns|ns ?\d*|domain servers?|host ?names?"
    r"|servidor(es)?|serveurs?|servers? \d+|сервер\w*|днс)\b"
    r"|\b(primary|secondary|tertiary|third|fourth|fifth|sixth)\b.*\bserver\b|ns\d+ hostname|服务器|伺服器"
    r"|ネームサーバ|네임서버|호스트|เนมเซิร์ฟเวอร์"
)
_NS_NOT = re.compile(
    r"whois|registrar|\bip\b|ipv[46]|address|netaddress|dnssec|status|referral|url|\bid\b"
    r"|rdata|\bkey|sign|handle|\bip-?адрес|email|phone|fax"
)
_NS_SECTION = re.compile(
    r"name ?servers?|nservers?|dns servers|domain servers|nameserver|^servers?$|^hosts?$"
    r"|servidor|serveur|сервер|\bdns\b"
)
_NS_SECTION_ONLY_KEYS = {"host name", "hostname", "server", "servers", "dns"}
_STATUS = _patterns(
    r"(domain |registration |epp |ren )?(status|state)|eppstatus|domain status\w*|flags",
    r"estado|estado del dominio|situa[cç][aã]o|statut|stato|zustand|durum|статус|состояние"
    r"|状态|域名状态|狀態|状態|상태|สถานะ",
)
_ORG = _patterns(
    r"registrant (contact )?organi[sz]ation|registrant org|registrant company( name)?",
    r"(titular|registrante|propietario|titulaire|intestatario|inhaber|houder|eier|innehavare"
    r"|abonent|w[łl]a[śs]ciciel|dr[žz]itel|sahibi|владелец|注册人|註冊人|登録者"
    r"|등록인) ?(organi[sz]a[cç]i[oó]n|organisation|organizzazione|organisation)?( name)?",
    r"org(ani[sz]ation)? name|organizaci[oó]n|organiza[cç][aã]o|organisme|organizzazione"
    r"|организация|組織名|组织|单位名称|機構名稱",
    r"(domain )?holder organi[sz]ation|org name|organi[sz]ation|org|registrant|owner|holder",
    r"company( english)? name",
    r"descr",
)
# A registrant's person name is never taken as the organisation, but a placeholder in it
# still says that the registrant is hidden.
_REGISTRANT_PERSON = _patterns(r"registrant (contact )?name|registrant person|person")
_REGISTRANT_SECTION = re.compile(
    r"^(registrant|holder|owner|domain holder|registrant contact|titular|titulaire|propietario"
    r"|inhaber|houder|registrante|administratorul|owner contact)( information| details| data)?$"
    r"|^holder of (the )?domain( name)?$"
    r"|^organi[sz]ation using domain name$|^organi[sz]ation$"
)
_ORG_IN_SECTION = _patterns(
    r"organi[sz]ation( loc| name)?|organisation name|org|company( english)?( name)?"
    r"|company english name.*|organizaci[oó]n|organiza[cç][aã]o",
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
    r"|person|agent|provider|organi[sz]ation|titular|contacto|contato|t[eé]cnico|financiero"
    r"|kontakt|контакт|titulaire|responsable|propietario|inhaber"
)
_EMPTY = re.compile(r"^\s*(n/?a|none|null|-+|\*+|\.+)?\s*$", re.IGNORECASE)
_HANDLE_LIKE = re.compile(r"^(?=.*[\d.-])[\w.-]{2,40}$")
_HANDLE = re.compile(r"^(?=.*\d)[A-Za-z0-9][\w-]{2,40}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


# Keys of a registration record that are not facts on their own: contacts, holder, changes.
_RECORD_KEY = re.compile(
    r"registrant|holder|owner|titular|titulaire|inhaber|admin|tech|billing|zone c|contact"
    r"|person|nic hdl|organi[sz]a|descr|address|changed|mnt|phone|e ?mail|status|state"
    r"|nombre|name|org\b|dnssec|source|registrar"
)
# Keys that only echo the query or describe the service.
_ECHO_KEY = re.compile(
    r"^(domain( name)?|query|search(ing)?( for)?|name|your query|object|key|domain information"
    r"|nombre de dominio|dominio|domaine|dom[ée]na?)$"
)
_META_KEY = re.compile(
    r"terms|notice|disclaimer|note|remark|comment|last update|whois|information|copyright|url"
    r"|help|welcome|source|query time|when|server|rdap|icann|http"
)


@functools.lru_cache(maxsize=4096)
def _is_record_key(key: str) -> bool:
    return bool(_RECORD_KEY.search(key)) and not _META_KEY.search(key)


def _echo_only(domain: str, fields: Sequence[Field], text: str) -> bool:
    """The answer names the domain and nothing else: a query echo with the service's prose."""
    echoed = False
    for f in fields:
        value = f.value.strip().lower().rstrip(".")
        if domain in value and (not f.key or _ECHO_KEY.match(f.key) or value == domain):
            echoed = True
            continue
        if not f.key:
            if len(f.value.split()) >= 5 or host_name(f.value) is None:
                continue  # prose of the service
            return False
        if _META_KEY.search(f.key) or len(f.key.split()) > 4:
            continue
        return False
    if not echoed:
        lines = text.split("\n", _MAX_LINES)[:_MAX_LINES]
        echoed = any(ln.strip(" \t%#>*\"'.").lower() == domain for ln in lines)
    return echoed


_DOMAIN_NAME_KEY = re.compile(
    r"^(domain( name)?|domainname|domain name \(ascii\)|complete domain name|nombre de dominio"
    r"|dominio|domaine|nom de domaine|domena|doménové jméno|域名|ドメイン名|도메인 이름|domain ?name ?ace)$"
)


def answer_domain(text: str) -> str | None:
    """The domain an answer is about: the value of its first domain-name field."""
    for f in tokenize(strip_iana_preamble(text)):
        if f.key and _DOMAIN_NAME_KEY.match(f.key):
            name = host_name(f.value.split()[0]) if f.value.split() else None
            if name:
                return name
    return None


@dataclass(slots=True)
class WhoisFacts:
    domain_key_found: bool = False
    record_fields: int = 0  # fields of a registration record (contacts, holder, changes)
    echo_only: bool = False
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


# Registries that write numeric dates month first (US and its territories), used when an
# answer's own dates do not settle the order.
_MONTH_FIRST_TLDS = frozenset({"us", "pr", "vi", "gu", "as", "mp", "um"})


class _Reader:
    def __init__(self, domain: str, fields: Sequence[Field]) -> None:
        self.domain = domain.lower().rstrip(".")
        self.fields = list(fields)
        self.contact_blocks = self._contact_blocks()
        order = numeric_order([f.value for f in self.fields[:400]])
        tld = self.domain.rsplit(".", 1)[-1]
        self.month_first = tld in _MONTH_FIRST_TLDS if order is None else order
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
        patterns: tuple[re.Pattern[str], ...],
        fields: Iterable[Field],
        accept: type[date] | type[str],
    ) -> tuple[Field, date | str] | None:
        best: tuple[tuple[int, int, int], Field, date | str] | None = None
        for f in fields:
            rank = key_rank(patterns, f.key or f.section)
            if rank is None:
                continue
            value: date | str | None = (
                parse_whois_date(f.value, month_first=self.month_first)
                if accept is date
                else f.value.strip()
            )
            if value:
                order = self._rank(f, rank)
                if best is None or order < best[0]:
                    best = (order, f, value)
        return (best[1], best[2]) if best else None

    def date_of(self, patterns: tuple[re.Pattern[str], ...]) -> date | None:
        found = self._best(patterns, self._domain_level(), date)
        return found[1] if found and isinstance(found[1], date) else None

    def registrar(self) -> str | None:
        candidates = [f for f in self.fields if f.block not in self.contact_blocks]
        keyed = [f for f in candidates if not f.section or _REGISTRAR_SECTION.match(f.section)]
        in_section = [f for f in candidates if _REGISTRAR_SECTION.match(f.section)]
        named = self._best(_REGISTRAR_IN_SECTION, in_section, str)
        section_name = clean_registrar(named[1]) if named and isinstance(named[1], str) else None
        found = self._best(_REGISTRAR, keyed, str)
        if found and isinstance(found[1], str):
            strip_id = found[0].key.startswith("sponsoring")
            if name := clean_registrar(found[1], strip_id=strip_id):
                if section_name and _HANDLE_LIKE.match(name):
                    return section_name  # `registrar: ua.markmonitor` names it by handle
                return name
        if section_name:
            return section_name
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
                if _NS_KEYS.match(f.key):
                    section_only = f.key in _NS_SECTION_ONLY_KEYS and f.key != "dns"
                    top_level_host = f.key in ("host name", "hostname") and not f.section
                    if section_only and not in_ns_section and not top_level_host:
                        continue
                elif not (_NS_WORDS.search(f.key) and not _NS_NOT.search(f.key)):
                    continue
            elif not in_ns_section:
                continue
            names.extend(n for n in name_servers_in(f.value) if n != self.domain)
        return unique(names)

    def statuses(self) -> tuple[str, ...]:
        found: list[str] = []
        for f in self._domain_level():
            if key_rank(_STATUS, f.key) is not None:
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
            rank = key_rank(_ORG, f.key)
            if rank is None or not f.value:
                continue
            if f.key == "descr" and f.block != self.domain_block:
                continue
            value = self._resolve_handle(f) if f.key in _HANDLE_KEYS else f.value
            if value:
                candidates.append((self._rank(f, rank), value))
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
                candidates.append(((0, 3, f.index), resolved))
        candidates.sort(key=lambda c: c[0])
        email = self._registrant_email()
        if not candidates:
            hidden = any(
                key_rank(_REGISTRANT_PERSON, f.key) is not None and is_placeholder(f.value)
                for f in domain_level
            )
            return None, hidden, email
        best = " ".join(candidates[0][1].split())
        if is_placeholder(best):
            return None, True, email
        # `Registrant:` / `shazow.net Private Registrant  x@proxy.dreamhost.com` / `DreamHost`:
        # a section that says it is a proxy hides the holder whatever name follows.
        section = next(
            (f.section for f in self.fields if f.index == candidates[0][0][2] and f.section), ""
        )
        if (
            section
            and _REGISTRANT_SECTION.match(section)
            and any(
                f.section == section and is_placeholder(f.value) and not _EMPTY.match(f.value)
                for f in self.fields
            )
        ):
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
        keys = ("org", "organization", "organisation", "org name", "organization name")
        for g in self.fields:
            if g.block in blocks and g.key in keys and g.value.lower() != handle:
                return g.value
        return None

    def _registrant_email(self) -> str | None:
        for f in self.fields:
            keyed = key_rank(_EMAIL_KEYS, f.key) is not None
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
    ends = [m.end() for m in _IANA_PREAMBLE_END.finditer(text, 0, 20_000)]  # it comes first
    if ends and text[ends[-1] :].strip():
        return text[ends[-1] :]
    return text


def read_facts(domain: str, text: str) -> WhoisFacts:
    fields = tokenize(strip_iana_preamble(text))
    reader = _Reader(domain, fields)
    org, redacted, email = reader.registrant()
    domain = reader.domain
    return WhoisFacts(
        domain_key_found=reader.domain_block is not None,
        record_fields=sum(1 for f in fields if f.key and _is_record_key(f.key)),
        echo_only=_echo_only(domain, fields, text),
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
