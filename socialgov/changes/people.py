"""Roster changes: add a person, set their fields, mark them departed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from socialgov.changes.guards import check_roster_text
from socialgov.errors import UsageError
from socialgov.model import Registry
from socialgov.registry import paths
from socialgov.registry.save import delete_path, set_path
from socialgov.registry.schema import PERSON, did_you_mean
from socialgov.registry.store import Transaction

_HANDLE = re.compile(r"^[a-z0-9_][a-z0-9._-]*$")


def person_or_error(registry: Registry, handle: str) -> None:
    if handle not in registry.roster.people:
        raise UsageError(
            f"no person {handle!r} in the roster",
            hint=did_you_mean(handle, list(registry.roster.people))
            or "see `socialgov people list`",
        )


def add_person(tx: Transaction, registry: Registry, handle: str, fields: dict[str, Any]) -> None:
    if not _HANDLE.fullmatch(handle):
        raise UsageError(
            f"handle {handle!r} is not valid: use lower-case letters, digits, '.', '_' and '-'"
        )
    if handle in registry.roster.people:
        raise UsageError(
            f"{handle!r} is already in the roster", hint="change them with `socialgov people set`"
        )
    if "@" not in fields.get("email", ""):
        raise UsageError(f"--email {fields.get('email')!r} is not an e-mail address")
    from socialgov.policy.secret_scan import refuse_secrets

    refuse_secrets(fields)
    manager = fields.get("manager")
    if manager is not None:
        person_or_error(registry, manager)
    fields = {"name": fields["name"], "email": fields["email"], "status": "active", **fields}

    def change(document: Any) -> None:
        import tomlkit

        table = tomlkit.table()
        for key, value in fields.items():
            if value is not None:
                table[key] = value
        table.add(tomlkit.nl())
        if "people" not in document:
            document["people"] = tomlkit.table(is_super_table=True)
        document["people"][handle] = table

    edit_roster(tx, change)
    tx.message = f"people add {handle} ({fields['name']})"


def set_person(
    tx: Transaction, registry: Registry, handle: str, assignments: Sequence[str]
) -> None:
    person_or_error(registry, handle)
    if not assignments:
        raise UsageError("nothing to set", hint="give one or more key=value")
    changes: list[tuple[str, Any]] = []
    for text in assignments:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or key not in PERSON:
            hint = did_you_mean(key, list(PERSON))
            raise UsageError(
                f"{text!r}: expected key=value with a key of {', '.join(PERSON)}"
                + (f"; {hint}" if hint else "")
            )
        from socialgov.policy.secret_scan import refuse_secrets

        refuse_secrets({key: value})
        if value == "":
            if key in ("name", "email"):
                raise UsageError(f"{key} cannot be removed")
            changes.append((key, None))
            continue
        try:
            changes.append((key, PERSON[key].from_text(value)))
        except ValueError as exc:
            raise UsageError(f"{text}: {exc}") from None
    for key, value in changes:
        if key == "manager" and value is not None:
            person_or_error(registry, value)
        if key == "email" and "@" not in value:
            raise UsageError(f"email {value!r} is not an e-mail address")

    def change(document: Any) -> None:
        for key, value in changes:
            if value is None:
                delete_path(document, ("people", handle, key))
            else:
                set_path(document, ("people", handle, key), value)

    edit_roster(tx, change)
    tx.message = f"people set {handle}: " + ", ".join(assignments)


def depart_person(tx: Transaction, registry: Registry, handle: str, on: date) -> bool:
    """Mark a person departed; False when they already are."""
    person_or_error(registry, handle)
    person = registry.roster.people[handle]
    if person.departed:
        return False

    def change(document: Any) -> None:
        set_path(document, ("people", handle, "status"), "departed")
        set_path(document, ("people", handle, "departed_on"), on)

    edit_roster(tx, change)
    tx.message = f"people depart {handle} (on {on.isoformat()})"
    return True


def edit_roster(tx: Transaction, change: Any) -> None:
    """Edit people.toml in place (made if missing) and refuse an edit that leaves it invalid."""
    rel = paths.PEOPLE_FILE
    if not (tx.root / rel).exists() and rel not in tx.files:
        tx.write(rel, b"")
    tx.edit(rel, change)
    check_roster_text(tx.content(rel))
