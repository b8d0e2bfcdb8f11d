"""Observations cached as JSON files, one per domain, so a repeated run sends no query.

Layout: `<cache_dir>/observations/<ascii domain>.json` holding
`{"version": 1, "fetched_at": "<ISO 8601 UTC>", "observation": {…SPEC §3 object…}}`.
Failed lookups are never written.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from socialgov.lookup.observation import Observation
from socialgov.registry.content_cache import check_cache_folder
from socialgov.registry.save import atomic_write

VERSION = 1
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{0,252}$")


class ObservationCache:
    def __init__(self, cache_dir: Path, *, max_age_hours: float) -> None:
        self.folder = cache_dir / "observations"
        self.max_age = timedelta(hours=max_age_hours)

    def path(self, domain: str) -> Path | None:
        return self.folder / f"{domain}.json" if _SAFE_NAME.match(domain) else None

    def get(self, domain: str, now: datetime) -> Observation | None:
        path = self.path(domain)
        if path is None or self.max_age <= timedelta(0):
            return None
        try:
            entry = json.loads(path.read_text("utf-8"))
            if entry.get("version") != VERSION:
                return None
            fetched = datetime.fromisoformat(entry["fetched_at"].replace("Z", "+00:00"))
            if not timedelta(0) <= _utc(now) - _utc(fetched) < self.max_age:
                return None
            obs = Observation.from_toml(entry["observation"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, stale or damaged: ask again
        return obs if obs.domain == domain and obs.registered is not None else None

    def put(self, obs: Observation) -> None:
        path = self.path(obs.domain)
        if path is None or obs.registered is None or obs.fetched_at is None:
            return
        payload = {
            "version": VERSION,
            "fetched_at": _utc(obs.fetched_at).isoformat(),
            "observation": obs.to_json(),
        }
        text = json.dumps(payload, ensure_ascii=False, indent=1)
        try:
            check_cache_folder(self.folder)
            atomic_write(path, text.encode("utf-8"), durable=False)
        except OSError:
            return  # a cache that cannot be written: the next run asks again


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
