"""What a change does to governance, for reviewers: listed even when no rule fires.

Waivers added or changed (with a flag when their author approved them or they run past
the policy's maximum), owners moved to a departed, unknown or leaving person, assets left
without an active owner, MFA turned off, access or recovery holders added, policy files
changed, people departed or reactivated — and the plain ownership moves around them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from socialgov.model import Asset, Kind, Person, PersonStatus, Registry, Waiver
from socialgov.registry import paths
from socialgov.registry.files import Files
from socialgov.words import plural


class ChangeKind(StrEnum):
    WAIVER_ADDED = "waiver-added"
    WAIVER_CHANGED = "waiver-changed"
    OWNER_DEPARTED = "owner-departed"
    OWNER_UNKNOWN = "owner-unknown"
    OWNER_LEAVING = "owner-leaving"
    ORPHANED = "orphaned"
    MFA_OFF = "mfa-off"
    ACCESS_ADDED = "access-added"
    RECOVERY_ADDED = "recovery-added"
    POLICY_CHANGED = "policy-changed"
    PERSON_DEPARTED = "person-departed"
    PERSON_REACTIVATED = "person-reactivated"
    # Context around them: how ownership moved.
    ASSET_ADDED = "asset-added"
    ASSET_REMOVED = "asset-removed"
    ASSET_RETIRED = "asset-retired"
    OWNERS_CHANGED = "owners-changed"
    PERSON_ADDED = "person-added"
    PERSON_REMOVED = "person-removed"


# Flags a reviewer must look at twice.
SELF_APPROVED = "self-approved"
BEYOND_MAX = "beyond-max"


@dataclass(frozen=True)
class GovernanceChange:
    kind: ChangeKind
    message: str
    file: str
    line: int = 1
    asset: str | None = None
    person: str | None = None
    flags: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "asset": self.asset,
            "person": self.person,
            "flags": list(self.flags),
        }
        out.update(self.details)
        return out


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the registry, its waivers and its files."""

    registry: Registry
    waivers: Sequence[Waiver]
    files: Files


def governance_changes(
    before: Side,
    after: Side,
    *,
    today: date,
    authors: Collection[str] = (),
    waiver_max_days: int = 0,
) -> list[GovernanceChange]:
    """The changes from `before` to `after`, in a stable order.

    `authors`: e-mail addresses of who made the change (a waiver approved by one of them
    is self-approved); `waiver_max_days`: the longest a waiver may run (0: no limit).
    """
    changes: list[GovernanceChange] = []
    changes += _asset_changes(before.registry, after.registry, today)
    changes += _people_changes(before.registry, after.registry)
    changes += _waiver_changes(
        before.waivers, after.waivers, after.registry, today, authors, waiver_max_days
    )
    changes += _policy_changes(before, after)
    return changes


# --- assets ---------------------------------------------------------------------------


def _names(owners: Sequence[str]) -> str:
    return ", ".join(owners) or "none"


def _asset_changes(before: Registry, after: Registry, today: date) -> list[GovernanceChange]:
    changes: list[GovernanceChange] = []
    roster = after.roster
    for asset_id in sorted(set(before.assets) | set(after.assets), key=lambda a: (a.kind, a.name)):
        old, new = before.assets.get(asset_id), after.assets.get(asset_id)
        if new is None:
            assert old is not None
            changes.append(
                GovernanceChange(
                    ChangeKind.ASSET_REMOVED,
                    f"{asset_id} removed (owners were {_names(old.owners)})",
                    file=old.file,
                    asset=str(asset_id),
                )
            )
            continue
        if old is new and before.roster is after.roster:
            continue  # the same parsed file and roster: nothing to tell
        at = _at(new)
        old_owners = old.owners if old else ()
        if old is None:
            message = f"{asset_id} added " + (
                f"with owners {_names(new.owners)}" if new.owners else "with no owner"
            )
            changes.append(GovernanceChange(ChangeKind.ASSET_ADDED, message, **at("owners")))
        elif old.owners != new.owners:
            changes.append(
                GovernanceChange(
                    ChangeKind.OWNERS_CHANGED,
                    f"{asset_id} owners {_names(old.owners)} → {_names(new.owners)}",
                    **at("owners"),
                )
            )
        if old is not None and old.active and not new.active:
            changes.append(
                GovernanceChange(ChangeKind.ASSET_RETIRED, f"{asset_id} retired", **at("status"))
            )
        for owner in new.owners:
            if owner in old_owners:
                continue
            problem = _owner_problem(owner, after, today)
            if problem is not None:
                kind, what = problem
                changes.append(
                    GovernanceChange(
                        kind,
                        f"{asset_id}: owner {owner} added, who {what}",
                        person=owner,
                        **at("owners"),
                    )
                )
        had_owner = old is not None and old.active and _has_active_owner(old, before)
        if new.active and not _has_active_owner(new, after) and (old is None or had_owner):
            changes.append(
                GovernanceChange(
                    ChangeKind.ORPHANED,
                    f"{asset_id} is left with no active owner (owners: {_names(new.owners)})",
                    **at("owners"),
                )
            )
        mfa_was_on = old is not None and old.section.get("mfa") is True
        if new.kind is Kind.SOCIAL and mfa_was_on and new.section.get("mfa") is not True:
            changes.append(
                GovernanceChange(
                    ChangeKind.MFA_OFF, f"{asset_id}: mfa turned off", **at("social.mfa")
                )
            )
        old_access = set(old.access) if old else set()
        for holder in new.access:
            if holder not in old_access:
                changes.append(
                    GovernanceChange(
                        ChangeKind.ACCESS_ADDED,
                        f"{asset_id}: {holder} now holds access{_status_note(holder, roster)}",
                        person=holder,
                        **at("access"),
                    )
                )
        for key, label in _RECOVERY_KEYS:
            value = _dotted(new, key)
            if value and value != (_dotted(old, key) if old else None):
                changes.append(
                    GovernanceChange(
                        ChangeKind.RECOVERY_ADDED,
                        f"{asset_id}: {label} is now {value}"
                        + (_status_note(value, roster) if key.endswith("_holder") else ""),
                        person=value if key.endswith("_holder") else None,
                        **at(key),
                    )
                )
    return changes


_RECOVERY_KEYS = (
    ("social.recovery_phone_holder", "the recovery phone holder"),
    ("social.recovery_email", "the recovery e-mail"),
    ("contacts.recovery_email", "the recovery e-mail"),
)


def _at(asset: Asset) -> Any:
    def where(*keys: str) -> dict[str, Any]:
        return {"file": asset.file, "line": asset.line_of(*keys), "asset": str(asset.id)}

    return where


def _dotted(asset: Asset, key: str) -> str | None:
    table, _, name = key.partition(".")
    value = asset.data.get(table, {}).get(name) if isinstance(asset.data.get(table), dict) else None
    return value if isinstance(value, str) else None


def _has_active_owner(asset: Asset, registry: Registry) -> bool:
    return any(registry.roster.is_active_owner(o) for o in asset.owners)


def _leaving_on(person: Person) -> date | None:
    """A future last day (`leaving_on`), where the roster knows one."""
    value = getattr(person, "leaving_on", None)
    return value if isinstance(value, date) else None


def _owner_problem(owner: str, registry: Registry, today: date) -> tuple[ChangeKind, str] | None:
    roster = registry.roster
    if not roster.knows(owner):
        return ChangeKind.OWNER_UNKNOWN, "is not in the roster"
    for handle in roster.members(owner):
        person = roster.people.get(handle)
        if person is None:
            continue
        if person.departed and not owner.startswith("team:"):
            when = f" on {person.departed_on.isoformat()}" if person.departed_on else ""
            return ChangeKind.OWNER_DEPARTED, f"departed{when}"
        leaving = _leaving_on(person)
        if leaving is not None and leaving >= today and not owner.startswith("team:"):
            return ChangeKind.OWNER_LEAVING, f"is leaving on {leaving.isoformat()}"
    if owner.startswith("team:") and not roster.is_active_owner(owner):
        return ChangeKind.OWNER_DEPARTED, "has no active member"
    return None


def _status_note(handle: str, roster: Any) -> str:
    person = roster.people.get(handle)
    if person is None:
        return " (not in the roster)"
    if person.status is not PersonStatus.ACTIVE:
        return f" ({person.status.value})"
    return ""


# --- people ---------------------------------------------------------------------------


def _people_changes(before: Registry, after: Registry) -> list[GovernanceChange]:
    changes: list[GovernanceChange] = []
    if before.roster is after.roster:
        return changes  # the same parsed people.toml on both sides
    source = after.sources.get(paths.PEOPLE_FILE)
    for handle in sorted(set(before.roster.people) | set(after.roster.people)):
        old, new = before.roster.people.get(handle), after.roster.people.get(handle)

        def change(
            kind: ChangeKind, message: str, line: int | None = None, handle: str = handle
        ) -> GovernanceChange:
            if line is None:  # positions are worked out only for a change to report
                keys = (f"people.{handle}.status", f"people.{handle}")
                line = source.line_of(*keys) if source else 1
            return GovernanceChange(kind, message, paths.PEOPLE_FILE, line, person=handle)

        if old is None and new is not None:
            changes.append(
                change(ChangeKind.PERSON_ADDED, f"person {handle} added ({new.status.value})")
            )
        elif new is None and old is not None:
            changes.append(
                change(ChangeKind.PERSON_REMOVED, f"person {handle} removed from the roster", 1)
            )
        elif old is not None and new is not None and old.status != new.status:
            transition = f"person {handle}: {old.status.value} → {new.status.value}"
            if new.departed:
                changes.append(change(ChangeKind.PERSON_DEPARTED, transition))
            elif old.departed:
                changes.append(change(ChangeKind.PERSON_REACTIVATED, transition))
    return changes


# --- waivers --------------------------------------------------------------------------


def _waiver_changes(
    before: Sequence[Waiver],
    after: Sequence[Waiver],
    registry: Registry,
    today: date,
    authors: Collection[str],
    max_days: int,
) -> list[GovernanceChange]:
    old = {(w.rule, w.asset): w for w in before}
    author_emails = {a.lower() for a in authors}
    changes: list[GovernanceChange] = []
    for waiver in after:
        previous = old.get((waiver.rule, waiver.asset))
        if previous is not None and _same_waiver(previous, waiver):
            continue
        flags: list[str] = []
        approver = registry.roster.people.get(waiver.approved_by)
        if approver is not None and author_emails & set(approver.emails):
            flags.append(SELF_APPROVED)
        start = waiver.created or today
        if max_days and (waiver.expires - start).days > max_days:
            flags.append(BEYOND_MAX)
        kind = ChangeKind.WAIVER_ADDED if previous is None else ChangeKind.WAIVER_CHANGED
        verb = "added" if previous is None else "changed"
        notes = []
        if SELF_APPROVED in flags:
            notes.append("approved by its own author")
        if BEYOND_MAX in flags:
            notes.append(f"runs longer than the policy's {plural(max_days, 'day')}")
        message = (
            f"waiver {verb}: {waiver.rule} on {waiver.asset}, approved by {waiver.approved_by}, "
            f"until {waiver.expires.isoformat()}" + (f" ({'; '.join(notes)})" if notes else "")
        )
        changes.append(
            GovernanceChange(
                kind,
                message,
                file=paths.WAIVERS_FILE,
                line=waiver.line,
                asset=str(waiver.asset),
                person=waiver.approved_by,
                flags=tuple(flags),
                details={
                    "rule": waiver.rule,
                    "approved_by": waiver.approved_by,
                    "until": waiver.expires.isoformat(),
                    "reason": waiver.reason,
                },
            )
        )
    return changes


def _same_waiver(a: Waiver, b: Waiver) -> bool:
    return (a.reason, a.approved_by, a.expires) == (b.reason, b.approved_by, b.expires)


# --- policy ---------------------------------------------------------------------------


def _policy_changes(before: Side, after: Side) -> list[GovernanceChange]:
    changes: list[GovernanceChange] = []
    old_files = before.registry.settings.policy_files
    new_files = after.registry.settings.policy_files
    if old_files != new_files:
        changes.append(
            GovernanceChange(
                ChangeKind.POLICY_CHANGED,
                f"[policy] files {', '.join(old_files) or 'default'} → {', '.join(new_files) or 'default'}",
                file=paths.SETTINGS_FILE,
            )
        )
    candidates = set(old_files) | set(new_files)
    candidates |= set(before.files.walk(POLICIES_DIR)) | set(after.files.walk(POLICIES_DIR))
    for rel in sorted(candidates):
        old, new = before.files.read(rel), after.files.read(rel)
        if old == new:
            continue
        what = "added" if old is None else "removed" if new is None else "changed"
        changes.append(
            GovernanceChange(ChangeKind.POLICY_CHANGED, f"policy file {rel} {what}", file=rel)
        )
    return changes


POLICIES_DIR = "policies"
