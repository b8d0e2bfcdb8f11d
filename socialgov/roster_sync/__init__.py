"""`people sync`: read a live directory (LDAP / Active Directory, SCIM 2.0) into the roster.

`[people_source]` in socialgov.toml says where and how (`PeopleSource`); one adapter class
per protocol turns the directory's entries into roster field values (`Record`), and from
there a sync is an import: the same checks, guards and single commit (`apply_feed`).
Credentials come only from environment variables named in the settings, and are never
written to a message, a log or the registry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from socialgov.errors import InputError, LookupFailed, UsageError
from socialgov.registry import paths

_ENV_NAME = re.compile(r"^SOCIALGOV_[A-Z0-9_]+$")
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True, slots=True)
class Record:
    """One directory entry as roster field values (text, as a CSV cell would hold them)."""

    origin: str  # the entry's DN or id, for messages
    values: Mapping[str, str]


class Directory(Protocol):
    def fetch(self) -> list[Record]: ...


@dataclass(frozen=True)
class PeopleSource:
    """`[people_source]` of socialgov.toml."""

    kind: str  # "ldap" | "scim"
    url: str
    name: str = ""  # the feed's name, written as `source`; default: kind
    base_dn: str = ""
    filter: str = ""
    bind_dn: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    start_tls: bool = False
    ca_file: Path | None = None
    map: Mapping[str, str] = field(default_factory=dict)
    page_size: int = 500
    timeout_s: float = 10.0
    missing_are_departed: bool = True

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def loopback(self) -> bool:
        return self.host in _LOOPBACK

    def secret(self, env_key: str | None, what: str) -> str | None:
        """The credential from the environment variable the settings name; never from a file."""
        if env_key is None:
            return None
        value = os.environ.get(env_key)
        if not value:
            raise UsageError(
                f"[people_source] {what}: the environment variable {env_key} is not set",
                hint=f"export {env_key}=… in the environment that runs socialgov (never in a file)",
            )
        return value


def load_source(root: Path) -> PeopleSource:
    """`[people_source]` of the registry's socialgov.toml, checked; InputError at its line."""
    from socialgov.registry.load import load_settings, read_toml

    load_settings(root)  # types and unknown keys, with positions
    data, text = read_toml(root, paths.SETTINGS_FILE)
    table: dict[str, Any] = data.get("people_source", {})
    rel = paths.SETTINGS_FILE

    def fail(key: str, message: str, hint: str | None = None) -> InputError:
        return InputError(
            f"people_source.{key}: {message}",
            file=rel,
            line=text.line_of(f"people_source.{key}") or text.line_of("people_source"),
            hint=hint,
        )

    if not table:
        raise UsageError(
            f"{rel} has no [people_source]",
            hint='add [people_source] with kind = "ldap" or "scim" and url = …; see docs/offboarding.md',
        )
    for key in ("kind", "url"):
        if key not in table:
            raise fail(key, "missing", 'e.g. kind = "ldap", url = "ldaps://dc1.example.com"')
    kind = table["kind"]
    url = table["url"]
    scheme = urlsplit(url).scheme.lower()
    allowed = ("ldap", "ldaps") if kind == "ldap" else ("https", "http")
    if scheme not in allowed or not urlsplit(url).hostname:
        raise fail("url", f"{url!r}: expected a {' or '.join(s + '://' for s in allowed)} URL")
    for key in ("password_env", "token_env"):
        if key in table and not _ENV_NAME.fullmatch(table[key]):
            raise fail(
                key,
                f"{table[key]!r}: expected the name of an environment variable starting SOCIALGOV_",
                "a registry may only name socialgov's own variables, so that a change to the "
                "registry cannot send another secret of the environment to a server",
            )
    if kind == "ldap" and "base_dn" not in table:
        raise fail("base_dn", "missing", 'e.g. base_dn = "ou=Staff,dc=example,dc=com"')
    if kind == "scim" and "token_env" not in table:
        raise fail("token_env", "missing", 'e.g. token_env = "SOCIALGOV_SCIM_TOKEN"')
    if table.get("page_size", 1) < 1:
        raise fail("page_size", "expected a whole number of at least 1")
    from socialgov.changes.roster_import import FIELDS

    for key in table.get("map", {}):
        if key not in FIELDS:
            raise fail("map", f"unknown field {key!r}: expected one of {', '.join(FIELDS)}")
    ca_file = table.get("ca_file")
    source = PeopleSource(
        kind=kind,
        url=url,
        name=table.get("name", kind),
        base_dn=table.get("base_dn", ""),
        filter=table.get("filter", ""),
        bind_dn=table.get("bind_dn"),
        password_env=table.get("password_env"),
        token_env=table.get("token_env"),
        start_tls=table.get("start_tls", False),
        ca_file=(root / ca_file) if ca_file else None,
        map=table.get("map", {}),
        page_size=table.get("page_size", 500),
        timeout_s=float(table.get("timeout_s", 10.0)),
        missing_are_departed=table.get("missing_are_departed", True),
    )
    if source.ca_file is not None and not source.ca_file.is_file():
        raise fail("ca_file", f"{ca_file!r}: no such file (relative paths are from the registry)")
    if scheme == "http" and not source.loopback:
        raise fail("url", "plain http would send the token in clear", "use https://")
    return source


def open_directory(source: PeopleSource, today: date) -> Directory:
    """The adapter of the source's protocol."""
    if source.kind == "ldap":
        from socialgov.roster_sync.ldap import LdapDirectory

        return LdapDirectory(source, today)
    from socialgov.roster_sync.scim import ScimDirectory

    return ScimDirectory(source)


def sync_people(
    root: Path,
    *,
    today: date,
    max_departures: int | None = None,
    accept_renames: bool = False,
    skip_invalid: bool = False,
    dry_run: bool = False,
    author: str | None = None,
    commit: bool = True,
    directory: Directory | None = None,
) -> Any:
    """Read the configured directory and bring the roster in line with it, in one commit."""
    from socialgov.changes.roster_import import FeedRows, ImportOptions, apply_feed

    source = load_source(root)
    records = (directory or open_directory(source, today)).fetch()
    options = ImportOptions(
        skip_invalid=skip_invalid,
        missing_are_departed=source.missing_are_departed,
        max_departures=max_departures,
        accept_renames=accept_renames,
        source=source.name,
        owns_matched=True,
    )
    feed = FeedRows(dates_known=True)
    for number, record in enumerate(records, start=1):
        feed.add(number, record.values, options, origin=record.origin)
    return apply_feed(
        root,
        feed,
        label=source.name,
        today=today,
        options=replace(options),
        dry_run=dry_run,
        author=author,
        commit=commit,
        verb="people sync",
    )


__all__ = ["Directory", "LookupFailed", "PeopleSource", "Record", "load_source", "sync_people"]
