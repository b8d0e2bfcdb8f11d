"""Family by family: each way registries say "not registered", each placeholder that hides a
registrant, each layout and date form, and the status tiers. One test per family, each
written after the published shape of that family (not after one registry's file)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socialgov.lookup.dates import parse_whois_date
from socialgov.lookup.observation import Observation, StatusTiers
from socialgov.lookup.parse import parse_rdap, parse_whois

# --------------------------------------------------------------------------- "not found"

NOT_FOUND = {
    "no match for": 'No match for "NXDOMAIN-X1.COM".\n>>> Last update of whois database: 2024 <<<\n',
    "NOT FOUND": "%% NOT FOUND\n",
    "no entries found": "% No entries found for the selected source(s).\n",
    "no data found": "No Data Found\n\nTERMS OF USE: You are not authorized to …\n",
    "does not exist": "The queried object does not exist: DOMAIN NOT FOUND\n",
    "object not found (underscores)": "No_Se_Encontro_El_Objeto/Object_Not_Found\n",
    "status free": "Domain: nxdomain-x1.de\nStatus: free\n",
    "status available with detail": 'Status: AVAILABLE (No match for domain "nxdomain-x1.sx")\n',
    "status line only": "Domain Status: No Object Found\n",
    "status word alone": "Available\nDomain: nxdomain-x1.co.za\n",
    "available for registration": ">>> Domain nxdomain-x1.love is available for registration\n",
    "available for purchase": "Domain nxdomain-x1.tm is available for purchase\n",
    "is free": "nxdomain-x1.nl is free\n",
    "not registered": "The domain name is not registered.\n",
    "has not been registered": "The domain has not been registered.\n",
    "registrar does not hold it": "Domain nxdomain-x1.com is not registered here.\n",
    "registrar cannot find it": "We could not find the requested domain on our system\n",
    "registrar is not the sponsor": "We are not the registrar of record for nxdomain-x1.com.\n",
    "not in the records": "The domain you requested is not in our database.\n",
    "0 objects": "% This query returned 0 objects.\n",
    "no records matching": "Searching for nxdomain-x1.ax.\nNo records matching nxdomain-x1.ax found.\n",
    "not in database": "Domain Name [nxdomain-x1.my] does not exist in database\n",
    "misspelt": "Domain nxdomain-x1.ai not registred.\n",
    "error code prefix": "%ERROR:103: Domain is not registered\n",
    "query echoed, nothing else": "Domain Name: nxdomain-x1.example\n\n"
    ">>> Last update of WHOIS database: 2024-01-01T00:00:00Z <<<\n",
    "bare echo": "nxdomain-x1.example\n",
    "spanish": "nxdomain-x1.cl: no existe\n",
    "spanish sentence": "El dominio no se encuentra registrado. No se encontró el objeto.\n",
    "portuguese": "% Nenhum resultado encontrado para nxdomain-x1.pt\n",
    "portuguese accents": "Domínio não encontrado\n",
    "french": "%% Aucun objet trouvé / n'existe pas\n",
    "italian": "Nessun risultato trovato\n",
    "german": "Die Domain nxdomain-x1.de ist nicht registriert.\n",
    "dutch": "nxdomain-x1.be niet gevonden\n",
    "nordic": "Domænet blev ikke fundet / ikke registreret\n",
    "polish": "Brak danych dla domeny nxdomain-x1.pl\n",
    "czech": "Doména nebyla nalezena; %ERROR:101: nebyl nalezen\n",
    "hungarian": "Nincs találat / No match\n",
    "turkish": "No match found for nxdomain-x1.com.tr (Kayıt bulunamadı)\n",
    "russian": "Домен nxdomain-x1.ru не найден\n",
    "ukrainian": "Домен не знайдено\n",
    "chinese": "没有找到匹配的记录\n",
    "traditional chinese": "查無資料\n",
    "japanese": "該当するデータがありません。\n",
    "korean": "상기 도메인이름은 등록되어 있지 않습니다.\n",
    "thai": "ไม่พบข้อมูลโดเมน\n",
    "vietnamese": "Tên miền chưa được đăng ký\n",
    "indonesian": "Domain tidak ditemukan\n",
}


@pytest.mark.parametrize("text", NOT_FOUND.values(), ids=NOT_FOUND.keys())
def test_not_found_family(text: str) -> None:
    domain = next(
        (w.strip("\"'.:[]") for w in text.split() if w.startswith("nxdomain-x1.")),
        "nxdomain-x1.example",
    )
    obs = parse_whois(domain, text)
    assert obs.registered is False, obs.error
    assert obs.error is None


REGISTERED_DESPITE_WORDS = {
    "facts beat a not-found line": "Domain Name: example.com\nRegistrar: R Inc.\n"
    "Creation Date: 2001-02-03\nNOTICE: whois lookups of names not found are logged\nNOT FOUND\n",
    "facts beat status available": "Domain: example.it\nStatus: AVAILABLE\n"
    "Created: 1999-12-10\nNameservers\n  ns1.example.net\n",
    "record without dates": "domain: example.at\nregistrant: EX1-NICAT\nadmin-c: EX1-NICAT\n"
    "tech-c: EX2-NICAT\nchanged: someone\n",
}


@pytest.mark.parametrize(
    "text", REGISTERED_DESPITE_WORDS.values(), ids=REGISTERED_DESPITE_WORDS.keys()
)
def test_registration_facts_always_win(text: str) -> None:
    domain = text.split("\n", 1)[0].split(":", 1)[1].strip()
    assert parse_whois(domain, text).registered is True


AMBIGUOUS = {
    "boilerplate only": "% Use this service to check whether a domain is available for "
    "registration.\n% By querying you agree to the terms of use.\n",
    "hedged statement": "If the domain is not found, please contact your registrar.\n",
    "welcome banner": "Welcome to the WHOIS service.\nType help for help.\n",
    "service refusing other TLDs": "whois.nic.bo solo acepta consultas con dominios .bo\n",
    "blacklisting in the terms": "Abuse of this service will result in being permanently "
    "blacklisted.\n",
}


@pytest.mark.parametrize("text", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_ambiguous_answers_stay_failed_lookups(text: str) -> None:
    obs = parse_whois("example.com", text)
    assert obs.registered is None
    assert obs.error


# -------------------------------------------------------------------------- placeholders

PLACEHOLDERS = {
    "redacted": "REDACTED FOR PRIVACY",
    "redacted for gdpr": "Redacted for GDPR",
    "data protected": "Data Protected",
    "privacy service": "Privacy service provided by Withheld for Privacy ehf",
    "not disclosed": "Not Disclosed",
    "gdpr masked": "GDPR Masked",
    "statutory masking": "Statutory Masking Enabled",
    "proxy company": "Domains By Proxy, LLC",
    "whoisguard": "WhoisGuard, Inc.",
    "contact privacy": "Contact Privacy Inc. Customer 0123",
    "privacy guardian": "PrivacyGuardian.org llc",
    "identity protection": "Identity Protection Service",
    "private registration": "Registration Private",
    "private person": "Private Person",
    "spanish": "Datos Protegidos",
    "portuguese": "Dados protegidos",
    "french": "Données personnelles masquées",
    "german": "Nicht veröffentlicht",
    "russian": "Данные скрыты",
    "chinese": "隐私保护",
}


@pytest.mark.parametrize("value", PLACEHOLDERS.values(), ids=PLACEHOLDERS.keys())
def test_placeholder_family(value: str) -> None:
    text = f"Domain Name: example.com\nRegistrar: R\nRegistrant Organization: {value}\n"
    obs = parse_whois("example.com", text)
    assert obs.registrant_org is None and obs.registrant_redacted


def test_placeholder_in_the_registrant_name_only() -> None:
    text = (
        "Domain Name: example.com\nRegistrar: R\nRegistrant Name: REDACTED FOR PRIVACY\n"
        "Creation Date: 2001-02-03\n"
    )
    obs = parse_whois("example.com", text)
    assert obs.registrant_org is None and obs.registrant_redacted


def test_proxy_named_inside_a_registrant_section() -> None:
    text = (
        "Domain Name: example.net\nRegistrar: R\nCreation Date: 2003-09-13\n\n"
        "   Registrant Contact:\n      example.net Private Registrant   x@proxy.example-host.com\n"
        "      Example Web Hosting\n"
    )
    obs = parse_whois("example.net", text)
    assert obs.registrant_org is None and obs.registrant_redacted


def test_rdap_placeholder_and_rfc9537_redaction() -> None:
    card = ["vcard", [["version", {}, "text", "4.0"], ["org", {}, "text", "REDACTED FOR PRIVACY"]]]
    data: dict[str, Any] = {
        "objectClassName": "domain",
        "ldhName": "example.com",
        "entities": [{"roles": ["registrant"], "vcardArray": card}],
    }
    obs = parse_rdap("example.com", data)
    assert obs.registrant_org is None and obs.registrant_redacted
    data = {
        "objectClassName": "domain",
        "ldhName": "example.com",
        "entities": [{"roles": ["registrant"], "vcardArray": ["vcard", [["fn", {}, "text", ""]]]}],
        "redacted": [{"name": {"type": "Registrant Organization"}, "method": "removal"}],
    }
    obs = parse_rdap("example.com", data)
    assert obs.registrant_org is None and obs.registrant_redacted


# ------------------------------------------------------- registrant organisation labels


def test_organisation_never_from_a_person_name_or_handle() -> None:
    text = (
        "domain: example.br\nowner-c: ABC12\nnserver: ns1.example.net\ncreated: 19961206\n\n"
        "nic-hdl-br: ABC12\nperson: Jane Person\ncreated: 20000513\n"
    )
    assert parse_whois("example.br", text).registrant_org is None
    text = "Domain Name: example.com\nRegistrar: R\nRegistrant Name: Jane Person\n"
    obs = parse_whois("example.com", text)
    assert obs.registrant_org is None and not obs.registrant_redacted


def test_organisation_from_a_handle_that_resolves_to_an_organisation() -> None:
    text = (
        "domain: example.cr\nregistrant: CON-66\nregistered: 18.04.2002\n\n"
        "contact: CON-66\norg: Example Corp\nname: Jane Person\n"
    )
    assert parse_whois("example.cr", text).registrant_org == "Example Corp"


# ---------------------------------------------------------------------------- layouts

LAYOUTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "value on the next line": (
        "example.ch",
        "Domain name:\nexample.ch\n\nHolder of domain name:\nExample AG\nStreet 1\n\n"
        "Registrar:\nExample Registrar AG\n\nFirst registration date:\n1 January 1996\n\n"
        "Name servers:\nns1.example.net\nns2.example.net\n",
        {
            "created": "1996-01-01",
            "registrar": "Example Registrar AG",
            "name_servers": ["ns1.example.net", "ns2.example.net"],
            "registrant_org": "Example AG",
        },
    ),
    "heading sections": (
        "example.it",
        "Domain:             example.it\nCreated:            1999-12-10 00:00:00\n\n"
        "Registrant\n  Organization:     Example S.p.A.\n\nAdmin Contact\n  Name: Jane Person\n"
        "  Organization:     Other Srl\n\nRegistrar\n  Organization:     Example Registrar Srl\n"
        "  Name:             EXAMPLE-REG\n\nNameservers\n  ns1.example.net\n  ns2.example.net\n",
        {
            "created": "1999-12-10",
            "registrar": "Example Registrar Srl",
            "registrant_org": "Example S.p.A.",
            "name_servers": ["ns1.example.net", "ns2.example.net"],
        },
    ),
    "[Label] with enumerators": (
        "example.jp",
        "a. [Domain Name]                EXAMPLE.JP\ng. [Organization]               Example K.K.\n"
        "p. [Name Server]                ns1.example.jp\np. [Name Server]                ns2.example.jp\n"
        "[Created on]                    2001/03/22\n[Expires on]                    2030/03/31\n",
        {
            "created": "2001-03-22",
            "expires": "2030-03-31",
            "registrant_org": "Example K.K.",
            "name_servers": ["ns1.example.jp", "ns2.example.jp"],
        },
    ),
    "label.....: value": (
        "example.ai",
        "DOMAIN INFORMATION\n Complete Domain Name........: example.ai\n"
        "Organization Using Domain Name\n Organization Name..........: Example Inc.\n"
        "Nameservers\n Primary Server Hostname....: ns1.example.net\n"
        " Secondary Server Hostname..: ns2.example.net\nCreated on..............: 2001-Aug-23.\n",
        {
            "created": "2001-08-23",
            "registrant_org": "Example Inc.",
            "name_servers": ["ns1.example.net", "ns2.example.net"],
        },
    ),
    "dot leader without a colon": (
        "example.dz",
        "Nom de domaine#. . . . . . . . . .example.dz\nRegistrar#. . . . . . . . . . . . Example SARL\n"
        "Date de création#. . . . . . . . . 2009-03-24\n",
        {"created": "2009-03-24", "registrar": "Example SARL"},
    ),
    "tab and wide-gap separated": (
        "example.sk",
        "Domain-name         example.sk\ndns_name            ns1.example.net\n"
        "dns_name            ns2.example.net\nValid-date          2031-07-23\n"
        "Registrar\tExample s.r.o.\n",
        {
            "expires": "2031-07-23",
            "registrar": "Example s.r.o.",
            "name_servers": ["ns1.example.net", "ns2.example.net"],
        },
    ),
    "numbered form fields": (
        "example.gov.za",
        "1a.        Domain Name : example.gov.za\n2a.        Department Name : Example\n"
        "7a.        Primary Server Name : ns1.example.net\n",
        {"name_servers": ["ns1.example.net"]},
    ),
    "commented headings": (
        "example.ua",
        "domain: example.ua\nregistrar: ua.example\ncreated: 2002-12-04 00:00:00+02\n\n"
        "% Registrar:\n% ==========\nregistrar: ua.example\norganization: Example Registrar LLC\n\n"
        "% Registrant:\n% ===========\nperson: n/a\norganization-loc: Example Corp\n",
        {
            "created": "2002-12-04",
            "registrar": "Example Registrar LLC",
            "registrant_org": "Example Corp",
        },
    ),
    "remark inside the key": (
        "example.hk",
        "Domain Name: EXAMPLE.HK\nRegistrar Name: Example Registrar Limited\n\n"
        "Registrant Contact Information:\n\nCompany English Name (It should be the same as the "
        "registered/corporation name on your Business Register Certificate): EXAMPLE LIMITED\n"
        "Domain Name Commencement Date: 14-07-1998\n",
        {
            "created": "1998-07-14",
            "registrar": "Example Registrar Limited",
            "registrant_org": "EXAMPLE LIMITED",
        },
    ),
    "spanish labels": (
        "example.bo",
        "Dominio: example.bo\nTITULAR:\nOrganizacion: Example SA\nNombre: Jane Person\n\n"
        "Fecha de registro: 2006-08-22\nFecha de vencimiento: 2030-08-22\n"
        "Servidores DNS: ns1.example.net\n",
        {
            "created": "2006-08-22",
            "expires": "2030-08-22",
            "registrant_org": "Example SA",
            "name_servers": ["ns1.example.net"],
        },
    ),
    "portuguese labels": (
        "example.pt",
        "Nome de domínio / Domain Name: example.pt\nData de registo / Creation Date "
        "(dd-mm-yyyy): 30-10-2002\nData de expiração / Expiration Date (dd-mm-yyyy): 02-11-2030\n",
        {"created": "2002-10-30", "expires": "2030-11-02"},
    ),
    "russian labels": (
        "example.su",
        "domain: EXAMPLE.SU\nnserver: ns1.example.net.\nsource: TCI\n"
        "Дата регистрации: 1997-09-23\nОплачен до: 2030-09-30\nРегистратор: EXAMPLE-SU\n",
        {"created": "1997-09-23", "expires": "2030-09-30", "registrar": "EXAMPLE-SU"},
    ),
    "chinese labels": (
        "example.cn",
        "域名: example.cn\n注册商: 示例注册商有限公司\n注册时间: 2003-03-17 12:20:05\n"
        "到期时间: 2030-03-17 12:48:36\n域名服务器: ns1.example.cn\n",
        {
            "created": "2003-03-17",
            "expires": "2030-03-17",
            "registrar": "示例注册商有限公司",
            "name_servers": ["ns1.example.cn"],
        },
    ),
    "korean labels": (
        "example.kr",
        "도메인이름                  : example.kr\n등록인                      : 예시 주식회사\n"
        "등록일                      : 2007. 03. 02.\n사용 종료일                 : 2030. 03. 02.\n",
        {"created": "2007-03-02", "expires": "2030-03-02"},
    ),
}


@pytest.mark.parametrize(("domain", "text", "want"), LAYOUTS.values(), ids=LAYOUTS.keys())
def test_layout_family(domain: str, text: str, want: dict[str, Any]) -> None:
    obs = parse_whois(domain, text)
    assert obs.registered is True, obs.error
    for name, expected in want.items():
        got = getattr(obs, name)
        if isinstance(got, date):
            got = got.isoformat()
        if isinstance(got, tuple):
            got = list(got)
        assert got == expected, name


# ------------------------------------------------------------------------------- dates

DATES = {
    "iso with zone": ("2000-07-26T22:00:00Z", "2000-07-26"),
    "weekday and zone words": ("Wednesday, 26 July 2000 10:00:00 CEST", "2000-07-26"),
    "ctime with zone": ("Wed Jul 26 09:42:42 PDT 2000", "2000-07-26"),
    "rfc 2822": ("Wed, 26 Jul 2000 09:42:42 +0200", "2000-07-26"),
    "month name with ordinal": ("July 26th, 2000", "2000-07-26"),
    "spanish month": ("26-jul-2000", "2000-07-26"),
    "portuguese month": ("26 de março de 2000", "2000-03-26"),
    "german month": ("26. März 2000", "2000-03-26"),
    "cjk": ("2000年07月26日", "2000-07-26"),
    "korean dots": ("2000. 07. 26.", "2000-07-26"),
    "day first by default": ("05/06/2000", "2000-06-05"),
    "unambiguous month first": ("07/26/2000", "2000-07-26"),
}


@pytest.mark.parametrize(("value", "expected"), DATES.values(), ids=DATES.keys())
def test_date_family(value: str, expected: str) -> None:
    got = parse_whois_date(value)
    assert got is not None and got.isoformat() == expected


def test_numeric_order_from_the_answer_and_the_registry() -> None:
    text = (
        "Domain Name: example.tk\nRegistrar: R\nDomain registered: 12/18/2001\n"
        "Record will expire on: 03/02/2030\n"
    )
    obs = parse_whois("example.tk", text)  # 12/18 can only be month first: so is 03/02
    assert obs.expires == date(2030, 3, 2)
    text = "Domain Name: example.xx\nRegistrar: R\nCreated: 18/12/2001\nExpires: 03/02/2030\n"
    assert parse_whois("example.xx", text).expires == date(2030, 2, 3)
    text = "Domain Name: example.us\nRegistrar: R\nCreated: 03/02/2001\n"
    assert parse_whois("example.us", text).created == date(2001, 3, 2)  # US convention


# ---------------------------------------------------------------------------- RDAP


def test_rdap_registrar_nested_roles_any_case_and_zones() -> None:
    data = {
        "objectClassName": "domain",
        "ldhName": "example.cz",
        "events": [
            {"eventAction": "Registration", "eventDate": "2000-01-01T00:30:00+01:00"},
            {"eventAction": "expiration", "eventDate": "2030-01-01T23:30:00-02:00"},
        ],
        "entities": [
            {
                "roles": ["REGISTRANT"],
                "vcardArray": [
                    "vcard",
                    [["kind", {}, "text", "org"], ["fn", {}, "text", "Ex a.s."]],
                ],
                "entities": [
                    {"roles": ["Registrar"], "handle": "REG-EXAMPLE", "publicIds": []},
                ],
            }
        ],
    }
    obs = parse_rdap("example.cz", data)
    assert obs.created == date(1999, 12, 31)  # the UTC date
    assert obs.expires == date(2030, 1, 2)
    assert obs.registrar == "REG-EXAMPLE"  # no vCard: the handle
    assert obs.registrant_org == "Ex a.s."


def test_rdap_registrar_vcard_org_and_numeric_public_id() -> None:
    data = {
        "objectClassName": "domain",
        "ldhName": "example.com",
        "entities": [
            {
                "roles": ["registrar"],
                "handle": "292",
                "publicIds": [{"type": "IANA Registrar ID", "identifier": "292"}],
                "vcardArray": ["vcard", [["org", {}, "text", ["Example Registrar", "Inc."]]]],
            }
        ],
    }
    assert parse_rdap("example.com", data).registrar == "Example Registrar, Inc."
    del data["entities"][0]["vcardArray"]  # type: ignore[attr-defined]
    assert parse_rdap("example.com", data).registrar is None  # an IANA number is no name


# ------------------------------------------------------------------------ status tiers

TIERS = {
    "registrar lock": (["clientTransferProhibited", "clientDeleteProhibited"], "registrar_lock"),
    "registry lock": (
        ["server update prohibited", "server delete prohibited", "server transfer prohibited"],
        "registry_lock",
    ),
    "transfer lock": (["serverTransferProhibited https://icann.org/epp#x"], "transfer_lock"),
    "client hold": (["clientHold"], "on_hold"),
    "server hold": (["SERVER-HOLD"], "on_hold"),
    "redemption": (["redemptionPeriod https://icann.org/epp#redemptionPeriod"], "redemption"),
    "pending restore": (["pending restore"], "redemption"),
    "pending delete": (["pendingDelete"], "pending_delete"),
}


@pytest.mark.parametrize(("statuses", "tier"), TIERS.values(), ids=TIERS.keys())
def test_status_tier(statuses: list[str], tier: str) -> None:
    tiers = StatusTiers.of(statuses)
    assert getattr(tiers, tier) is True
    others = [n for n in tiers.to_json() if n != tier and getattr(tiers, n)]
    allowed = {"registry_lock": {"transfer_lock"}, "transfer_lock": set()}.get(tier, set())
    if tier == "registry_lock":
        assert set(others) <= allowed
    elif tier != "registrar_lock":
        assert not set(others) - {"transfer_lock"}


def test_two_server_locks_are_no_registry_lock() -> None:
    tiers = StatusTiers.of(["serverUpdateProhibited", "serverDeleteProhibited", "clientHold"])
    assert not tiers.registry_lock and not tiers.registrar_lock and tiers.on_hold


def test_tiers_are_recorded_with_the_observation_and_read_back() -> None:
    obs = Observation(
        domain="example.com",
        registered=True,
        statuses=("pendingDelete", "serverTransferProhibited"),
    )
    table = obs.to_toml()
    assert table["pending_delete"] is True and table["transfer_lock"] is True
    assert table["registry_lock"] is False
    again = Observation.from_toml(table)
    assert again.tiers == obs.tiers and again.tiers.pending_delete
    assert "registry_lock" not in Observation(domain="x.com", registered=False).to_json()
