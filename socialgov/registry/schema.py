"""What each registry file may contain: keys, their types and allowed values.

One table drives both validation of files on load and conversion of `key=value` text
from the command line, so the two can never disagree.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from socialgov.model import KIND_SPECS, AssetStatus, Criticality, Kind, PersonStatus


@dataclass(frozen=True, slots=True)
class FieldType:
    name: str  # "string", "date", "bool", "list of strings", "int", "float", "table of strings"
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(f'"{c}"' for c in self.choices)
        return {
            "string": "a string in quotes",
            "date": "a date like 2026-06-01 (no quotes)",
            "bool": "true or false",
            "list of strings": 'a list of strings like ["a", "b"]',
            "int": "a whole number",
            "float": "a number",
            "table of strings": 'a table of strings like { key = "value" }',
            "list of whole numbers": "a list of whole numbers like [60, 30, 7]",
            "list of tables": 'a list of tables like [{ kind = "slack", url_env = "..." }]',
        }[self.name]

    def accepts(self, value: Any) -> bool:
        match self.name:
            case "string":
                return isinstance(value, str) and (not self.choices or value in self.choices)
            case "date":
                return isinstance(value, date) and not isinstance(value, datetime)
            case "bool":
                return isinstance(value, bool)
            case "list of strings":
                return isinstance(value, list) and all(isinstance(v, str) for v in value)
            case "int":
                return isinstance(value, int) and not isinstance(value, bool)
            case "float":
                return isinstance(value, int | float) and not isinstance(value, bool)
            case "table of strings":
                return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
            case "list of whole numbers":
                return isinstance(value, list) and all(
                    isinstance(v, int) and not isinstance(v, bool) for v in value
                )
            case "list of tables":
                return isinstance(value, list) and all(isinstance(v, dict) for v in value)
        return False

    def from_text(self, text: str) -> Any:
        """Convert command-line text to this type; raise ValueError with what was expected."""
        match self.name:
            case "string":
                if self.choices and text not in self.choices:
                    raise ValueError(f"expected {self.describe()}")
                return text
            case "date":
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    raise ValueError(f"expected {self.describe()}") from None
            case "bool":
                lowered = text.lower()
                if lowered in ("true", "yes", "1", "on"):
                    return True
                if lowered in ("false", "no", "0", "off"):
                    return False
                raise ValueError(f"expected {self.describe()}")
            case "list of strings":
                return [part.strip() for part in text.split(",") if part.strip()]
            case "int":
                try:
                    return int(text)
                except ValueError:
                    raise ValueError(f"expected {self.describe()}") from None
        raise ValueError(f"cannot be set from the command line; edit the file ({self.describe()})")


STRING = FieldType("string")
DATE = FieldType("date")
BOOL = FieldType("bool")
STRINGS = FieldType("list of strings")
INT = FieldType("int")
FLOAT = FieldType("float")
STRING_TABLE = FieldType("table of strings")
INTS = FieldType("list of whole numbers")
TABLES = FieldType("list of tables")


def _choice(enum: type[Any]) -> FieldType:
    return FieldType("string", tuple(e.value for e in enum))


ASSET_TOP: dict[str, FieldType] = {
    "owners": STRINGS,
    "access": STRINGS,
    "department": STRING,
    "criticality": _choice(Criticality),
    "status": _choice(AssetStatus),
    "tags": STRINGS,
    "last_reviewed": DATE,
    "notes": STRING,
    "retired_on": DATE,
    "retired_reason": STRING,
}

_TYPES = {t.name: t for t in (STRING, DATE, BOOL, STRINGS, INT, FLOAT)}

# Each kind's own table comes from its KindSpec (socialgov.model.KIND_SPECS).
ASSET_SECTIONS: dict[str, dict[str, FieldType]] = {
    **{
        kind.value: {key: _TYPES[name] for key, name in spec.section.items()}
        for kind, spec in KIND_SPECS.items()
    },
    "contacts": {
        "registrant_email": STRING,
        "admin_email": STRING,
        "tech_email": STRING,
        "billing_email": STRING,
        "recovery_email": STRING,
    },
}

PERSON: dict[str, FieldType] = {
    "name": STRING,
    "email": STRING,
    "status": _choice(PersonStatus),
    "department": STRING,
    "manager": STRING,
    "other_emails": STRINGS,
    "departed_on": DATE,
    "github": STRING,
    "title": STRING,
    "employee_id": STRING,
    "leaving_on": DATE,
    "source": STRING,
}
PERSON_REQUIRED = ("name", "email")

TEAM: dict[str, FieldType] = {"members": STRINGS, "github_team": STRING, "description": STRING}

SETTINGS: dict[str, dict[str, FieldType]] = {
    "organization": {"name": STRING, "email_domains": STRINGS},
    "policy": {"files": STRINGS},
    "lookup": {
        "order": STRINGS,
        "timeout_s": FLOAT,
        "concurrency": INT,
        "per_server": INT,
        "cache_hours": FLOAT,
        "rdap_bootstrap": STRING,
        "iana_whois": STRING,
        "rdap_servers": STRING_TABLE,
        "whois_servers": STRING_TABLE,
    },
    "review": {"governance": STRINGS},
    "people_source": {
        "kind": FieldType("string", ("ldap", "scim")),
        "name": STRING,
        "url": STRING,
        "base_dn": STRING,
        "filter": STRING,
        "bind_dn": STRING,
        "password_env": STRING,
        "token_env": STRING,
        "start_tls": BOOL,
        "ca_file": STRING,
        "map": STRING_TABLE,
        "page_size": INT,
        "timeout_s": FLOAT,
        "missing_are_departed": BOOL,
    },
    "notify": {
        "from": STRING,
        "smtp": STRING,
        "smtp_user_env": STRING,
        "smtp_password_env": STRING,
        "min_severity": FieldType("string", ("info", "low", "medium", "high", "critical")),
        "expiry_days": INTS,
        "review_days": INTS,
        "leave_days": INTS,
        "escalate_after_days": INT,
        "fallback": STRING,
        "allow_private": BOOL,
        "timeout_s": FLOAT,
        "webhooks": TABLES,
    },
    "dns": {"nameservers": STRINGS, "timeout_s": FLOAT, "concurrency": INT, "ns_port": INT},
    "web": {
        "timeout_s": FLOAT,
        "max_bytes": INT,
        "allow_private": BOOL,
        "ca_file": STRING,
        "max_redirects": INT,
    },
}

# One [[notify.webhooks]] entry (or inline table of `webhooks = [...]`).
NOTIFY_WEBHOOK: dict[str, FieldType] = {
    "kind": FieldType("string", ("slack", "teams", "json")),
    "url_env": STRING,
    "departments": STRINGS,
}

WAIVER: dict[str, FieldType] = {
    "rule": STRING,
    "asset": STRING,
    "reason": STRING,
    "approved_by": STRING,
    "expires": DATE,
    "created": DATE,
    "renewed": DATE,  # set by `socialgov waivers renew`
}


def did_you_mean(word: str, known: list[str] | tuple[str, ...] | set[str]) -> str | None:
    match = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None


def asset_field(kind: Kind, dotted: str) -> tuple[tuple[str, ...], FieldType]:
    """Resolve a `--set` key (plain `url` or dotted `blog.url`) to its path and type."""
    head, dot, tail = dotted.partition(".")
    if dot:
        section = ASSET_SECTIONS.get(head)
        if section is None or (head in Kind._value2member_map_ and head != kind.value):
            allowed = [kind.value, "contacts"]
            raise KeyError(f"a {kind} has no table [{head}]; it has {', '.join(allowed)}")
        if tail not in section:
            hint = did_you_mean(tail, list(section))
            raise KeyError(f"[{head}] has no key {tail!r}" + (f"; {hint}" if hint else ""))
        return (head, tail), section[tail]
    if dotted in ASSET_TOP:
        return (dotted,), ASSET_TOP[dotted]
    own = ASSET_SECTIONS[kind.value]
    if dotted in own:
        return (kind.value, dotted), own[dotted]
    if dotted in ASSET_SECTIONS["contacts"]:
        return ("contacts", dotted), ASSET_SECTIONS["contacts"][dotted]
    known = [*ASSET_TOP, *own, *ASSET_SECTIONS["contacts"]]
    hint = did_you_mean(dotted, known)
    raise KeyError(f"a {kind} has no key {dotted!r}" + (f"; {hint}" if hint else ""))
