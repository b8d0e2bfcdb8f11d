"""Lifecycle changes: remove or rename a person, keep teams, rename an asset.

Each plans its files inside a Transaction (one commit) and refuses, with the reason, a
change that would leave a reference dangling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from socialgov.changes.guards import canonical_owner
from socialgov.changes.people import edit_roster
from socialgov.errors import InputError, UsageError
from socialgov.model import TEAM_PREFIX, AssetId, Kind, Registry
from socialgov.model.ownership import holdings
from socialgov.registry import paths
from socialgov.registry.load import parse_asset
from socialgov.registry.save import set_path
from socialgov.registry.schema import did_you_mean
from socialgov.registry.store import Transaction

_HANDLE_RULE = "lower-case letters, digits, '.', '_' and '-'"


def _person(registry: Registry, handle: str) -> str:
    handle = canonical_owner(handle)
    if handle not in registry.roster.people:
        raise UsageError(
            f"no person {handle!r} in the roster",
            hint=did_you_mean(handle, list(registry.roster.people))
            or "see `socialgov people list`",
        )
    return handle


def what_they_hold(registry: Registry, handle: str) -> list[str]:
    """Every reference to the person: assets (owner, access, recovery phone, contact), teams,
    people they manage, waivers they approved."""
    from socialgov.registry.load import load_waivers

    held = [
        f"{asset.id} ({h.role})"
        for asset in sorted(registry.assets.values(), key=lambda a: a.id)
        for h in holdings(asset, registry.roster)
        if h.handle == handle
    ]
    held += [
        f"team:{t.name} (member)" for t in registry.roster.teams.values() if handle in t.members
    ]
    held += [
        f"{p.handle} (manager of)" for p in registry.roster.people.values() if p.manager == handle
    ]
    held += [
        f"waiver of {w.rule} on {w.asset} (approver)"
        for w in load_waivers(registry.root, registry.assets)
        if w.approved_by == handle
    ]
    return held


def remove_person(tx: Transaction, registry: Registry, handle: str) -> None:
    """Delete a person who holds nothing; a person who holds something is offboarded first."""
    handle = _person(registry, handle)
    held = what_they_hold(registry, handle)
    if held:
        shown = ", ".join(held[:8]) + (f" and {len(held) - 8} more" if len(held) > 8 else "")
        raise UsageError(
            f"{handle} still holds {len(held)} thing{'s' if len(held) != 1 else ''}: {shown}; "
            "nothing changed",
            hint=f"hand them over first with `socialgov offboard {handle} --to HANDLE`; "
            "a departed person can also simply stay in the roster as a record",
        )
    edit_roster(tx, lambda doc: doc["people"].remove(handle))
    tx.message = f"people remove {handle}"


def rename_person(tx: Transaction, registry: Registry, old: str, new: str) -> None:
    """Give a person a new handle and rewrite every reference to the old one, in one commit."""
    import re

    old = _person(registry, old)
    new = canonical_owner(new)
    if not re.fullmatch(r"[a-z0-9_][a-z0-9._-]*", new):
        raise UsageError(f"handle {new!r} is not valid: use {_HANDLE_RULE}")
    if new in registry.roster.people:
        raise UsageError(f"{new!r} is already in the roster; nothing changed")

    def change(document: Any) -> None:
        import tomlkit

        people = document["people"]
        entry = people[old]
        people.remove(old)
        copy = tomlkit.table()
        for key, value in entry.items():
            copy[key] = value
        people[new] = copy
        for person in people.values():
            if person.get("manager") == old:
                person["manager"] = new
        for team in document.get("teams", {}).values():
            members = team.get("members")
            if members is not None and old in members:
                team["members"] = [new if m == old else m for m in members]

    edit_roster(tx, change)
    touched = 0
    for asset in sorted(registry.assets.values(), key=lambda a: a.id):
        owners = [new if o == old else o for o in asset.owners]
        access = [new if h == old else h for h in asset.access]
        holder_keys = asset.kind.spec.holder_keys
        held = any(asset.section.get(key) == old for key in holder_keys)
        if owners == list(asset.owners) and access == list(asset.access) and not held:
            continue

        def edit(
            document: Any,
            owners: list[str] = owners,
            access: list[str] = access,
            table: str = asset.kind.value,
            holder_keys: Mapping[str, str] = holder_keys,
        ) -> None:
            if "owners" in document:
                set_path(document, ("owners",), owners)
            if "access" in document:
                set_path(document, ("access",), access)
            section = document.get(table)
            for key in holder_keys:
                if section is not None and section.get(key) == old:
                    section[key] = new

        tx.edit(asset.file, edit)
        touched += 1
    touched += _rewrite_waivers(tx, registry, approver=(old, new))
    tx.message = f"people rename {old} → {new} ({touched} file{'s' if touched != 1 else ''} besides people.toml)"


def _rewrite_waivers(
    tx: Transaction,
    registry: Registry,
    *,
    approver: tuple[str, str] | None = None,
    asset: tuple[AssetId, AssetId] | None = None,
) -> int:
    import tomlkit

    try:
        text = tx.read_text(paths.WAIVERS_FILE)
    except FileNotFoundError:
        return 0
    document = tomlkit.parse(text)
    changed = False
    for entry in document.get("waiver", []):
        if approver and entry.get("approved_by") == approver[0]:
            entry["approved_by"] = approver[1]
            changed = True
        if asset:
            try:
                named = AssetId.parse(str(entry.get("asset", "")))
            except UsageError:
                continue
            if named == asset[0]:
                entry["asset"] = str(asset[1])
                changed = True
    if changed:
        tx.write(paths.WAIVERS_FILE, tomlkit.dumps(document).encode("utf-8"))
    return int(changed)


# --- teams ------------------------------------------------------------------------------


def _team(registry: Registry, name: str) -> str:
    name = name.strip().lower().removeprefix(TEAM_PREFIX)
    if name not in registry.roster.teams:
        raise UsageError(
            f"no team {name!r} in the roster",
            hint=did_you_mean(name, list(registry.roster.teams)) or "see `socialgov teams list`",
        )
    return name


def add_team(tx: Transaction, registry: Registry, name: str, members: Sequence[str]) -> None:
    import re

    import tomlkit

    name = name.strip().lower().removeprefix(TEAM_PREFIX)
    if not re.fullmatch(r"[a-z0-9_][a-z0-9._-]*", name):
        raise UsageError(f"team name {name!r} is not valid: use {_HANDLE_RULE}")
    if name in registry.roster.teams:
        raise UsageError(
            f"team:{name} already exists", hint="change it with `socialgov teams members`"
        )
    handles = [canonical_owner(m) for m in members]
    for handle in handles:
        _person(registry, handle)

    def change(document: Any) -> None:
        table = tomlkit.table()
        table["members"] = handles
        if "teams" not in document:
            document["teams"] = tomlkit.table(is_super_table=True)
        document["teams"][name] = table

    edit_roster(tx, change)
    tx.message = f"teams add {name}" + (f" ({', '.join(handles)})" if handles else "")


def remove_team(tx: Transaction, registry: Registry, name: str) -> None:
    name = _team(registry, name)
    owner = f"{TEAM_PREFIX}{name}"
    owned = sorted(str(a.id) for a in registry.assets.values() if owner in a.owners)
    if owned:
        raise UsageError(
            f"{owner} still owns {len(owned)} asset{'s' if len(owned) != 1 else ''}: "
            + ", ".join(owned[:8])
            + ("…" if len(owned) > 8 else "")
            + "; nothing changed",
            hint="give them other owners first with `socialgov owners ID --add P --remove team:NAME`",
        )
    edit_roster(tx, lambda doc: doc["teams"].remove(name))
    tx.message = f"teams remove {name}"


def change_members(
    tx: Transaction, registry: Registry, name: str, add: Sequence[str], remove: Sequence[str]
) -> None:
    name = _team(registry, name)
    members = list(registry.roster.teams[name].members)
    for handle in (canonical_owner(h) for h in remove):
        if handle not in members:
            raise UsageError(
                f"{handle!r} is not a member of team:{name}; members: {', '.join(members) or 'none'}"
            )
        members.remove(handle)
    for handle in (canonical_owner(h) for h in add):
        _person(registry, handle)
        if handle not in members:
            members.append(handle)
    edit_roster(tx, lambda doc: set_path(doc, ("teams", name, "members"), members))
    parts = [f"+{canonical_owner(h)}" for h in add] + [f"-{canonical_owner(h)}" for h in remove]
    tx.message = f"teams members {name}: {' '.join(parts)}"
    owner = f"{TEAM_PREFIX}{name}"
    if not registry.roster.is_active_owner(owner) or any(
        registry.roster.people[m].active for m in members
    ):
        return
    orphaned = sorted(
        str(a.id) for a in registry.assets.values() if a.active and a.owners == (owner,)
    )
    if orphaned:
        tx.notes.append(
            f"warning: team:{name} has no active member now; {', '.join(orphaned)} "
            f"{'is' if len(orphaned) == 1 else 'are'} orphaned"
        )


# --- assets -----------------------------------------------------------------------------


def rename_asset(tx: Transaction, registry: Registry, asset_id: AssetId, new_name: str) -> AssetId:
    """Move an asset to a new id of the same kind (a git rename, so history follows it) and
    rewrite the waivers and blogs that name it."""
    new_id = AssetId.of(asset_id.kind, new_name.partition(":")[2] if ":" in new_name else new_name)
    if new_id == asset_id:
        raise UsageError(f"{asset_id} already has that name; nothing changed")
    if new_id in registry.assets or (registry.root / new_id.relpath).exists():
        raise UsageError(f"{new_id} already exists ({new_id.relpath}); nothing changed")
    asset = registry.assets[asset_id]
    text = tx.read_text(asset.file)
    if asset_id.kind is Kind.SOCIAL:
        from socialgov.model.platforms import check_handle
        from socialgov.registry.save import edit_text

        platform, _, handle = new_id.name.partition("/")
        try:
            check_handle(platform, handle)
        except ValueError as exc:
            raise UsageError(f"{exc}; nothing changed") from None

        def retarget(document: Any) -> None:
            set_path(document, ("social", "platform"), platform)
            set_path(document, ("social", "handle"), handle)

        text = edit_text(text, retarget)
    content = text.encode("utf-8")
    try:
        parse_asset(new_id, new_id.relpath, content)
    except InputError as exc:
        raise UsageError(f"the change would make {new_id.relpath} invalid: {exc.detail}") from None
    tx.delete(asset.file)
    tx.write(new_id.relpath, content)
    _rewrite_waivers(tx, registry, asset=(asset_id, new_id))
    if asset_id.kind is Kind.DOMAIN:
        for blog in registry.by_kind(Kind.BLOG):
            if blog.section.get("domain") in (str(asset_id), asset_id.name):
                tx.edit(blog.file, lambda doc: set_path(doc, ("blog", "domain"), str(new_id)))
    tx.message = f"rename {asset_id} → {new_id}"
    return new_id
