"""The last whole audit of the working tree, patched when a few asset files change.

A whole `audit` of a large registry of which one asset file changed would otherwise load
every record and run every rule again, to find on all the other assets what it found
before. The snapshot keeps, for each asset file, what the last whole audit found on its
asset: the findings of every rule before waivers, the rules that checked it, its owners
(which the table shows), and what rules reading other assets read of it (whether it is a
domain, and active). An entry is kept under the file's path and stat (as git's index
tells an unchanged file; one changed in the last seconds is never taken as unchanged, see
files.RACY_SECONDS), in a content cache (registry.content_cache) whose format names a
keyed hash of everything else the audit read: socialgov's version and files, the date, the
commit HEAD names, any `--policy` file, and every file of the registry that is not an asset
file, by its stat. A change to any of those starts another snapshot.

`patched_audit` takes each unchanged file's entry and loads and audits the others. It
gives way to the whole audit (None) when more than a few files changed, when one does not
load (the whole audit reports every error), or when the registry's domains are not those
the snapshot's findings were made with. Its result is the whole audit's, finding for
finding; the whole audit fills the snapshot as it runs (`AuditSnapshot.record`).
"""

from __future__ import annotations

import stat
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from socialgov import __version__
from socialgov.errors import InputError, SocialgovError
from socialgov.model import Asset, AssetId, Kind
from socialgov.policy.config import Policy
from socialgov.policy.findings_memo import finding_rows, findings_of
from socialgov.policy.result import AuditResult, Finding
from socialgov.registry import output_memo, paths
from socialgov.registry.content_cache import ContentCache, content_key
from socialgov.registry.output_memo import TreeEntry

CACHE_FILE = "audit.json"
FORMAT = f"socialgov-audit/1/{__version__}"
# A patch re-evaluates at most this many files, or this share of them: more is the whole
# audit's work, which runs across the cores and keeps its caches.
PATCH_MIN = 200
PATCH_SHARE = 0.02
_KINDS = {kind.value: kind for kind in Kind}


class AuditSnapshot:
    """The snapshot of the audits of one context (see the module's documentation)."""

    def __init__(self, store: ContentCache, files: dict[str, str | None]) -> None:
        self.store = store
        # Each asset file and the key of its entry (of its path and stat); None when its
        # stat identifies nothing.
        self.files = files
        self._domains_key = content_key(b"audit-domains")

    def record(self, asset: Asset, findings: Sequence[Finding], checked: int) -> None:
        """Keep what the audit found on `asset` (before waivers) and the rules that checked it."""
        key = self.files.get(asset.file)
        if key is not None and all(f.asset == asset.id for f in findings):
            # A tuple: made JSON when the snapshot is written (see ContentCache.encode).
            # Not the asset, whose tables the snapshot must not keep alive.
            owners = asset.data.get("owners", ())
            entry = (asset.kind.value, asset.name, asset.active, owners, findings, checked)
            self.store.put(key, entry)

    def save(self, domains: Mapping[str, bool]) -> None:
        """Keep the entries, with the domains the findings were made with."""
        self.store.put(self._domains_key, _digest(domains))
        self.store.save()

    def same_domains(self, domains: Mapping[str, bool]) -> bool:
        """Whether the registry's domains are those the snapshot's findings were made with."""
        return bool(self.store.get(self._domains_key) == _digest(domains))

    def recall(self, rel: str) -> tuple[AssetId, bool, tuple[str, ...], list[Finding], int] | None:
        """The entry of an unchanged asset file: its asset, whether it is active, its owners,
        its findings and the rules that checked it; None for a changed file, or an entry of
        another shape (which is dropped)."""
        key = self.files.get(rel)
        entry = self.store.get(key) if key is not None else None
        if entry is None:
            return None
        try:
            kind, name, active, owners, rows, checked = entry
            asset = AssetId(_KINDS[kind], name)
            if not (
                type(name) is str
                and type(active) is bool
                and type(checked) is int
                and all(type(owner) is str for owner in owners)
            ):
                raise TypeError
            return asset, active, tuple(owners), findings_of(rows, asset), checked
        except (TypeError, ValueError, KeyError):
            assert key is not None
            self.store.drop(key)
            return None


def open_snapshot(
    root: Path,
    today: date,
    entries: Sequence[TreeEntry] | None,
    given: Sequence[Path] = (),
) -> AuditSnapshot | None:
    """The snapshot of an audit of `root` whose files are `entries` (output_memo.tree_entries,
    leaving out the file the run writes), with `given` read outside the registry (--policy);
    None when the context cannot be told: no entries (caching off, a symlink), a file not
    an asset file that changed in the last seconds, or an asset folder named like a file."""
    from socialgov.registry.asset_cache import open_cache

    if entries is None:
        return None  # caching is off, or a symlink
    settled = output_memo.settled_before()
    context: list[str] = []
    files: dict[str, str | None] = {}
    for entry in entries:
        rel = entry[0]
        parts = rel.split("/")
        is_asset = parts[0] == paths.ASSETS_DIR and not any(p.startswith(".") for p in parts)
        if is_asset and any(part.endswith(".toml") for part in parts[1:-1]):
            return None  # the loader lists such a folder as a file, and says why it is wrong
        if is_asset and parts[-1].endswith(".toml"):
            fresh = max(entry[5], entry[6]) >= settled or not stat.S_ISREG(entry[1])
            # The path and stat as they are: the format is a keyed hash (planted entries
            # never match), and hashing 100,000 keys more would cost a second.
            files[rel] = None if fresh else f"{rel}\0{output_memo.stat_text(entry)}"
        elif max(entry[5], entry[6]) >= settled:
            return None
        else:
            context.append(f"{rel}\0{output_memo.stat_text(entry)}")
    try:
        read = [path.read_bytes() for path in given]
        head = output_memo.head_of(root)
    except (OSError, SocialgovError):
        return None  # the run itself reports the file, or git's failure
    fmt = "/".join(
        [
            FORMAT,
            content_key(
                output_memo.code_identity(),
                str(root.resolve()).encode(),
                today.isoformat().encode(),
                head.encode(),
                "\n".join(context).encode("utf-8", "surrogateescape"),
                b"%d" % len(read),
                *read,
            ),
        ]
    )
    store = open_cache(root, CACHE_FILE, fmt, _entry_json)
    return AuditSnapshot(store, files) if store.path is not None else None


def patched_audit(
    snapshot: AuditSnapshot, root: Path, *, today: date, policy: Policy | None = None
) -> tuple[AuditResult, dict[AssetId, tuple[str, ...]]] | None:
    """The whole audit of the working tree, from the snapshot and the changed files, with
    every asset's owners; None when the whole audit must run (see the module's doc)."""
    from socialgov.policy.engine import audit

    if not snapshot.store.old:
        return None
    recalled = []
    owners: dict[AssetId, tuple[str, ...]] = {}
    domains: dict[str, bool] = {}
    changed: list[str] = []
    for rel in snapshot.files:
        entry = snapshot.recall(rel)
        if entry is None:
            changed.append(rel)
            if len(changed) > max(PATCH_MIN, PATCH_SHARE * len(snapshot.files)):
                return None
            continue
        asset, active, owned, findings, checked = entry
        recalled.append((asset, findings, checked))
        owners[asset] = owned
        if asset.kind is Kind.DOMAIN:
            domains[asset.name] = active
    try:
        inputs = _inputs_of(root, changed, domains, {a for a, _, _ in recalled}, policy)
    except InputError:
        return None  # the whole audit says what is wrong, with every other error
    if inputs is None or not snapshot.same_domains(domains):
        return None
    for asset in inputs.registry.assets.values():
        owners[asset.id] = asset.owners
    result = audit(inputs, today=today, record=snapshot.record, recalled=recalled)
    snapshot.save(domains)
    return result, owners


def _inputs_of(
    root: Path,
    changed: Sequence[str],
    domains: dict[str, bool],
    unchanged: set[AssetId],
    policy: Policy | None,
) -> Any:
    """The audit inputs of a patch: the changed assets (`domains` gains theirs), and the
    registry's settings, roster, policy and waivers (whose assets must be `unchanged` or
    changed ones); None when a changed file is gone."""
    from socialgov.model import Registry
    from socialgov.policy.config import load_registry_policy
    from socialgov.policy.inputs import AuditInputs, History, check_waiver_rules
    from socialgov.registry.files import DiskFiles
    from socialgov.registry.load import (
        asset_id_for,
        cached_roster,
        load_settings,
        load_waivers,
        parse_asset,
    )

    files = DiskFiles(root)
    assets: dict[AssetId, Asset] = {}
    for rel in changed:
        asset_id = asset_id_for(rel)
        raw = files.read(rel)
        if asset_id is None or raw is None:
            return None
        asset = parse_asset(asset_id, rel, raw)
        assets[asset.id] = asset
        if asset.kind is Kind.DOMAIN:
            domains[asset.name] = asset.active
    settings = load_settings(files)
    roster, people = cached_roster(files, None, root)
    if policy is None:
        policy = load_registry_policy(settings.policy_files, files)
    waivers = load_waivers(files, unchanged | assets.keys(), check_assets=True)
    check_waiver_rules(waivers)
    registry = Registry(
        root=root,
        settings=settings,
        roster=roster,
        assets=assets,
        sources={paths.PEOPLE_FILE: people} if people is not None else {},
    )
    inputs = AuditInputs(
        registry=registry,
        policy=policy,
        waivers=tuple(waivers),
        files=files,
        history=History(root, "HEAD"),
        domains=dict(domains),
    )
    # Only the changed domains' observations are read (every file is as the snapshot saw it).
    inputs.observe_only([asset.name for asset in assets.values() if asset.kind is Kind.DOMAIN])
    return inputs


def _entry_json(entry: tuple[Any, ...]) -> list[Any]:
    kind, name, active, owners, findings, checked = entry
    return [kind, name, active, list(owners), finding_rows(findings), checked]


def _digest(domains: Mapping[str, bool]) -> str:
    lines = sorted(f"{name} {int(active)}" for name, active in domains.items())
    return content_key("\n".join(lines).encode())
