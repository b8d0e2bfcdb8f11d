"""The LDAP / Active Directory adapter of `people sync` (ldap3): the only module that speaks LDAP.

Reads every entry under `base_dn` that matches `filter` with the simple paged results
control, so directories that cap a search's size (Active Directory: 1,000) are read whole.
Active Directory's account state becomes the roster status: the ACCOUNTDISABLE bit (2) of
`userAccountControl` or an `accountExpires` in the past means departed, a future
`accountExpires` is the leaving date. Managers are DNs, turned into the handle of the entry
they name.
"""

from __future__ import annotations

import contextlib
import math
import ssl
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from socialgov.errors import LookupFailed, UsageError
from socialgov.roster_sync import PeopleSource, Record

DEFAULT_MAP: Mapping[str, str] = {
    "handle": "sAMAccountName|uid",
    "name": "displayName|cn",
    "email": "mail|userPrincipalName",
    "department": "department|ou",
    "manager": "manager",
    "employee_id": "objectGUID|employeeNumber",
}
ACCOUNTDISABLE = 0x2
_NEVER = (0, 0x7FFFFFFFFFFFFFFF)  # accountExpires values that mean "never"
_FILETIME_EPOCH = datetime(1601, 1, 1)


def filetime_date(value: int) -> date | None:
    """An AD large-integer time (100 ns since 1601) as a date; None for "never"."""
    if value in _NEVER or value < 0:
        return None
    try:
        return (_FILETIME_EPOCH + timedelta(microseconds=value // 10)).date()
    except OverflowError:
        return None


def _norm_dn(dn: str) -> str:
    return ",".join(part.strip() for part in dn.lower().split(","))


def _text(values: Sequence[bytes], attribute: str) -> str:
    if not values:
        return ""
    raw = values[0]
    if attribute.lower() == "objectguid" and len(raw) == 16:
        return str(uuid.UUID(bytes_le=raw))  # how AD tools print it
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return raw.hex()


class LdapDirectory:
    def __init__(self, source: PeopleSource, today: date) -> None:
        self.source = source
        self.today = today
        self.map = {**DEFAULT_MAP, **source.map}

    def _alternatives(self, field: str) -> list[str]:
        return [a.strip() for a in self.map.get(field, "").split("|") if a.strip()]

    def attributes(self) -> list[str]:
        wanted = {a for f in self.map for a in self._alternatives(f)}
        return sorted(wanted | {"userAccountControl", "accountExpires"})

    def connect(self) -> Any:
        from ldap3 import NONE, Connection, Server, Tls

        source = self.source
        parts = urlsplit(source.url)
        secure = parts.scheme.lower() == "ldaps"
        password = source.secret(source.password_env, "password_env")
        if password and not (secure or source.start_tls or source.loopback):
            raise UsageError(
                f"[people_source] {source.url}: refusing to send the bind password over an "
                "unencrypted connection",
                hint="use an ldaps:// URL, or start_tls = true",
            )
        tls = Tls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=str(source.ca_file) if source.ca_file else None,
            version=ssl.PROTOCOL_TLS_CLIENT,
        )
        server = Server(
            parts.hostname or "",
            port=parts.port,
            use_ssl=secure,
            tls=tls,
            get_info=NONE,
            connect_timeout=source.timeout_s,
        )
        connection = Connection(
            server,
            user=source.bind_dn,
            password=password,
            read_only=True,
            receive_timeout=max(1, math.ceil(source.timeout_s)),  # ldap3 packs it as an int
            raise_exceptions=False,
            auto_referrals=False,
        )
        where = f"{parts.hostname}:{parts.port or (636 if secure else 389)}"
        try:
            self._open(connection, where)
        except BaseException:
            with contextlib.suppress(Exception):
                connection.unbind()  # close the socket of a refused or failed connection
            if getattr(connection, "socket", None) is not None:
                with contextlib.suppress(OSError):
                    connection.socket.close()  # ldap3 leaves it open when TLS fails
            raise
        return connection

    def _open(self, connection: Any, where: str) -> None:
        from ldap3.core.exceptions import LDAPException

        source = self.source
        try:
            connection.open()
            if source.start_tls and not connection.start_tls():
                raise LookupFailed(
                    f"LDAP {where}: StartTLS failed: {connection.result.get('description')}"
                )
            if not connection.bind():
                description = connection.result.get("description") or "refused"
                raise LookupFailed(
                    f"LDAP {where}: the directory refused the bind as {source.bind_dn or 'anonymous'} "
                    f"({description})",
                    hint=f"check bind_dn and the password in ${source.password_env}"
                    if description == "invalidCredentials"
                    else None,
                )
        except (LDAPException, OSError) as exc:
            raise LookupFailed(
                f"LDAP {where}: {_reason(exc)}",
                hint="check the URL and, for a private CA, ca_file"
                if "certificate" in str(exc).lower()
                else None,
            ) from None

    def fetch(self) -> list[Record]:
        from ldap3 import SUBTREE
        from ldap3.core.exceptions import LDAPException

        connection = self.connect()
        try:
            entries = connection.extend.standard.paged_search(
                self.source.base_dn,
                self.source.filter or "(objectClass=person)",
                search_scope=SUBTREE,
                attributes=self.attributes(),
                paged_size=self.source.page_size,
                generator=False,
            )
            if connection.result.get("result", 0) not in (0,):
                raise LookupFailed(
                    f"LDAP search under {self.source.base_dn!r} failed: "
                    f"{connection.result.get('description')} {connection.result.get('message') or ''}".strip()
                )
        except (LDAPException, OSError) as exc:
            raise LookupFailed(f"LDAP search failed: {_reason(exc)}") from None
        finally:
            connection.unbind()
        found = [e for e in entries if e.get("type") == "searchResEntry"]
        lowered = [{k.lower(): v for k, v in e["raw_attributes"].items()} for e in found]
        handles = {
            _norm_dn(e["dn"]): self._first(attributes, "handle").lower()
            for e, attributes in zip(found, lowered, strict=True)
        }
        return [
            self._record(e["dn"], attributes, handles)
            for e, attributes in zip(found, lowered, strict=True)
        ]

    def _first(self, lowered: Mapping[str, Sequence[bytes]], field: str) -> str:
        """The field's first attribute with a value; `lowered`: the entry's attributes by lower-case name."""
        for attribute in self._alternatives(field):
            if text := _text(lowered.get(attribute.lower(), ()), attribute):
                if field == "handle" and "@" in text:
                    text = text.partition("@")[0]
                return text
        return ""

    def _record(
        self, dn: str, lowered: Mapping[str, Sequence[bytes]], handles: Mapping[str, str]
    ) -> Record:
        values = {
            f: self._first(lowered, f) for f in self.map if f not in ("status", "departed_on")
        }
        manager = values.pop("manager", "")
        if manager:
            # a DN: the handle of the entry it names; a manager outside the search is left out
            values["manager"] = handles.get(_norm_dn(manager), "")
        status = "active"
        ending: date | None = None
        control = _text(lowered.get("useraccountcontrol", ()), "userAccountControl")
        if control.lstrip("-").isdigit() and int(control) & ACCOUNTDISABLE:
            status = "departed"
        expires = _text(lowered.get("accountexpires", ()), "accountExpires")
        if expires.lstrip("-").isdigit():
            ending = filetime_date(int(expires))
        if ending is not None and ending <= self.today:
            status = "departed"
        elif status == "departed":
            ending = None  # disabled now: gone, whatever date the account was to expire on
        values["status"] = status
        values["departed_on"] = ending.isoformat() if ending else ""
        return Record(origin=dn, values=values)


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:300]
