"""Dates as registries write them: WHOIS's many layouts, RDAP's RFC 3339 timestamps."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "januar", "enero", "ene", "janeiro", "gennaio", "januari"),
            ("feb", "february", "fev", "fevr", "februar", "febrero", "fevereiro", "febbraio"),
            ("mar", "march", "mars", "marz", "maerz", "märz", "marzo", "março", "marco", "maart"),
            ("apr", "april", "avr", "avril", "abril", "abr", "aprile"),
            ("may", "mai", "mayo", "maio", "maggio", "mei", "mag"),
            ("jun", "june", "juin", "juni", "junio", "junho", "giugno", "giu"),
            ("jul", "july", "juil", "juillet", "juli", "julio", "julho", "luglio", "lug"),
            ("aug", "august", "aout", "août", "agosto", "ago", "augustus"),
            ("sep", "sept", "september", "septembre", "septiembre", "setembro", "settembre"),
            ("oct", "october", "octobre", "okt", "oktober", "octubre", "outubro", "ottobre", "ott"),
            ("nov", "november", "novembre", "noviembre", "novembro"),
            ("dec", "december", "decembre", "décembre", "dez", "dezember", "diciembre", "dic"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"([^\W\d_]{3,10})\.?"

# Tried in order; the first that yields a valid calendar date wins.
_ISO = re.compile(r"(?<!\d)(\d{4}) ?[-./] ?(\d{1,2}) ?[-./] ?(\d{1,2})(?!\d)")
_YEAR_MONTHNAME_DAY = re.compile(rf"(?<!\d)(\d{{4}})[-./ ]{_MONTH}[-./ ](\d{{1,2}})(?!\d)")
_DAY_MONTHNAME_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[-./ ]+(?:de |of )?{_MONTH}[-./ ,]+(?:de )?(\d{{4}})"
    r"(?!\d)"
)
# "Feb 10 2004", "February 10, 2004", ctime's "Tue Feb 10 09:42:42 2004".
_MONTHNAME_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s+)?(?:[A-Z]{{2,5}}\s+)?(\d{{4}})(?!\d)"
)
_NUMERIC_DMY = re.compile(r"(?<!\d)(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?!\d)")
# 2001年03月22日 (Chinese, Japanese), 2001년 03월 22일 (Korean)
_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:\d{4}(?:\d{2})?)?(?!\d)")  # +HHMM[SS]
# "before Aug-1996" (Nominet's registrations older than its database): month precision only.
_MONTHNAME_YEAR = re.compile(rf"\b{_MONTH}[-./ ]+(\d{{4}})(?!\d)")


def _month(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def _make(year: int, month: int | None, day: int) -> date | None:
    if month is None or not 1900 <= year <= 3000:  # 2999-12-31: never expires
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def numeric_order(values: list[str]) -> bool | None:
    """Whether an answer writes numeric dates month first: True if one of its dates can only
    be month/day (`12/31/2020`), False if one can only be day/month (`31/12/2020`), None if
    every date is ambiguous."""
    for value in values:
        for m in _NUMERIC_DMY.finditer(value):
            first, second = int(m[1]), int(m[2])
            if first > 12 >= second:
                return False
            if second > 12 >= first:
                return True
    return None


def parse_whois_date(value: str, *, month_first: bool = False) -> date | None:
    """The calendar date written in a WHOIS value, without time-zone conversion; None if none.

    Numeric day/month order is ambiguous: `05-06-1999` is 5 June (most registries write the
    day first) unless `month_first` (the answer's or registry's convention, see
    `numeric_order`) or the numbers themselves say otherwise.
    """
    text = value.strip()
    if not text:
        return None
    if m := _ISO.search(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _CJK.search(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _YEAR_MONTHNAME_DAY.search(text):
        found = _make(int(m[1]), _month(m[2]), int(m[3]))
        if found:
            return found
    if m := _DAY_MONTHNAME_YEAR.search(text):
        found = _make(int(m[3]), _month(m[2]), int(m[1]))
        if found:
            return found
    if m := _MONTHNAME_DAY_YEAR.search(text):
        found = _make(int(m[3]), _month(m[1]), int(m[2]))
        if found:
            return found
    if m := _NUMERIC_DMY.search(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if (month_first and first <= 12) or second > 12 >= first:
            first, second = second, first
        return _make(year, second, first)
    if m := _COMPACT.search(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTHNAME_YEAR.search(text):
        return _make(int(m[2]), _month(m[1]), 1)
    return None


_RFC3339 = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)


def parse_rdap_date(value: object) -> date | None:
    """The UTC calendar date of an RDAP event date; a time without an offset is taken as UTC."""
    if not isinstance(value, str):
        return None
    m = _RFC3339.match(value)
    if not m:
        return parse_whois_date(value)
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    hour, minute, second = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    offset = m[7]
    if offset and offset.upper() != "Z":
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        sign = 1 if offset[0] == "+" else -1
        moment -= sign * timedelta(minutes=minutes)
    return moment.date()
