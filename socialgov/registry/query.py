"""Find assets: resolve an id given in short form, and filter listings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from socialgov.errors import UsageError
from socialgov.model import TEAM_PREFIX, Asset, AssetId, Kind, Registry
from socialgov.ownership import is_departed_held, is_orphaned
from socialgov.registry.schema import did_you_mean


def resolve_id(registry: Registry, text: str) -> AssetId:
    """`domain:example.com`, or the short `example.com` where only one kind has that name."""
    asset_id = _resolve(text, lambda candidate: candidate in registry.assets)
    if asset_id is None or asset_id not in registry.assets:
        shown = str(asset_id) if asset_id else text
        raise UsageError(f"no asset {shown!r} in the registry", hint=_suggest(registry, shown))
    return asset_id


def resolve_id_on_disk(root: Path, text: str) -> AssetId:
    """Like `resolve_id` by the files alone; a full KIND:NAME is accepted without a file,
    since an asset removed since still has a history."""
    asset_id = _resolve(text, lambda candidate: (root / candidate.relpath).is_file())
    if asset_id is None:
        raise UsageError(f"no asset {text!r} in the registry", hint="write the full id, KIND:NAME")
    return asset_id


def _resolve(text: str, exists: Callable[[AssetId], bool]) -> AssetId | None:
    """A full id as given; a short name when exactly one kind has it; None when none has."""
    kind_text, sep, _ = text.partition(":")
    if sep and kind_text.lower() in Kind._value2member_map_:
        return AssetId.parse(text)
    candidates = []
    for kind in Kind:
        try:
            candidate = AssetId.of(kind, text)
        except UsageError:
            continue
        if exists(candidate):
            candidates.append(candidate)
    if len(candidates) > 1:
        raise UsageError(
            f"{text!r} names more than one asset: " + ", ".join(map(str, candidates)),
            hint="write the full id, KIND:NAME",
        )
    return candidates[0] if candidates else None


def _suggest(registry: Registry, text: str) -> str | None:
    names = {str(a) for a in registry.assets} | {a.name for a in registry.assets}
    return did_you_mean(text, names)


def filter_assets(
    registry: Registry,
    *,
    kind: Kind | None = None,
    owner: str | None = None,
    orphaned: bool = False,
    departed: bool = False,
) -> list[Asset]:
    roster = registry.roster
    selected: Iterable[Asset] = sorted(registry.assets.values(), key=lambda a: a.id)
    if kind is not None:
        selected = (a for a in selected if a.kind is kind)
    if owner is not None:
        if not roster.knows(owner):
            raise UsageError(f"--owner {owner!r} is neither a person nor a team of the roster")
        selected = (a for a in selected if owner in a.owners or _in_owner_team(owner, a, registry))
    if orphaned:
        selected = (a for a in selected if is_orphaned(a, roster))
    if departed:
        selected = (a for a in selected if is_departed_held(a, roster))
    return list(selected)


def _in_owner_team(handle: str, asset: Asset, registry: Registry) -> bool:
    if handle.startswith(TEAM_PREFIX):
        return False
    return any(
        o.startswith(TEAM_PREFIX) and handle in registry.roster.members(o) for o in asset.owners
    )
