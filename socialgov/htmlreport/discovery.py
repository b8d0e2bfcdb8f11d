"""The report's discovery sections: "Not in the registry" and "Lookalikes registered by others".

Both read only what was recorded (`discover --record`, assets that `discover --add` added and
nobody claimed yet, `lookalikes --check`), and appear only when there is something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socialgov.errors import UsageError
from socialgov.model import AssetId, Kind, Registry
from socialgov.registry.files import Files


@dataclass(frozen=True, slots=True)
class DiscoveredRow:
    id: AssetId
    state: str  # "not in the registry" | "added, unclaimed"
    evidence: str
    source: str


@dataclass(frozen=True, slots=True)
class LookalikeRow:
    name: AssetId
    original: str
    fuzzer: str
    registrant: str
    registrar: str
    created: date | None
    observed: date | None


def gather_discovery(
    registry: Registry, files: Files
) -> tuple[tuple[DiscoveredRow, ...], tuple[LookalikeRow, ...]]:
    from socialgov.discover.apply import load_recorded
    from socialgov.discover.candidates import DISCOVERED_TAG
    from socialgov.lookalikes.check import holder
    from socialgov.lookalikes.store import load_lookalikes
    from socialgov.model.ownership import is_orphaned

    discovered: list[DiscoveredRow] = []
    recorded_on, entries = load_recorded(files)
    for entry in entries:
        try:
            asset_id = AssetId.parse(str(entry["id"]))
        except UsageError:
            continue  # a hand-edited entry that is no id: nothing to show
        if asset_id in registry.assets:
            continue
        when = f" (recorded {recorded_on.isoformat()})" if recorded_on else ""
        discovered.append(
            DiscoveredRow(
                asset_id,
                "not in the registry" + when,
                str(entry.get("evidence", "")),
                str(entry.get("source", "")),
            )
        )
    for asset in sorted(registry.assets.values(), key=lambda a: a.id):
        if DISCOVERED_TAG in asset.tags and asset.active and is_orphaned(asset, registry.roster):
            note = str(asset.data.get("notes", "")).removeprefix("found by socialgov discover: ")
            discovered.append(DiscoveredRow(asset.id, "added, nobody claimed it", note, asset.file))
    held = {a.name for a in registry.by_kind(Kind.DOMAIN)}
    lookalikes = []
    for name, seen in sorted(load_lookalikes(files).items()):
        o = seen.observation
        if name in held or holder(o, registry.settings) != "someone else":
            continue
        lookalikes.append(
            LookalikeRow(
                AssetId(Kind.DOMAIN, name),
                seen.original,
                seen.fuzzer,
                "(redacted)" if o.registrant_redacted else (o.registrant_org or "(not shown)"),
                o.registrar or "",
                o.created,
                o.fetched_at.date() if o.fetched_at else None,
            )
        )
    return tuple(discovered), tuple(lookalikes)
