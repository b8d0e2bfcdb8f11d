"""Find assets: resolve an id given in short form, and filter listings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from socialgov.errors import UsageError
from socialgov.model import TEAM_PREFIX, Asset, AssetId, AssetStatus, Criticality, Kind, Registry
from socialgov.model.ownership import is_departed_held, is_orphaned
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


def _choices(
    option: str, values: Sequence[str] | None, allowed: Iterable[str]
) -> frozenset[str] | None:
    if not values:
        return None
    allowed = list(allowed)
    chosen = frozenset(v.strip().lower() for v in values)
    for value in sorted(chosen - set(allowed)):
        raise UsageError(
            f"{option} {value!r}: expected {', '.join(allowed)}",
            hint=did_you_mean(value, allowed),
        )
    return chosen


@dataclass(frozen=True)
class AssetFilter:
    """What `list` narrows the registry to; None means no condition."""

    kinds: frozenset[str] | None = None
    status: str | None = None
    department: str | None = None
    tags: frozenset[str] | None = None
    criticalities: frozenset[str] | None = None
    expiring_by: date | None = None

    @classmethod
    def from_options(
        cls,
        *,
        kinds: Sequence[str] | None = None,
        status: str | None = None,
        department: str | None = None,
        tags: Sequence[str] | None = None,
        criticalities: Sequence[str] | None = None,
        expiring_days: int | None = None,
        today: date,
    ) -> AssetFilter:
        statuses = _choices(
            "--status", [status] if status else None, (s.value for s in AssetStatus)
        )
        return cls(
            kinds=_choices("--kind", kinds, (k.value for k in Kind)),
            status=next(iter(statuses)) if statuses else None,
            department=department.strip().casefold() if department else None,
            tags=frozenset(tags) if tags else None,
            criticalities=_choices("--criticality", criticalities, (c.value for c in Criticality)),
            expiring_by=today + timedelta(days=expiring_days)
            if expiring_days is not None
            else None,
        )

    def matches(self, asset: Asset, expiry: Callable[[Asset], date | None]) -> bool:
        if self.kinds is not None and asset.kind.value not in self.kinds:
            return False
        if self.status is not None and asset.status.value != self.status:
            return False
        if self.department is not None and (asset.department or "").casefold() != self.department:
            return False
        if self.tags is not None and not self.tags <= set(asset.tags):
            return False
        if self.criticalities is not None and asset.criticality.value not in self.criticalities:
            return False
        if self.expiring_by is not None:
            expires = expiry(asset)
            return expires is not None and expires <= self.expiring_by
        return True


def _expiry_lookup(registry: Registry) -> Callable[[Asset], date | None]:
    """A domain's expiry: the latest observation's, else the recorded one."""
    from socialgov.registry.load import load_observations

    observations = load_observations(registry.root)

    def expiry(asset: Asset) -> date | None:
        found = asset.effective_expiry(observations.get(asset.name))
        return found[0] if found else None

    return expiry


def filter_assets(
    registry: Registry,
    *,
    kind: Kind | None = None,
    owner: str | None = None,
    orphaned: bool = False,
    departed: bool = False,
    where: AssetFilter | None = None,
) -> list[Asset]:
    roster = registry.roster
    selected: Iterable[Asset] = sorted(registry.assets.values(), key=lambda a: a.id)
    if kind is not None:
        selected = (a for a in selected if a.kind is kind)
    if where is not None:
        expiry = _expiry_lookup(registry) if where.expiring_by is not None else (lambda a: None)
        selected = [a for a in selected if where.matches(a, expiry)]
    if owner is not None:
        from socialgov.changes.guards import canonical_owner

        owner = canonical_owner(owner)
        if not roster.knows(owner):
            raise UsageError(
                f"--owner {owner!r} is neither a person nor a team of the roster",
                hint=did_you_mean(owner, [*roster.people, *(f"team:{t}" for t in roster.teams)]),
            )
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
