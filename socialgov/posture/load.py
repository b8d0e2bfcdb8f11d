"""Read recorded DNS and web observations for an audit: plain functions over the registry's
`Files`, so they read the working tree and a commit's tree alike.

Parsing thousands of small TOML files dominates an audit's cost, so the parsed tables are kept in a JSON cache keyed by each file's content hash
(registry.content_cache, shared with the asset records): a file
is parsed again only when its bytes change, whichever tree it comes from.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from socialgov.errors import InputError
from socialgov.lookup.dns_observation import DnsObservation
from socialgov.lookup.web_observation import WebObservation
from socialgov.model import Asset, Kind
from socialgov.posture.targets import DNS_DIR, WEB_DIR, blog_host, dns_relpath, web_relpath
from socialgov.registry.files import Files

T = TypeVar("T")


def _parse(raw: bytes, rel: str, build: Callable[[dict[str, Any]], T]) -> T:
    from socialgov.registry.load import parse_toml_text

    data, _ = parse_toml_text(raw, rel)
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise InputError(f"not a valid observation: {exc}", file=rel, line=1) from None


class TableCache:
    """Parsed TOML tables by the keyed hash of the file's bytes, in one JSON file (or
    nowhere): a registry.content_cache.ContentCache."""

    def __init__(self, path: Path | None) -> None:
        from socialgov.registry.content_cache import ContentCache

        self.store = ContentCache(path, "socialgov-tables/1")

    def table(self, raw: bytes, rel: str) -> dict[str, Any]:
        from socialgov.registry.content_cache import content_key
        from socialgov.registry.load import parse_toml_text

        key = content_key(raw)
        data = self.store.get(key)
        if not isinstance(data, dict):
            data = _jsonable(parse_toml_text(raw, rel)[0])
            self.store.put(key, data)
        return data

    def save(self) -> None:
        self.store.save()


def _jsonable(value: Any) -> Any:
    """Observation tables hold strings, numbers, booleans, date-times, lists and tables."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _load_all(
    files: Files, folder: str, cache_dir: Path | None, build: Callable[[dict[str, Any]], T]
) -> list[T]:
    cache = TableCache(cache_dir / f"{folder.replace('/', '-')}.json" if cache_dir else None)
    found = []
    for rel in files.walk(folder):
        raw = files.read(rel)
        if raw is None or not rel.endswith(".toml"):
            continue
        data = cache.table(raw, rel)
        try:
            found.append(build(data))
        except (KeyError, TypeError, ValueError, AssertionError) as exc:
            raise InputError(f"not a valid observation: {exc}", file=rel, line=1) from None
    cache.save()
    return found


def load_dns_observations(files: Files, cache_dir: Path | None = None) -> dict[str, DnsObservation]:
    """Name → its latest DNS observation (observations/dns/<name>.toml). `cache_dir`: where
    parsed files are cached (the registry's .socialgov/cache), or None."""
    return {o.name: o for o in _load_all(files, DNS_DIR, cache_dir, DnsObservation.from_toml)}


def load_web_observations(files: Files, cache_dir: Path | None = None) -> dict[str, WebObservation]:
    """Asset id → its latest web observation (observations/web/<asset-file-stem>.toml)."""
    return {o.asset: o for o in _load_all(files, WEB_DIR, cache_dir, WebObservation.from_toml)}


def previous_dns_observations(
    root: Path, rev: str | None, files: Files
) -> dict[str, DnsObservation]:
    """Name → the DNS observation before the current one, as of `rev` (see
    socialgov.policy.history_observations); broken old files are skipped."""
    from socialgov.policy.history_observations import previous_blobs
    from socialgov.vcs import read_blobs

    if rev is None:
        return {}
    blobs = previous_blobs(root, rev, files, DNS_DIR)
    contents = read_blobs(root, list(blobs.values()))
    found: dict[str, DnsObservation] = {}
    for name, blob in blobs.items():
        raw = contents.get(blob)
        if raw is None:
            continue
        with contextlib.suppress(InputError):
            found[name] = _parse(raw, dns_relpath(name), DnsObservation.from_toml)
    return found


def asset_posture(
    files: Files, asset: Asset
) -> tuple[DnsObservation | None, WebObservation | None]:
    """The latest DNS observation of an asset (a domain's name, a blog's host) and its latest
    web observation, for `show`."""
    name = asset.name if asset.kind is Kind.DOMAIN else blog_host(asset)
    dns = None
    if name is not None and (raw := files.read(dns_relpath(name))) is not None:
        dns = _parse(raw, dns_relpath(name), DnsObservation.from_toml)
    web = None
    if (raw := files.read(web_relpath(asset.id))) is not None:
        web = _parse(raw, web_relpath(asset.id), WebObservation.from_toml)
    return dns, web
