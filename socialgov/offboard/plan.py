"""What a leaver hands over: the plan, a pure function of a loaded registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.errors import SocialgovError, UsageError
from socialgov.model import TEAM_PREFIX, Asset, AssetId, Kind, Person, Registry, Roster
from socialgov.registry import paths
from socialgov.words import plural

if TYPE_CHECKING:
    from socialgov.registry.files import Files


class NoSuccessor(SocialgovError):
    """Some active assets would be left without an owner; nothing was changed (exit 2)."""

    def __init__(self, handle: str, assets: Sequence[AssetId]) -> None:
        self.assets = tuple(assets)
        listing = "\n".join(f"  {a}" for a in self.assets)
        super().__init__(
            f"cannot offboard {handle}: {plural(len(self.assets), 'active asset')} would have no owner "
            f"(no --to, no other active owner, no active manager); nothing changed:\n{listing}",
            hint=f"pass --to PERSON or --to team:NAME, add a backup owner with "
            f"`socialgov owners ID --add P`, or give {handle} an active manager",
        )


@dataclass(frozen=True, slots=True)
class Reassignment:
    asset: AssetId
    owner: str  # the leaver
    successor: str
    how: str  # "to" (--to), "backup" (an owner already listed), "manager"
    owners_before: tuple[str, ...]
    owners_after: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "asset": str(self.asset),
            "from": self.owner,
            "to": self.successor,
            "how": self.how,
            "owners_before": list(self.owners_before),
            "owners_after": list(self.owners_after),
        }


@dataclass(frozen=True, slots=True)
class AccessRemoval:
    asset: AssetId
    person: str
    key: str  # "access" or "social.recovery_phone_holder"

    def to_json(self) -> dict[str, Any]:
        return {"asset": str(self.asset), "person": self.person, "key": self.key}


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """A step that no file change can do: it happens at a registrar, a platform, a phone."""

    asset: AssetId
    action: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"asset": str(self.asset), "action": self.action, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class AssetEdit:
    """The new values of one asset file; None means unchanged."""

    asset: AssetId
    file: str
    owners: tuple[str, ...] | None = None
    access: tuple[str, ...] | None = None
    drop_recovery_phone: bool = False


@dataclass(frozen=True)
class OffboardPlan:
    person: str
    to: str | None
    on: date
    mark_departed: bool
    reassigned: tuple[Reassignment, ...] = ()
    access_removed: tuple[AccessRemoval, ...] = ()
    teams_left: tuple[str, ...] = ()
    edits: tuple[AssetEdit, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def changes_anything(self) -> bool:
        return bool(self.mark_departed or self.edits or self.teams_left)

    def message(self) -> str:
        """The commit message: a summary line, then one line per change."""
        parts: list[str] = []
        if self.reassigned:
            successors = sorted({r.successor for r in self.reassigned})
            count = plural(len(self.reassigned), "asset")
            if len(successors) == 1:
                parts.append(f"{count} to {successors[0]}")
            else:
                parts.append(f"{count} to {len(successors)} successors")
        if self.access_removed:
            touched = len({a.asset for a in self.access_removed})
            parts.append(f"access removed from {touched}")
        if self.teams_left:
            parts.append("left " + ", ".join(f"team:{t}" for t in self.teams_left))
        if self.mark_departed:
            parts.append(f"departed {self.on.isoformat()}")
        lines = [f"offboard {self.person}: " + (", ".join(parts) or "nothing to change")]
        body = [
            f"- {r.asset}: owners {', '.join(r.owners_before)} -> {', '.join(r.owners_after)}"
            for r in self.reassigned
        ]
        body += [f"- {a.asset}: {a.person} removed from {a.key}" for a in self.access_removed]
        if body:
            lines += ["", *body]
        return "\n".join(lines) + "\n"

    def to_json(self, *, dry_run: bool, commit: str | None, branch: str | None = None) -> Any:
        """The SPEC §3 `offboard --format json` object (keys may be added, never renamed)."""
        return {
            "person": self.person,
            "to": self.to,
            "dry_run": dry_run,
            "departed_on": self.on.isoformat(),
            "marked_departed": self.mark_departed,
            "reassigned": [r.to_json() for r in self.reassigned],
            "access_removed": [a.to_json() for a in self.access_removed],
            "teams_left": list(self.teams_left),
            "checklist": [c.to_json() for c in self.checklist],
            "warnings": list(self.warnings),
            "commit": commit,
            "branch": branch,
        }


def _active_without(roster: Roster, owner: str, leaver: str) -> bool:
    """Whether `owner` is an active owner once `leaver` is gone (a team needs another active member)."""
    return any(
        handle != leaver and (p := roster.people.get(handle)) is not None and p.active
        for handle in roster.members(owner)
    )


def check_successor(roster: Roster, handle: str, to: str) -> None:
    """`--to` must be an active person or a team with an active member other than the leaver."""
    if to == handle:
        raise UsageError(f"--to {to}: cannot hand {handle}'s assets to {handle}")
    if not roster.knows(to):
        from socialgov.registry.schema import did_you_mean

        known = list(roster.people) + [f"{TEAM_PREFIX}{t}" for t in roster.teams]
        raise UsageError(
            f"--to {to!r} is neither a person nor a team of the roster",
            hint=did_you_mean(to, known) or "write a handle, or team:NAME",
        )
    if not _active_without(roster, to, handle):
        what = "a team with no active member" if to.startswith(TEAM_PREFIX) else "not active"
        other = " other than the leaver" if to.startswith(TEAM_PREFIX) else ""
        raise UsageError(
            f"--to {to}: {what}{other}; assets must go to an active owner",
            hint="choose an active person, or a team with an active member",
        )


def _new_owners(owners: tuple[str, ...], leaver: str, successor: str) -> tuple[str, ...]:
    """Replace the leaver in place; an accountable leaver's successor becomes accountable."""
    position = owners.index(leaver)
    rest = [o for o in owners if o != leaver]
    if position == 0:
        return (successor, *(o for o in rest if o != successor))
    if successor not in rest:
        rest.insert(position, successor)
    return tuple(rest)


def plan_offboarding(
    registry: Registry,
    handle: str,
    to: str | None,
    on: date,
    *,
    observed_emails: Mapping[AssetId, str] | None = None,
) -> OffboardPlan:
    """Decide everything offboarding `handle` changes; pure: reads `registry`, writes nothing.

    `observed_emails` maps domain assets to the registrant e-mail of their latest
    observation, for the checklist (see `observed_registrant_emails`).
    Raises NoSuccessor when an active asset the person owns would be left without owner.
    """
    roster = registry.roster
    person = roster.people.get(handle)
    if person is None:
        from socialgov.registry.schema import did_you_mean

        raise UsageError(
            f"no person {handle!r} in the roster",
            hint=did_you_mean(handle, list(roster.people)) or "see `socialgov people list`",
        )
    if to is not None:
        check_successor(roster, handle, to)
    manager = person.manager
    if manager is not None and (manager == handle or not _active_without(roster, manager, handle)):
        manager = None
    teams = tuple(sorted(t.name for t in roster.teams.values() if handle in t.members))
    team_owners = {f"{TEAM_PREFIX}{t}" for t in teams}
    emails = set(person.emails)
    observed = observed_emails or {}

    reassigned: list[Reassignment] = []
    removed: list[AccessRemoval] = []
    edits: list[AssetEdit] = []
    checklist: list[ChecklistItem] = []
    stranded: list[AssetId] = []
    warnings: list[str] = []
    orphaned_by_team: list[AssetId] = []

    # One pass over the registry: every way the person holds each asset.
    for asset_id in sorted(registry.assets):
        asset = registry.assets[asset_id]
        owners = asset.owners
        owns = handle in owners
        via_teams = [o for o in owners if o in team_owners]
        in_access = handle in asset.access
        recovery = (
            asset.kind is Kind.SOCIAL and asset.section.get("recovery_phone_holder") == handle
        )
        contacts = [(k, e) for k, e in asset.contact_emails() if e.lower() in emails]
        seen_email = observed.get(asset_id)
        if not (owns or via_teams or in_access or recovery or contacts or seen_email):
            continue

        new_owners: tuple[str, ...] | None = None
        if owns:
            successor, how = to, "to"
            if successor is None:
                successor = next((o for o in owners if _active_without(roster, o, handle)), None)
                how = "backup"
            if successor is None and manager is not None:
                successor, how = manager, "manager"
            if successor is None:
                if asset.active:
                    stranded.append(asset_id)
                else:
                    warnings.append(
                        f"{asset_id} is retired and has no successor; {handle} stays listed as its owner"
                    )
            else:
                new_owners = _new_owners(owners, handle, successor)
                reassigned.append(
                    Reassignment(asset_id, handle, successor, how, owners, new_owners)
                )
        elif via_teams and asset.active:
            others = [o for o in owners if _active_without(roster, o, handle)]
            if not others:
                orphaned_by_team.append(asset_id)

        new_access: tuple[str, ...] | None = None
        if in_access:
            new_access = tuple(h for h in asset.access if h != handle)
            removed.append(AccessRemoval(asset_id, handle, "access"))
        if recovery:
            removed.append(AccessRemoval(asset_id, handle, "social.recovery_phone_holder"))
        if new_owners is not None or new_access is not None or recovery:
            edits.append(AssetEdit(asset_id, asset.file, new_owners, new_access, recovery))

        checklist += _checklist(
            asset,
            person,
            on,
            held=owns or in_access or recovery,
            via_teams=via_teams,
            recovery=recovery,
            contacts=contacts,
            observed_email=seen_email,
            foreign_contacts=[
                (k, e)
                for k, e in asset.contact_emails()
                if owns and e.lower() not in emails and not registry.settings.is_company_email(e)
            ],
        )

    if stranded:
        raise NoSuccessor(handle, stranded)
    for team in teams:
        if not _active_without(roster, f"{TEAM_PREFIX}{team}", handle):
            warnings.append(f"team:{team} has no active member once {handle} leaves: add one")
    if orphaned_by_team:
        warnings.append(
            f"{plural(len(orphaned_by_team), 'active asset')} owned only through "
            f"{handle}'s teams will be orphaned: "
            + ", ".join(map(str, orphaned_by_team[:10]))
            + (", …" if len(orphaned_by_team) > 10 else "")
        )
    reports = sorted(p.handle for p in roster.people.values() if p.manager == handle and p.active)
    if reports:
        warnings.append(
            f"{', '.join(reports)} {'reports' if len(reports) == 1 else 'report'} to {handle}: set a new manager with "
            "`socialgov people set HANDLE manager=NEW`"
        )
    return OffboardPlan(
        person=handle,
        to=to,
        on=person.departed_on if person.departed and person.departed_on else on,
        mark_departed=not person.departed,
        reassigned=tuple(reassigned),
        access_removed=tuple(removed),
        teams_left=teams,
        edits=tuple(edits),
        checklist=tuple(checklist),
        warnings=tuple(warnings),
    )


def _checklist(
    asset: Asset,
    person: Person,
    on: date,
    *,
    held: bool,
    via_teams: Sequence[str],
    recovery: bool,
    contacts: Sequence[tuple[str, str]],
    observed_email: str | None,
    foreign_contacts: Sequence[tuple[str, str]] = (),
) -> list[ChecklistItem]:
    handle = person.handle
    items: list[ChecklistItem] = []
    rotated = asset.section.get("credentials_rotated")
    already_rotated = isinstance(rotated, date) and rotated >= (person.departed_on or on)
    if (held or via_teams) and not already_rotated:
        how = "held them" if held else "was a member of " + ", ".join(via_teams)
        detail = f"{handle} {how}"
        if ref := asset.section.get("credential_ref"):
            detail += f"; credential: {ref}"
        if asset.kind is Kind.SOCIAL:
            detail += f"; then `socialgov set {asset.id} social.credentials_rotated=YYYY-MM-DD`"
        else:
            detail += f"; the {asset.kind} account's password, API keys and sessions"
        items.append(ChecklistItem(asset.id, "rotate credentials", detail))
    if asset.kind is Kind.SOCIAL and (held or via_teams) and asset.section.get("mfa") is True:
        items.append(
            ChecklistItem(
                asset.id,
                "move 2FA",
                f"if {handle}'s device or authenticator holds the second factor, enrol one held by the new owner",
            )
        )
    if recovery:
        items.append(
            ChecklistItem(
                asset.id,
                "move recovery phone",
                f"{handle} held the recovery phone; register another holder's phone with the platform, "
                f"then `socialgov set {asset.id} social.recovery_phone_holder=HANDLE`",
            )
        )
    for key, email in contacts:
        items.append(
            ChecklistItem(
                asset.id,
                "change contact e-mail",
                f"{key} is {email}, {handle}'s address; change it at the registrar or platform, "
                f"then `socialgov set {asset.id} {key}=NEW`",
            )
        )
    for key, email in foreign_contacts:
        # The leaver may have used a personal mailbox nobody recorded in other_emails.
        items.append(
            ChecklistItem(
                asset.id,
                "check contact e-mail",
                f"{key} is {email}, outside the organisation's e-mail domains; make sure it is not "
                f"{handle}'s personal mailbox, then change it to a company address "
                f"(`socialgov set {asset.id} {key}=NEW`)",
            )
        )
    if observed_email and observed_email.lower() not in {e.lower() for _, e in contacts}:
        items.append(
            ChecklistItem(
                asset.id,
                "change registrant e-mail",
                f"the latest observation shows registrant e-mail {observed_email}, {handle}'s address; "
                "change it at the registrar",
            )
        )
    return items


def observed_registrant_emails(
    root: Path | Files, registry: Registry, emails: Sequence[str]
) -> dict[AssetId, str]:
    """Domains whose latest observation names one of `emails` as registrant (case-insensitive).

    `root` is a Path or a Files source. Files that cannot mention the addresses are
    skipped before parsing, so this stays cheap on registries with many observations.
    """
    from socialgov.registry.load import as_files, load_observation

    files = as_files(root)
    wanted = {e.lower() for e in emails if e}
    needles = [e.encode("utf-8") for e in wanted]
    found: dict[AssetId, str] = {}
    recorded = set(files.walk(paths.OBSERVATIONS_DIR))  # one listing, not a miss per domain
    for asset_id in registry.assets:
        if asset_id.kind is not Kind.DOMAIN:
            continue
        if (rel := paths.observation_relpath(asset_id.name)) not in recorded:
            continue
        raw = files.read(rel)
        if raw is None or not any(n in raw.lower() for n in needles):
            continue
        observation = load_observation(files, asset_id.name)
        email = observation.registrant_email if observation else None
        if email and email.lower() in wanted:
            found[asset_id] = email
    return found
