"""The registry's value types: asset ids, people, teams, assets, settings and waivers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.errors import UsageError
from socialgov.lookup.posture_settings import DnsSettings, WebSettings
from socialgov.lookup.settings import LookupSettings
from socialgov.notify.settings import NotifySettings
from socialgov.pickling import by_constructor

if TYPE_CHECKING:
    from socialgov.lookup.observation import Observation
    from socialgov.registry.positions import KeyLines


class Kind(StrEnum):
    DOMAIN = "domain"
    BLOG = "blog"
    SOCIAL = "social"

    @property
    def spec(self) -> KindSpec:
        return KIND_SPECS[self]

    @property
    def folder(self) -> str:
        return KIND_SPECS[self].folder


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_ORDER = list(Severity)
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(_SEVERITY_ORDER)}


class PersonStatus(StrEnum):
    ACTIVE = "active"
    DEPARTED = "departed"
    ON_LEAVE = "on_leave"


class AssetStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class Criticality(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


# An enum's members by value: a dictionary lookup where calling the enum costs a
# microsecond, and rules read an asset's status and criticality again and again.
_STATUS_OF = {status.value: status for status in AssetStatus}
_CRITICALITY_OF = {level.value: level for level in Criticality}

TEAM_PREFIX = "team:"

_SIMPLE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_HANDLE = re.compile(
    r"^[a-z0-9_][a-z0-9._-]*(@[a-z0-9][a-z0-9.-]*[a-z0-9])?$"
)  # fediverse: @instance


@by_constructor
@dataclass(frozen=True, slots=True, order=True)
class AssetId:
    kind: Kind
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def relpath(self) -> str:
        """The asset's file, relative to the registry root."""
        return f"assets/{self.kind.folder}/{self.name}.toml"

    @property
    def display_name(self) -> str:
        """The name as people read it: the Unicode form of an IDNA domain."""
        if self.kind is Kind.DOMAIN and "xn--" in self.name:
            from socialgov.model.domains import to_unicode

            return to_unicode(self.name)
        return self.name

    @classmethod
    def parse(cls, text: str) -> AssetId:
        """Parse `KIND:NAME`, validating the name so that its path cannot escape the registry."""
        kind_text, sep, name = text.partition(":")
        if not sep:
            raise UsageError(
                f"{text!r} is not an asset id",
                hint="write KIND:NAME, e.g. domain:example.com, blog:eng-blog, social:x/examplecorp",
            )
        try:
            kind = Kind(kind_text.strip().lower())
        except ValueError:
            raise UsageError(
                f"unknown asset kind {kind_text!r} in {text!r}",
                hint="kinds are: " + ", ".join(k.value for k in Kind),
            ) from None
        return cls.of(kind, name)

    @classmethod
    def of(cls, kind: Kind, name: str) -> AssetId:
        return cls(kind, normalise_name(kind, name))


def normalise_name(kind: Kind, name: str) -> str:
    """Return the canonical (lower-case, ASCII for domains) name, or raise UsageError."""
    if not name.isprintable():
        raise UsageError(f"asset name {name!r} contains a control or invisible character")
    return KIND_SPECS[kind].normalise(name)


def _domain_name(name: str) -> str:
    from socialgov.model.domains import to_ascii

    return to_ascii(name)


def _blog_name(name: str) -> str:
    name = name.strip().lower()
    if not _SIMPLE_NAME.fullmatch(name) or ".." in name:
        raise UsageError(
            f"blog name {name!r} is not valid",
            hint="use lower-case letters, digits, '.', '_' and '-', e.g. eng-blog",
        )
    return name


def _social_name(name: str) -> str:
    name = name.strip().lower()
    platform, sep, handle = name.partition("/")
    handle = handle.removeprefix("@")
    if (
        not sep
        or not _SIMPLE_NAME.fullmatch(platform)
        or not _HANDLE.fullmatch(handle)
        or ".." in name
    ):
        raise UsageError(
            f"social account name {name!r} is not valid",
            hint="write PLATFORM/HANDLE, e.g. x/examplecorp, linkedin/example-corp, "
            "bsky/brand.example or mastodon/brand@mastodon.social",
        )
    return f"{platform}/{handle}"


@dataclass(frozen=True, slots=True)
class KindSpec:
    """Everything that differs between asset kinds; adding a kind is an entry in KIND_SPECS
    (plus its rules). `section` maps each key of the kind's own table to its type name in
    `socialgov.registry.schema` ("string", "date", "bool", "list of strings");
    `path_depth` is how many path parts name an asset below its folder (social: PLATFORM/HANDLE);
    `holder_keys` maps each section key that names a person who holds the asset to what
    that person holds ("recovery phone")."""

    folder: str
    normalise: Callable[[str], str]
    label: str  # "Social account": a heading or a table cell
    singular: str  # "social account": in running text
    plural: str
    path_hint: str  # the file path with placeholders, for error messages
    section: Mapping[str, str]
    path_depth: int = 1
    holder_keys: Mapping[str, str] = field(default_factory=dict)


KIND_SPECS: dict[Kind, KindSpec] = {
    Kind.DOMAIN: KindSpec(
        folder="domains",
        normalise=_domain_name,
        label="Domain",
        singular="domain",
        plural="domains",
        path_hint="assets/domains/NAME.toml",
        section={
            "registrar": "string",
            "registrant": "string",
            "expires": "date",
            "auto_renew": "bool",
            "name_servers": "list of strings",
            "parked": "bool",
        },
    ),
    Kind.BLOG: KindSpec(
        folder="blogs",
        normalise=_blog_name,
        label="Blog",
        singular="blog",
        plural="blogs",
        path_hint="assets/blogs/NAME.toml",
        section={"url": "string", "platform": "string", "domain": "string"},
    ),
    Kind.SOCIAL: KindSpec(
        folder="social",
        normalise=_social_name,
        label="Social account",
        singular="social account",
        plural="social accounts",
        path_hint="assets/social/PLATFORM/HANDLE.toml",
        section={
            "platform": "string",
            "handle": "string",
            "url": "string",
            "mfa": "bool",
            "recovery_email": "string",
            "recovery_phone_holder": "string",
            "credential_ref": "string",
            "credentials_rotated": "date",
        },
        path_depth=2,
        holder_keys={"recovery_phone_holder": "recovery phone"},
    ),
}


@dataclass(frozen=True, slots=True)
class Person:
    handle: str
    name: str
    email: str
    status: PersonStatus = PersonStatus.ACTIVE
    department: str | None = None
    manager: str | None = None
    other_emails: tuple[str, ...] = ()
    departed_on: date | None = None
    github: str | None = None
    employee_id: str | None = None  # immutable id from HR or the identity provider
    leaving_on: date | None = None  # a known future last working day
    source: str = "manual"  # where the entry is kept: "manual" or the feed that last wrote it

    @property
    def active(self) -> bool:
        return self.status is PersonStatus.ACTIVE

    @property
    def departed(self) -> bool:
        return self.status is PersonStatus.DEPARTED

    @property
    def emails(self) -> tuple[str, ...]:
        return (self.email.lower(), *(e.lower() for e in self.other_emails))

    def to_json(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "name": self.name,
            "email": self.email,
            "status": self.status.value,
            "department": self.department,
            "manager": self.manager,
            "other_emails": list(self.other_emails),
            "departed_on": self.departed_on.isoformat() if self.departed_on else None,
            "github": self.github,
            "employee_id": self.employee_id,
            "leaving_on": self.leaving_on.isoformat() if self.leaving_on else None,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    members: tuple[str, ...] = ()
    github_team: str | None = None


@dataclass(frozen=True)
class Roster:
    people: Mapping[str, Person] = field(default_factory=dict)
    teams: Mapping[str, Team] = field(default_factory=dict)

    def knows(self, owner: str) -> bool:
        if owner.startswith(TEAM_PREFIX):
            return owner[len(TEAM_PREFIX) :] in self.teams
        return owner in self.people

    def members(self, owner: str) -> tuple[str, ...]:
        """The handles an owner stands for: the person, or the team's members."""
        if owner.startswith(TEAM_PREFIX):
            team = self.teams.get(owner[len(TEAM_PREFIX) :])
            return team.members if team else ()
        return (owner,)

    def is_active_owner(self, owner: str) -> bool:
        """A person whose status is active, or a team with at least one active member."""
        return any((p := self.people.get(h)) is not None and p.active for h in self.members(owner))

    def is_departed(self, handle: str) -> bool:
        person = self.people.get(handle)
        return person is not None and person.departed

    @cached_property
    def person_by_email(self) -> dict[str, Person]:
        """Every known address (work and personal), lower-cased, to its person."""
        index: dict[str, Person] = {}
        for person in self.people.values():
            for email in person.emails:
                index.setdefault(email, person)
        return index


@dataclass(frozen=True, slots=True)
class Settings:
    org_name: str
    email_domains: tuple[str, ...] = ()
    policy_files: tuple[str, ...] = ()
    lookup: LookupSettings = field(default_factory=LookupSettings)
    # [review] governance: who reviews people.toml, waivers.toml, policies/, socialgov.toml
    governance_reviewers: tuple[str, ...] = ()
    notify: NotifySettings = field(default_factory=NotifySettings)
    dns: DnsSettings = field(default_factory=DnsSettings)
    web: WebSettings = field(default_factory=WebSettings)

    def is_company_email(self, email: str) -> bool:
        domain = email.rpartition("@")[2].lower()
        return any(domain == d or domain.endswith("." + d) for d in self.email_domains)


class SourceText:
    """A file's text with a lazily built index from dotted key to line, for positions.

    `key` is the content key of the file it was read from (registry.asset_cache), when the
    loader computed one: what caches of results about the file are keyed by."""

    def __init__(self, text: str, key: str | None = None) -> None:
        self.text = text
        self.key = key
        self._lines: KeyLines | None = None

    def line_of(self, *keys: str) -> int:
        """The line of the first of `keys` (dotted: `social.mfa`, or a table: `social`), else 1."""
        if not keys:
            return 1
        if self._lines is None:
            from socialgov.registry.positions import KeyLines

            self._lines = KeyLines(self.text)
        return self._lines.line_of(*keys)

    def forget_lines(self) -> None:
        """Let the index go: the audit positions an asset's findings while its rules run,
        and keeping 100,000 indexes after would cost tens of megabytes."""
        self._lines = None


@dataclass(frozen=True)
class Asset:
    id: AssetId
    file: str
    data: Mapping[str, Any]
    source: SourceText = field(repr=False, compare=False)

    @property
    def kind(self) -> Kind:
        return self.id.kind

    @property
    def name(self) -> str:
        return self.id.name

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(self.data.get("owners", ()))

    @property
    def access(self) -> tuple[str, ...]:
        return tuple(self.data.get("access", ()))

    @property
    def status(self) -> AssetStatus:
        value = self.data.get("status", "active")
        known = _STATUS_OF.get(value) if type(value) is str else None
        return known if known is not None else AssetStatus(value)

    @property
    def active(self) -> bool:
        return self.status is AssetStatus.ACTIVE

    @property
    def criticality(self) -> Criticality:
        value = self.data.get("criticality", "medium")
        known = _CRITICALITY_OF.get(value) if type(value) is str else None
        return known if known is not None else Criticality(value)

    @property
    def department(self) -> str | None:
        return self.data.get("department")

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.data.get("tags", ()))

    @property
    def section(self) -> Mapping[str, Any]:
        """The kind's own table: `[domain]`, `[blog]` or `[social]`."""
        return self.data.get(self.kind.value, {})

    @property
    def contacts(self) -> Mapping[str, Any]:
        return self.data.get("contacts", {})

    def line_of(self, *keys: str) -> int:
        return self.source.line_of(*keys)

    def effective_expiry(self, observation: Observation | None) -> tuple[date, str] | None:
        """A domain's expiry date and where it comes from: the latest observation's when it
        gives one ("observation"), else the recorded `domain.expires` ("registry")."""
        if self.kind is not Kind.DOMAIN:
            return None
        if observation is not None and observation.expires is not None:
            return observation.expires, "observation"
        recorded = self.section.get("expires")
        return (recorded, "registry") if isinstance(recorded, date) else None

    def section_holders(self) -> Iterator[tuple[str, str, str]]:
        """(dotted key, handle, what they hold) for each holder key of the kind that names
        someone: `("social.recovery_phone_holder", "alice", "recovery phone")`."""
        section = self.section
        for key, role in self.kind.spec.holder_keys.items():
            handle = section.get(key)
            if isinstance(handle, str) and handle:
                yield f"{self.kind.value}.{key}", handle, role

    def contact_emails(self) -> Iterator[tuple[str, str]]:
        """Every contact address with the dotted key it sits under."""
        for key, value in self.contacts.items():
            if isinstance(value, str) and value:
                yield f"contacts.{key}", value
        recovery = self.section.get("recovery_email")
        if self.kind is Kind.SOCIAL and recovery:
            yield "social.recovery_email", recovery

    def to_json(self) -> dict[str, Any]:
        """Every field of the file, plus id, kind, name, file (SPEC §3)."""
        out: dict[str, Any] = {
            "id": str(self.id),
            "kind": self.kind.value,
            "name": self.name,
            "file": self.file,
        }
        if self.kind is Kind.DOMAIN and self.id.display_name != self.name:
            out["unicode_name"] = self.id.display_name
        out.setdefault("owners", [])
        out["status"] = self.status.value
        out["criticality"] = self.criticality.value
        out["department"] = None
        out.update({k: _jsonable(v) for k, v in self.data.items()})
        return out


def _jsonable(value: Any) -> Any:
    """Dates to ISO text; asset files nest tables only one level deep (see registry.schema)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    asset: AssetId
    reason: str
    approved_by: str
    expires: date
    line: int = 1
    created: date | None = None

    def active_on(self, today: date) -> bool:
        return today <= self.expires


@dataclass(frozen=True)
class Registry:
    root: Path
    settings: Settings
    roster: Roster
    assets: Mapping[AssetId, Asset]
    sources: Mapping[str, SourceText] = field(default_factory=dict, repr=False)

    def by_kind(self, kind: Kind) -> list[Asset]:
        return [a for a in self.assets.values() if a.kind is kind]
