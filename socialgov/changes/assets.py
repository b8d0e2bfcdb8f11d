"""Asset changes: add, set, owners, retire. Each plans file content inside a transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from socialgov.changes.guards import (
    added,
    canonical_owner,
    check_not_orphaning,
    check_people,
    check_review_date,
)
from socialgov.errors import InputError, UsageError
from socialgov.model import AssetId, AssetStatus, Kind, Registry, SourceText
from socialgov.model.platforms import check_handle, platform_notes
from socialgov.policy.secret_scan import secret_kind
from socialgov.registry.load import parse_asset, validate_asset
from socialgov.registry.save import delete_path, dump_new, set_path
from socialgov.registry.schema import asset_field
from socialgov.registry.store import Transaction


def parse_assignments(kind: Kind, assignments: Sequence[str]) -> list[tuple[tuple[str, ...], Any]]:
    """`key=value` texts to (path, typed value); an empty value means remove the key."""
    parsed = []
    for text in assignments:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f"{text!r} is not key=value", hint="e.g. --set blog.url=https://blog.example"
            )
        try:
            path, field_type = asset_field(kind, key.strip())
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        if value == "":
            parsed.append((path, None))
            continue
        secret = secret_kind(".".join(path), value)
        if secret is not None:
            raise UsageError(
                f"refusing to write {key.strip()}: the value looks like {secret}",
                hint="keep credentials in the password manager and record only where they are, "
                "e.g. social.credential_ref=op://Marketing/X",
            )
        try:
            parsed.append((path, field_type.from_text(value)))
        except ValueError as exc:
            raise UsageError(f"{key.strip()}={value}: {exc}") from None
    return parsed


def _check_references(
    registry: Registry,
    data: dict[str, Any],
    before: Mapping[str, Any],
    today: date | None,
) -> None:
    """Every person named is on the roster; no one who has left is newly given anything."""
    for key, what in (("owners", "owner"), ("access", "person with access")):
        names = list(data.get(key, ()))
        check_people(registry, names, what)
        check_people(registry, added(list(before.get(key, ())), names), what, today=today)
    holder = data.get("social", {}).get("recovery_phone_holder")
    if holder:
        previous = before.get("social", {}).get("recovery_phone_holder")
        what = "recovery_phone_holder"
        check_people(registry, [holder], what, today=None if holder == previous else today)


def _validated(asset_id: AssetId, rel: str, content: bytes) -> None:
    """Re-read what will be written, so a command can never write a file that does not load."""
    try:
        parse_asset(asset_id, rel, content)
    except InputError as exc:
        raise UsageError(f"the change would make {rel} invalid: {exc.detail}") from None


def add_asset(
    tx: Transaction,
    registry: Registry,
    asset_id: AssetId,
    owners: Sequence[str],
    assignments: Sequence[str],
    today: date | None = None,
) -> None:
    """A new asset file; `today` is recorded as `last_reviewed` (whoever adds it has just
    reviewed it) unless the assignments set one."""
    owners = [canonical_owner(o) for o in owners]
    if asset_id in registry.assets or (registry.root / asset_id.relpath).exists():
        raise UsageError(
            f"{asset_id} already exists ({asset_id.relpath})", hint="change it with `socialgov set`"
        )
    data: dict[str, Any] = {"owners": list(owners), "status": AssetStatus.ACTIVE.value}
    if asset_id.kind is Kind.SOCIAL:
        platform, _, handle = asset_id.name.partition("/")
        try:
            check_handle(platform, handle)
        except ValueError as exc:
            raise UsageError(f"{exc}; nothing changed") from None
        data["social"] = {"platform": platform, "handle": handle}
    if today is not None:
        data["last_reviewed"] = today
    _assign(data, parse_assignments(asset_id.kind, assignments))
    _normalise_people(data)
    _check_references(registry, data, {}, today)
    if today is not None:
        check_review_date(data.get("last_reviewed"), today)
    validate_asset(asset_id, data, asset_id.relpath, SourceText(""))
    content = dump_new(_top_keys_first(data))
    tx.notes.extend(platform_notes(asset_id, data))
    _validated(asset_id, asset_id.relpath, content)
    tx.write(asset_id.relpath, content)
    owners_text = ", ".join(owners) if owners else "no owner"
    tx.message = f"add {asset_id} ({owners_text})"


_PEOPLE_PATHS = {("owners",), ("access",), ("social", "recovery_phone_holder")}


def _normalise_value(path: tuple[str, ...], value: Any) -> Any:
    """Handles are compared case-insensitively: store them as the roster spells them."""
    if path not in _PEOPLE_PATHS or value is None:
        return value
    if isinstance(value, list):
        return [canonical_owner(v) for v in value]
    return canonical_owner(value)


def _normalise_people(data: dict[str, Any]) -> None:
    for path in _PEOPLE_PATHS:
        node: Any = data
        for part in path[:-1]:
            node = node.get(part, {})
        if path[-1] in node:
            node[path[-1]] = _normalise_value(path, node[path[-1]])


def _assign(data: dict[str, Any], changes: list[tuple[tuple[str, ...], Any]]) -> None:
    """Apply parsed assignments to plain data (None removes the key)."""
    for path, value in changes:
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = value


def _top_keys_first(data: dict[str, Any]) -> dict[str, Any]:
    plain = {k: v for k, v in data.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    return {**plain, **tables}


def set_fields(
    tx: Transaction,
    registry: Registry,
    asset_id: AssetId,
    assignments: Sequence[str],
    today: date | None = None,
    *,
    allow_orphan: bool = False,
) -> None:
    if not assignments:
        raise UsageError("nothing to set", hint="give one or more key=value")
    changes = [
        (path, _normalise_value(path, value))
        for path, value in parse_assignments(asset_id.kind, assignments)
    ]
    asset = registry.assets[asset_id]
    new_data: dict[str, Any] = _deep_copy(asset.data)
    _assign(new_data, changes)
    _check_references(registry, new_data, asset.data, today)
    if today is not None and any(path == ("last_reviewed",) for path, _ in changes):
        check_review_date(new_data.get("last_reviewed"), today)
    if check_not_orphaning(
        registry,
        new_data,
        asset.owners,
        new_data.get("owners", []),
        str(asset_id),
        allow_orphan=allow_orphan,
    ):
        tx.notes.append(f"{asset_id} is now orphaned: it has no active owner")

    def change(document: Any) -> None:
        for path, value in changes:
            if value is None:
                delete_path(document, path)
            else:
                set_path(document, path, value)

    tx.edit(asset.file, change)
    _validated(asset_id, asset.file, tx.content(asset.file))
    tx.message = f"set {asset_id}: " + ", ".join(assignments)


def _deep_copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _deep_copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return list(data)
    return data


def change_owners(
    tx: Transaction,
    registry: Registry,
    asset_id: AssetId,
    add: Sequence[str],
    remove: Sequence[str],
    today: date | None = None,
    *,
    allow_orphan: bool = False,
) -> None:
    if not add and not remove:
        raise UsageError("nothing to change", hint="give --add P and/or --remove P")
    add = [canonical_owner(o) for o in add]
    remove = [canonical_owner(o) for o in remove]
    asset = registry.assets[asset_id]
    owners = list(asset.owners)
    for owner in remove:
        if owner not in owners:
            raise UsageError(
                f"{owner!r} is not an owner of {asset_id}; owners: {', '.join(owners) or 'none'}"
            )
        owners.remove(owner)
    check_people(registry, add)
    check_people(registry, added(asset.owners, add), today=today)
    for owner in add:
        if owner not in owners:
            owners.append(owner)
    if check_not_orphaning(
        registry, dict(asset.data), asset.owners, owners, str(asset_id), allow_orphan=allow_orphan
    ):
        tx.notes.append(f"{asset_id} is now orphaned: it has no active owner")
    tx.edit(asset.file, lambda document: set_path(document, ("owners",), owners))
    _validated(asset_id, asset.file, tx.content(asset.file))
    parts = [f"+{o}" for o in add] + [f"-{o}" for o in remove]
    tx.message = f"owners {asset_id}: {' '.join(parts)}"


def retire(
    tx: Transaction, registry: Registry, asset_id: AssetId, reason: str, today: date
) -> None:
    asset = registry.assets[asset_id]
    if not asset.active:
        raise UsageError(f"{asset_id} is already retired")
    if not reason.strip():
        raise UsageError("--reason must say why the asset is retired")
    if (secret := secret_kind("retired_reason", reason)) is not None:
        raise UsageError(
            f"refusing to write --reason: it looks like {secret}",
            hint="say why the asset is retired without credentials",
        )

    def change(document: Any) -> None:
        set_path(document, ("status",), AssetStatus.RETIRED.value)
        set_path(document, ("retired_on",), today)
        set_path(document, ("retired_reason",), reason.strip())

    tx.edit(asset.file, change)
    _validated(asset_id, asset.file, tx.content(asset.file))
    # The reason is in the file; a commit subject is copied into logs, mails and web views.
    tx.message = f"retire {asset_id}"
