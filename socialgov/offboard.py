"""Offboarding: plan (pure) what a leaver hands over, then apply it in one commit.

`plan_offboarding` looks at a loaded registry and decides, for every asset the person
holds, who takes it over, which access goes, and what must be done by hand. `apply_plan`
turns a plan into file contents; `offboard` runs both under the registry's lock and
commits, on the current branch or on a new branch for review.
"""

from __future__ import annotations

import json
import re
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from socialgov.errors import GitError, SocialgovError, UsageError
from socialgov.model import TEAM_PREFIX, Asset, AssetId, Kind, Person, Registry, Roster
from socialgov.registry import paths

if TYPE_CHECKING:
    from socialgov.registry.files import Files
    from socialgov.vcs import Repo

# --- the plan --------------------------------------------------------------------------


class NoSuccessor(SocialgovError):
    """Some active assets would be left without an owner; nothing was changed (exit 2)."""

    def __init__(self, handle: str, assets: Sequence[AssetId]) -> None:
        self.assets = tuple(assets)
        listing = "\n".join(f"  {a}" for a in self.assets)
        super().__init__(
            f"cannot offboard {handle}: {len(self.assets)} active asset(s) would have no owner "
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
            count = _plural(len(self.reassigned), "asset")
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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


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
        )

    if stranded:
        raise NoSuccessor(handle, stranded)
    for team in teams:
        if not _active_without(roster, f"{TEAM_PREFIX}{team}", handle):
            warnings.append(f"team:{team} has no active member once {handle} leaves: add one")
    if orphaned_by_team:
        warnings.append(
            f"{_plural(len(orphaned_by_team), 'active asset')} owned only through "
            f"{handle}'s teams will be orphaned: "
            + ", ".join(map(str, orphaned_by_team[:10]))
            + (", …" if len(orphaned_by_team) > 10 else "")
        )
    reports = sorted(p.handle for p in roster.people.values() if p.manager == handle and p.active)
    if reports:
        warnings.append(
            f"{', '.join(reports)} report(s) to {handle}: set a new manager with "
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
    for asset_id in registry.assets:
        if asset_id.kind is not Kind.DOMAIN:
            continue
        raw = files.read(paths.observation_relpath(asset_id.name))
        if raw is None or not any(n in raw.lower() for n in needles):
            continue
        observation = load_observation(files, asset_id.name)
        email = observation.registrant_email if observation else None
        if email and email.lower() in wanted:
            found[asset_id] = email
    return found


# --- applying a plan -------------------------------------------------------------------


class Writer(Protocol):
    def write(self, rel: str, data: bytes) -> None: ...


def apply_plan(writer: Writer, registry: Registry, plan: OffboardPlan) -> None:
    """Write the planned content of every changed file (asset files and people.toml)."""
    for edit in plan.edits:
        asset = registry.assets[edit.asset]
        writer.write(edit.file, edit_asset_text(asset, edit).encode("utf-8"))
    if plan.mark_departed or plan.teams_left:
        writer.write(paths.PEOPLE_FILE, _people_text(registry, plan).encode("utf-8"))


def _expected(asset: Asset, edit: AssetEdit) -> dict[str, Any]:
    data: dict[str, Any] = _copy(asset.data)
    if edit.owners is not None:
        data["owners"] = list(edit.owners)
    if edit.access is not None:
        if edit.access:
            data["access"] = list(edit.access)
        else:
            data.pop("access", None)
    if edit.drop_recovery_phone:
        data.get("social", {}).pop("recovery_phone_holder", None)
    return data


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def edit_asset_text(asset: Asset, edit: AssetEdit) -> str:
    """The asset file with new owners/access, comments and layout kept.

    One-line arrays are rewritten in the text directly (fast, for large offboardings);
    anything else goes through tomlkit. Either way the result is parsed back and must
    hold exactly the expected data, so an edit can never corrupt a file.
    """
    expected = _expected(asset, edit)
    text = asset.source.text
    fast: str | None = text
    if edit.drop_recovery_phone:
        fast = None
    for key, values in (("owners", edit.owners), ("access", edit.access)):
        if fast is not None and values is not None:
            fast = _replace_top_array(fast, key, values)
    if fast is not None and _parses_to(fast, expected):
        return fast
    slow = _tomlkit_edit(text, edit)
    if not _parses_to(slow, expected):
        raise UsageError(f"cannot edit {asset.file} safely", hint="edit the file by hand")
    return slow


def _parses_to(text: str, expected: dict[str, Any]) -> bool:
    try:
        return tomllib.loads(text) == expected
    except tomllib.TOMLDecodeError:
        return False


_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _replace_top_array(text: str, key: str, values: tuple[str, ...]) -> str | None:
    """Rewrite the top-level array `key = [...]` (one line or several); None when not found.

    An empty `values` removes the key's lines. Comments inside the old array go, as with
    tomlkit; comments before and after it stay.
    """
    header = _HEADER.search(text)
    return _replace_array(text, key, values, 0, header.start() if header else len(text))


def _replace_array(
    text: str, key: str, values: tuple[str, ...], start: int, end: int
) -> str | None:
    """`_replace_top_array` within text[start:end] (a table's body)."""
    pattern = re.compile(rf"^([ \t]*{re.escape(key)}[ \t]*=[ \t]*)\[", re.MULTILINE)
    match = pattern.search(text, start, end)
    if match is None:
        return None
    close = _closing_bracket(text, match.end() - 1)
    if close is None:
        return None
    if values:
        array = "[" + ", ".join(json.dumps(v) for v in values) + "]"
        return text[: match.end() - 1] + array + text[close + 1 :]
    line_end = text.find("\n", close)
    return text[: match.start()] + ("" if line_end < 0 else text[line_end + 1 :])


def _table_span(text: str, table: str, name: str) -> tuple[int, int] | None:
    """Where the body of `[table.name]` starts and ends (the next header, or the end)."""
    header = re.compile(
        rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\.[ \t]*(\"?){re.escape(name)}\1[ \t]*\]"
        r"[ \t]*(#[^\n]*)?$",
        re.MULTILINE,
    )
    match = header.search(text)
    if match is None:
        return None
    start = match.end() + 1
    following = _HEADER.search(text, start)
    return start, following.start() if following else len(text)


def _set_scalar(text: str, start: int, end: int, key: str, rendered: str) -> str:
    """Set `key = rendered` in text[start:end]: in place, else after the table's last line."""
    pattern = re.compile(
        rf"^([ \t]*{re.escape(key)}[ \t]*=[ \t]*)(\"[^\"\n]*\"|\d{{4}}-\d{{2}}-\d{{2}})",
        re.MULTILINE,
    )
    match = pattern.search(text, start, end)
    if match is not None:
        return text[: match.start(2)] + rendered + text[match.end(2) :]
    insert = start
    position = start
    for line in text[start:end].splitlines(keepends=True):
        position += len(line)
        if line.strip() and not line.lstrip().startswith("#"):
            insert = position
    newline = "" if insert == 0 or text[insert - 1] == "\n" else "\n"
    return text[:insert] + f"{newline}{key} = {rendered}\n" + text[insert:]


def _people_fast(text: str, plan: OffboardPlan) -> str | None:
    """The roster edit as text edits of the leaver's table and their teams' member lists."""
    new: str | None = text
    if plan.mark_departed:
        span = _table_span(text, "people", plan.person)
        if span is None:
            return None
        new = _set_scalar(text, *span, "departed_on", plan.on.isoformat())
        span = _table_span(new, "people", plan.person)
        if span is None:
            return None
        new = _set_scalar(new, *span, "status", '"departed"')
    for team in plan.teams_left:
        span = _table_span(new, "teams", team) if new is not None else None
        if new is None or span is None:
            return None
        data = tomllib.loads(new)
        members = tuple(m for m in data["teams"][team].get("members", []) if m != plan.person)
        new = _replace_array(new, "members", members, *span)
        if new is not None and not members:
            span = _table_span(new, "teams", team)
            new = _set_scalar(new, *span, "members", "[]") if span else None
    return new


def _closing_bracket(text: str, opening: int) -> int | None:
    """The index of the `]` closing the array opened at `opening`, skipping strings and comments."""
    depth = 0
    index = opening
    quote = ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
            elif char == "\n":
                return None
        elif char in "\"'":
            if text.startswith(char * 3, index):
                return None  # multi-line strings: leave those files to tomlkit
            quote = char
        elif char == "#":
            newline = text.find("\n", index)
            if newline < 0:
                return None
            index = newline
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _tomlkit_edit(text: str, edit: AssetEdit) -> str:
    from socialgov.registry.save import delete_path, edit_text, set_path

    def change(document: Any) -> None:
        if edit.owners is not None:
            set_path(document, ("owners",), list(edit.owners))
        if edit.access is not None:
            if edit.access:
                set_path(document, ("access",), list(edit.access))
            else:
                delete_path(document, ("access",))
        if edit.drop_recovery_phone:
            delete_path(document, ("social", "recovery_phone_holder"))

    return edit_text(text, change)


def _people_text(registry: Registry, plan: OffboardPlan) -> str:
    from socialgov.errors import InputError
    from socialgov.registry.load import parse_roster
    from socialgov.registry.save import edit_text
    from socialgov.roster_import import set_key

    source = registry.sources.get(paths.PEOPLE_FILE)
    handle = plan.person

    def change(document: Any) -> None:
        import tomlkit

        if plan.mark_departed:
            set_key(document["people"][handle], "status", "departed")
            set_key(document["people"][handle], "departed_on", plan.on)
        for team in plan.teams_left:
            members = tomlkit.array()
            members.extend(m for m in document["teams"][team].get("members", []) if m != handle)
            set_key(document["teams"][team], "members", members)

    old = source.text if source else ""
    expected = _expected_roster(old, plan)
    text = _people_fast(old, plan)
    if text is None or not _parses_to(text, expected):
        # tomlkit parses a 2,000-person roster in about a second, so it is the fallback
        text = edit_text(old, change)
    try:
        parse_roster(text.encode("utf-8"))
    except InputError as exc:
        raise UsageError(
            f"the change would make {paths.PEOPLE_FILE} invalid: {exc.detail}"
        ) from None
    return text


def _expected_roster(text: str, plan: OffboardPlan) -> dict[str, Any]:
    data = tomllib.loads(text)
    if plan.mark_departed:
        data["people"][plan.person]["status"] = "departed"
        data["people"][plan.person]["departed_on"] = plan.on
    for team in plan.teams_left:
        entry = data["teams"][team]
        entry["members"] = [m for m in entry.get("members", []) if m != plan.person]
    return data


# --- running it ------------------------------------------------------------------------


@dataclass
class OffboardResult:
    plan: OffboardPlan
    dry_run: bool
    commit: str | None = None
    branch: str | None = None
    files: list[str] = field(default_factory=list)

    def to_json(self) -> Any:
        return self.plan.to_json(dry_run=self.dry_run, commit=self.commit, branch=self.branch)


def offboard(
    root: Path,
    handle: str,
    *,
    to: str | None,
    on: date,
    dry_run: bool = False,
    branch: str | None = None,
    author: str | None = None,
    commit: bool = True,
) -> OffboardResult:
    """Plan and (unless `dry_run`) apply an offboarding in one commit, or on a new `branch`."""
    if branch is not None:
        if not commit:
            raise UsageError("--branch and --no-commit cannot be combined")
        return _offboard_to_branch(root, handle, to, on, branch, author, dry_run)
    if dry_run:
        from socialgov.registry.store import load_current

        registry = load_current(root)
        return OffboardResult(_plan(root, registry, handle, to, on), dry_run=True)
    from socialgov.registry.load import load_registry
    from socialgov.registry.store import transaction

    with transaction(root, author=author, commit=commit) as tx:
        registry = load_registry(root)  # under the lock: another process's change is seen
        plan = _plan(root, registry, handle, to, on)
        if plan.changes_anything:
            apply_plan(tx, registry, plan)
            tx.message = plan.message()
    return OffboardResult(plan, dry_run=False, commit=tx.commit, files=sorted(tx.files))


def _plan(
    source: Path | Files, registry: Registry, handle: str, to: str | None, on: date
) -> OffboardPlan:
    person = registry.roster.people.get(handle)
    observed = observed_registrant_emails(source, registry, person.emails) if person else {}
    return plan_offboarding(registry, handle, to, on, observed_emails=observed)


# --- a new branch, for review ------------------------------------------------------------


class _Collect:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def write(self, rel: str, data: bytes) -> None:
        self.files[rel] = data


def _offboard_to_branch(
    root: Path,
    handle: str,
    to: str | None,
    on: date,
    branch: str,
    author: str | None,
    dry_run: bool,
) -> OffboardResult:
    """Commit the offboarding on a new branch whose parent is HEAD; HEAD, index and files stay."""
    from socialgov.registry.files import TreeFiles
    from socialgov.registry.load import load_registry
    from socialgov.vcs import Repo

    repo = Repo.find(root)
    ref = _new_branch_ref(repo, branch)
    with repo.lock():
        head = repo.head()
        if head is None:
            raise GitError("the repository has no commit yet to branch from")
        prefix = repo.rel(root)
        prefix = "" if prefix == "." else prefix
        files = TreeFiles(repo.read_tree(head, prefix))
        registry = load_registry(root, files)  # as committed: uncommitted edits stay out
        plan = _plan(files, registry, handle, to, on)
        result = OffboardResult(plan, dry_run=dry_run, branch=branch)
        if dry_run or not plan.changes_anything:
            return result
        collected = _Collect()
        apply_plan(collected, registry, plan)
        changed = {
            (f"{prefix}/{rel}" if prefix else rel): data
            for rel, data in collected.files.items()
            if files.read(rel) != data
        }
        if changed:
            result.commit = commit_on_new_branch(repo, ref, head, changed, plan.message(), author)
            result.files = sorted(changed)
    return result


def _new_branch_ref(repo: Repo, branch: str) -> str:
    if not branch or branch.startswith("-"):
        raise UsageError(f"--branch {branch!r} is not a valid branch name")
    out = repo.git("check-ref-format", "--branch", branch, check=False).decode().strip()
    if not out or out != branch:
        raise UsageError(
            f"--branch {branch!r} is not a valid branch name", hint="e.g. offboard/bob"
        )
    ref = f"refs/heads/{branch}"
    if repo.git("rev-parse", "-q", "--verify", ref, check=False).strip():
        raise UsageError(f"branch {branch!r} already exists", hint="choose another --branch name")
    return ref


def commit_on_new_branch(
    repo: Repo,
    ref: str,
    parent: str,
    files: Mapping[str, bytes],
    message: str,
    author: str | None,
) -> str:
    """Create `ref` at a new commit of `parent` plus `files` (top-relative paths).

    Built with a temporary index, so HEAD, the index and the working tree are untouched;
    the ref is created in one step and only if it does not exist yet.
    """
    from socialgov.vcs import ZERO

    env = _identity_env(repo, author)
    with tempfile.TemporaryDirectory(prefix="socialgov-branch-") as tmp:
        folder = Path(tmp)
        ordered = sorted(files)
        for number, path in enumerate(ordered):
            (folder / f"{number}.blob").write_bytes(files[path])
        listing = "".join(f"{folder / f'{n}.blob'}\n" for n in range(len(ordered)))
        shas = (
            repo.git("hash-object", "-w", "--no-filters", "--stdin-paths", input=listing.encode())
            .decode()
            .split()
        )
        index_env = {**env, "GIT_INDEX_FILE": str(folder / "index")}
        repo.git("read-tree", parent, env=index_env)
        info = "".join(f"100644 {sha}\t{path}\0" for path, sha in zip(ordered, shas, strict=True))
        repo.git("update-index", "-z", "--index-info", input=info.encode("utf-8"), env=index_env)
        tree = repo.git("write-tree", env=index_env).decode().strip()
    sha: str = (
        repo.git("commit-tree", tree, "-p", parent, "-F", "-", input=message.encode(), env=env)
        .decode()
        .strip()
    )
    repo.git("update-ref", "-m", "socialgov offboard", ref, sha, ZERO)
    return sha


_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*$")


def _identity_env(repo: Repo, author: str | None) -> dict[str, str]:
    import os

    configured = bool(repo.git("config", "user.email", check=False).strip())
    if author is None:
        if not configured and not os.environ.get("GIT_AUTHOR_EMAIL"):
            raise GitError(
                "git does not know who you are: no user.email in its configuration",
                hint="run `git config user.email you@example.com`, or pass --author 'Name <email>'",
            )
        return {}
    match = _AUTHOR.match(author)
    if not match:
        raise UsageError(f"--author {author!r}: expected 'Name <email>'")
    env = {"GIT_AUTHOR_NAME": match["name"], "GIT_AUTHOR_EMAIL": match["email"]}
    if not configured:
        env.update(GIT_COMMITTER_NAME=match["name"], GIT_COMMITTER_EMAIL=match["email"])
    return env


__all__ = [
    "AccessRemoval",
    "AssetEdit",
    "ChecklistItem",
    "NoSuccessor",
    "OffboardPlan",
    "OffboardResult",
    "Reassignment",
    "apply_plan",
    "offboard",
    "plan_offboarding",
]
