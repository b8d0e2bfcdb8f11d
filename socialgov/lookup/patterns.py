"""General text patterns of registration data: placeholders, "not found", refusals, host names."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A registrant value that hides the holder: GDPR redaction or a privacy/proxy service.
_PLACEHOLDER = re.compile(
    r"redact|privacy|\bproxy\b|withheld|disclos|\bmask(ed|ing)\b|\bgdpr\b|non-?public"
    r"|anonymi[sz]|\bhidden\b|\bconcealed\b|obscured|\bwhois\b|whoisguard"
    r"|(domain|data|id|identity|contact|whois|registrant|private) ?protect"
    r"|\bprivate ?(whois|registration|registrant|domain|person|individual|by design)"
    r"|^\s*private\s*$|on behalf of|\bc/o\b|not (available|applicable|shown|published)"
    r"|statutory|please (query|contact|visit|see)|contact (the )?registrar|select contact"
    r"|^\s*(n/?a|none|null|-+|\*+|\.+)\s*$|data protected"
    # proxy companies that hold domains for their customers
    r"|domains by proxy|contact privacy|privacyguardian|perfect privacy|whoisproxy|whois agent"
    r"|identity protect|registration private|private registration|domain admin(istrator)? privacy"
    r"|protected ?domain ?services|redacted for|private person|privacydotlink|dynadot privacy"
    r"|(see|visit) privacyguardian|namecheap privacy|withheld for privacy|1&1 internet privacy"
    # other languages: Spanish/Portuguese, French, German, Dutch, Italian, Russian, Chinese
    r"|datos (protegidos|privados|ocultos)|dados (protegidos|privados|ocultos)|no disponible"
    r"|donn[ée]es (prot[ée]g[ée]es|masqu[ée]es|personnelles)|non (publi|diffus)"
    r"|nicht (ver[öo]ffentlicht|angegeben|[öo]ffentlich)|datenschutz|afgeschermd|afgeschermd"
    r"|persoonsgegevens|riservat|dati (personali|non)|скрыт|персональные данные|隐私|隱私|非公开",
    re.IGNORECASE,
)


def is_placeholder(value: str) -> bool:
    """True for redaction and privacy-service texts: no evidence of who holds the domain."""
    return bool(_PLACEHOLDER.search(value))


# "Not found" statements, by language family. A statement is one short line of the answer
# (comment marks stripped) that carries one of these phrases and no hedge word, so that legal
# boilerplate ("…to check whether a domain is available…") never counts.
_NOT_FOUND_PHRASES = (
    # English: registries
    r"no match(es|ing)?\b|\bnot found\b|\bno[_ ]found\b|no (entries|entry|data|object|objects"
    r"|records?|results?|information|domain records?)( were| was)? (found|available|matching)"
    r"|nothing found|no such (domain|object)|no matching (record|domain|object|entries)"
    r"|object[ _]not[ _]found|(object|domain( name)?|key) (does not|doesn't|did not) exist"
    r"|does not exist in (the |our )?(database|registry)"
    r"|\bnot (been )?regist(e)?red\b|\bnot registred\b|\bunregistered\b|not (known|found) in"
    r"|not available in (the |our )?(whois )?database|(is|was) not (found|known)"
    r"|\b(is|was) (free|available)\b|available for (registration|purchase|sale)"
    r"|(returned|found) 0 (objects|matches|results|records)|\b0 (objects|records) found"
    r"|we do not have an entry|no information (is )?available|there is no information"
    r"|could not find the requested|does not have any data for|can ?not find|no records? found"
    r"|domain (name )?(is )?(not known|unknown|available|free)\b|domain is not in"
    r"|(registrar|we|this registrar) (does not|do not) (hold|manage|sponsor)"
    r"|not (held|managed|sponsored) (here|by (this|our))|not registered here"
    r"|not the (sponsoring )?registrar (of record )?for|not in (our|the) (database|records"
    r"|registry|system)",
    # Spanish, Portuguese, Catalan, Italian, French, Romanian
    r"\bno existe\b|no se encontr[oó]|no_se_encontro|no encontrad[oa]|no est[aá] registrad"
    r"|sin resultados|não (existe|encontrad|registrad)|nao (existe|encontrad|registrad)"
    r"|nenhum (resultado|registro)|non (trovato|esiste|registrato)|nessun risultato"
    r"|n'existe pas|non trouv[ée]|aucun(e)? (correspondance|résultat|resultat|objet|domaine)"
    r"|pas de correspondance|non enregistr|est disponible|nu exist[aă]",
    # German, Dutch, Nordic, Polish, Czech, Slovak, Hungarian, Baltic, Turkish
    r"nicht (registriert|gefunden|vergeben)|ist (frei|verfügbar)|keine (daten|einträge|treffer)"
    r"|niet (gevonden|geregistreerd)|is vrij|ikke (registrert|registreret|fundet|funnet)"
    r"|finns inte|hittades inte|ei (löydy|l[oö]ytynyt)|nie istnieje|brak (danych|wynik)"
    r"|nie (zarejestrowan|znaleziono)|nebyl nalezen|neexistuje|nenájden|nincs találat"
    r"|nerasta|nav atrast|ei leitud|bulunamad[ıi]|kay[ıi]tl[ıi] de[ğg]il|mevcut de[ğg]il",
    # Cyrillic, Greek
    r"не найден|не знайден|не зарегистрирован|не зареєстрован|нет данных|не существует"
    r"|не съществува|не постоји|не е регистриран|δεν βρέθηκε|δεν υπάρχει",
    # Chinese, Japanese, Korean, Thai, Vietnamese, Indonesian, Arabic, Persian, Hebrew
    r"没有找到|未找到|无匹配|無匹配|查无|查無|未注册|未註冊|未被注册|未被註冊|不存在|沒有找到"
    r"|該当するデータがありません|該当なし|登録されていません"
    r"|등록되어 있지 않습니다|등록되지 않은|검색 결과가 없습니다|ไม่พบ|ยังไม่มีการจดทะเบียน"
    r"|không tồn tại|chưa được đăng ký|không tìm thấy|tidak ditemukan|belum terdaftar"
    r"|غير موجود|غير مسجل|لا يوجد|یافت نشد|موجود نیست|לא נמצא",
)
_NOT_FOUND_LINE = re.compile("|".join(_NOT_FOUND_PHRASES), re.IGNORECASE)
# Every phrase above holds one of these (lower case): a cheap test before the costly one.
_NOT_FOUND_TRIGGERS = (
    *(
        "no",
        "nenhum",
        "free",
        "avail",
        "0 ",
        "sin result",
        "não",
        "nao",
        "nessun",
        "exist",
        "aucun",
    ),
    *("pas de", "disponible", "nicht", "frei", "verfügbar", "keine", "niet", "vrij", "ikke"),
    *("inte", "löy", "loy", "nie", "brak", "nebyl", "nenájd", "nincs", "nerasta", "atrast"),
    *("leitud", "bulunamad", "değil", "degil", "не", "δεν", "没有", "沒有", "未", "无", "無"),
    *("查", "不存在", "該当", "登録されて", "등록되", "검색 결과가", "ไม่พบ", "ยังไม่มี", "không"),
    *("chưa", "tidak", "belum", "غير", "لا يوجد", "یافت", "نیست", "לא"),
)
# Words of conditions and terms: a line with one of them describes a service, not this answer.
_HEDGE = re.compile(
    r"\b(if|whether|unless|may|might|should|would|agree\w*|terms|purposes?|guarantee\w*"
    r"|accuracy|please visit|use of this|to check|can be|cannot be)\b",
    re.IGNORECASE,
)
# A status line whose value says "not registered": `Status: free`, `Domain Status: No Object Found`.
_NOT_FOUND_STATUS = re.compile(
    r"^(domain |registration |query_)?(status|state|estado|stav|статус|durum)\s*[:.]*\s*[:=]?\s*"
    r"(\d+\s+)?(free|available|avail|not registered|unregistered|no object found|not found"
    r"|libre|disponible|vrij|frei|ledig|wolna|volný|vapaa|свободен|свободный|nicht registriert)"
    r"\b",
    re.IGNORECASE,
)
_STATEMENT_MARKS = " \t%#>*[]()-:!.;\"'"
# A line that is only a status word: `Available`, `FREE`.
_NOT_FOUND_WORD = re.compile(
    r"^(available|free|not registered|unregistered|not found|no match|libre|disponible|vrij"
    r"|frei|ledig|wolna|свободен)$",
    re.IGNORECASE,
)


def says_not_found(text: str) -> bool:
    """True when one line of the answer states that the domain is not registered."""
    for line in text.split("\n"):
        statement = line.strip(_STATEMENT_MARKS)
        if not statement or len(statement) > 200:
            continue
        if _NOT_FOUND_STATUS.match(statement) or _NOT_FOUND_WORD.match(statement):
            return True
        lowered = statement.lower()
        if not any(t in lowered for t in _NOT_FOUND_TRIGGERS):
            continue
        if _NOT_FOUND_LINE.search(statement) and not _HEDGE.search(statement):
            return True
    return False


_REFUSED = re.compile(
    r"rate.?limit(ed)? (exceeded|reached)|limit (exceeded|reached)|exceeded (the |your )?"
    r"(query|request|maximum|allowed|daily|hourly|rate)|too many (requests|queries|connections)"
    r"|quota (exceeded|reached)|try again (later|in)|temporarily (blocked|denied|unavailable|"
    r"restricted)|access (denied|refused|blocked)|(you|your ip( address)?|client) (are|is|has been"
    r"|have been) (now )?(blacklisted|blocked|banned)"
    r"|maximum (number of )?(queries|requests)|please wait \d+",
    re.IGNORECASE,
)


def says_refused(text: str) -> str | None:
    """The refusal line (rate limit, block) if the answer is one, else None."""
    m = _REFUSED.search(text)
    if not m:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    return text[start : end if end != -1 else len(text)].strip(" %#>*\t")[:160]


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NS_SPLIT = re.compile(r"[\s,;]+")


def host_name(token: str) -> str | None:
    """A DNS host name from a token (`NS1.X.COM.`, `ns1.x.com[OK]`); None for IPs and junk."""
    name = token.strip().strip("[](){}<>\"'").lower().rstrip(".")
    if "." not in name or len(name) > 253:
        return None
    labels = name.split(".")  # IPv6 fails the label pattern, IPv4 the all-digit last label
    if not all(_HOST_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():
        return None
    return name


def name_servers_in(value: str) -> list[str]:
    """Host names in one WHOIS value: `ns1.x.com 1.2.3.4`, `ns1.x.com (1.2.3.4) [OK]`, `a, b`."""
    return [name for token in _NS_SPLIT.split(value) if (name := host_name(token))]


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """De-duplicated, order kept."""
    return tuple(dict.fromkeys(v for v in values if v))


# A registrar name is often followed by one identifier: `(292)`, `(R151-LRMS)`, `R45-ME`.
_TRAILING_ID = re.compile(r"\s*\((?:[A-Z]*\d[\w-]*|IANA[^)]*)\)\s*$", re.IGNORECASE)
_TRAILING_URL = re.compile(r"\s*\(\s*(https?://|www\.)[^)]*\)\s*$", re.IGNORECASE)
_TRAILING_HANDLE = re.compile(r"\s+R\d+-[A-Z0-9]+\s*$")


_NO_VALUE = re.compile(
    r"^\s*(n/?a|none|null|unknown|not (available|applicable|disclosed)|redacted.*|-+|\*+)\s*$",
    re.IGNORECASE,
)


def clean_registrar(value: str, *, strip_id: bool = False) -> str | None:
    """The registrar's name; `strip_id` for the older `Sponsoring Registrar: Name (ID)` keys,
    whose values carry the registry's identifier of the registrar after the name."""
    name = _TRAILING_URL.sub("", " ".join(value.split()))
    if strip_id:
        stripped = _TRAILING_ID.sub("", name)
        if stripped == name:
            stripped = _TRAILING_HANDLE.sub("", name)
        name = stripped
    name = name.strip(" ,;")
    if not name or _NO_VALUE.match(name):
        return None
    return name


_EPP_STATUS = re.compile(r"^([a-zA-Z]+)(\s+https?://\S+)?$")


def statuses_in(value: str) -> list[str]:
    """EPP status codes keep their camelCase; anything else is kept as written."""
    out: list[str] = []
    for part in re.split(r"\s*,\s*", value.strip()):
        if not part:
            continue
        m = _EPP_STATUS.match(part)
        first = part.split()[0]
        if m:
            out.append(m[1])
        elif re.match(r"^[a-z]+[A-Z]\w+$", first):
            out.append(first)
        else:
            out.append(" ".join(part.split()))
    return out
