"""Validated asset records, kept between runs and parsed in parallel when there are many.

Parsing thousands of small TOML files dominates every command's cost. A file whose bytes
were parsed and validated before is served from the content cache (`.socialgov/cache/assets.json`), keyed by a keyed hash of its path and bytes, so a
stale record can never be served. A record is JSON: `[data, text, dates, kind, name]` —
the parsed tables with dates as ISO text, the file's text (positions are computed from it
only when a finding or error needs one), the paths of the date values to restore, and the
asset id. A record of any other shape is ignored and the file parsed again.

A cold registry of more than PARALLEL_MIN files to parse is parsed across the available
cores in chunks; results are taken in file order, so the output is the serial path's.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from socialgov import __version__
from socialgov.errors import InputError
from socialgov.model import Asset, AssetId, Kind, SourceText
from socialgov.registry import paths
from socialgov.registry.content_cache import ContentCache, content_key
from socialgov.registry.files import BLOB_PREFIX, Files
from socialgov.registry.parse_pool import (
    ErrorFields,
    Parse,
    ParsePool,
    error_fields,
    error_from,
)

CACHE_FILE = "assets.json"
FORMAT = f"socialgov-assets/2/{__version__}"  # a new version validates differently

Record = list[Any]


def open_cache(
    root: Path | None,
    name: str = CACHE_FILE,
    fmt: str = FORMAT,
    encode: Callable[[tuple[Any, ...]], Any] | None = None,
) -> ContentCache:
    """The content cache `name` of the registry at `root` (None: one that keeps nothing)."""
    return ContentCache(root / paths.CACHE_DIR / "cache" / name if root else None, fmt, encode)


def key_of(rel: str, raw: bytes) -> str:
    return content_key(rel.encode(), raw)


def stat_entry(rel: str, stat_key: bytes) -> str:
    """Where the content key of a file whose stat is `stat_key` is kept (see Files.stat_key)."""
    return content_key(b"stat", rel.encode(), stat_key)


def known_key(files: Files, rel: str, stored: ContentCache) -> str | None:
    """The content key of a file whose stat (or blob id) `stored` saw before, unread."""
    # An empty cache (a cold run) knows no file: no stat to take, no key to make.
    stat_key = files.stat_key(rel) if stored.path is not None and stored.old else None
    if stat_key is None:
        return None
    known = stored.get(stat_entry(rel, stat_key))
    if not (isinstance(known, list) and len(known) == 2 and all(isinstance(k, str) for k in known)):
        return None
    key, by_blob = known
    # Keep the entry under the file's blob id too: the base side of `check --base` finds
    # an unchanged file by it without reading the blob.
    stored.get(by_blob)
    return str(key)


def file_key(
    files: Files, rel: str, stored: ContentCache, *, read: bool = False
) -> tuple[str, bytes | None]:
    """The content key of a file, and its bytes when they had to be read: a file whose
    stat (or blob id) `stored` saw before is not read (unless `read`)."""
    if not read and (key := known_key(files, rel, stored)) is not None:
        return key, None
    raw = files.read(rel)
    if raw is None:
        raise InputError("cannot read the file", file=rel)
    if stored.path is None:
        return key_of(rel, raw), raw
    key, by_blob = key_entries(rel, raw)
    remember_key(stored, key, by_blob, stat_entry_of(files, rel))
    return key, raw


def key_entries(rel: str, raw: bytes) -> tuple[str, str]:
    """A file's content key, and the entry under which its blob id names it."""
    from socialgov.vcs import blob_id

    return key_of(rel, raw), stat_entry(rel, BLOB_PREFIX + blob_id(raw).encode())


def stat_entry_of(files: Files, rel: str) -> str | None:
    """Where the content key of a file is kept by its stat; None: its stat identifies nothing."""
    stat_key = files.stat_key(rel)
    return stat_entry(rel, stat_key) if stat_key is not None else None


def remember_key(stored: ContentCache, key: str, by_blob: str, by_stat: str | None) -> None:
    """Keep a file's content key under its blob id, and its stat when that identifies it."""
    if stored.path is not None:
        entry = [key, by_blob]  # the content key, and where the blob id's entry is
        stored.put(by_blob, entry)
        if by_stat is not None:
            stored.put(by_stat, entry)


# --- records --------------------------------------------------------------------------

_TAGS: dict[type, str] = {datetime: "dt", date: "d", time: "t"}
_KINDS = {kind.value: kind for kind in Kind}  # a lookup where calling the enum costs more
_RESTORE = {"dt": datetime.fromisoformat, "d": date.fromisoformat, "t": time.fromisoformat}


def to_record(asset: Asset) -> Record:
    """The record of an asset, sharing its tables: their dates become ISO text only when the
    cache is written (ContentCache converts them), so the tables are not held twice."""
    dates: list[list[Any]] = []
    _date_paths(asset.data, [], dates)
    return [asset.data, asset.source.text, dates, asset.id.kind.value, asset.id.name]


def _date_paths(container: Any, path: list[Any], dates: list[list[Any]]) -> None:
    """Add the path of each date in a table (or array) and its nested ones, in order."""
    pairs = container.items() if type(container) is dict else enumerate(container)
    for key, value in pairs:
        kind = type(value)
        if kind is dict or kind is list:
            _date_paths(value, [*path, key], dates)
        elif kind in _TAGS:
            dates.append([*path, key, _TAGS[kind]])


def _plain(value: Any, path: list[Any], dates: list[list[Any]]) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v, [*path, k], dates) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, [*path, i], dates) for i, v in enumerate(value)]
    tag = _TAGS.get(type(value))
    if tag is not None:
        dates.append([*path, tag])
        return value.isoformat()
    return value


def plain_tables(data: Any) -> list[Any]:
    """Parsed TOML tables as JSON: `[tables with dates as ISO text, paths of the dates]`."""
    dates: list[list[Any]] = []
    return [_plain(data, [], dates), dates]


def restore_tables(record: Any) -> dict[str, Any] | None:
    """The tables `plain_tables` stored, dates restored; None for any other shape."""
    try:
        data, dates = record
        if not isinstance(data, dict):
            return None
        for entry in dates:
            *keys, last, tag = entry
            holder = data
            for key in keys:
                holder = holder[key]
            holder[last] = _RESTORE[tag](holder[last])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    return data


def from_record(record: Any, rel: str, key: str | None = None) -> Asset | None:
    """The asset a record stands for; None when it is not a record this version wrote."""
    try:
        tables, text, dates, kind, name = record
        data = restore_tables([tables, dates])
        if data is None or not (isinstance(text, str) and isinstance(name, str)):
            return None
        asset_id = AssetId(Kind(kind), sys.intern(name))
    except (ValueError, TypeError):
        return None
    _intern(data)
    return Asset(id=asset_id, file=rel, data=data, source=SourceText(text, key))


_SHARED_LISTS = ("owners", "access", "tags")
_SHARED_TEXTS = ("status", "criticality", "department")
_intern_text = sys.intern


def _intern(data: dict[str, Any]) -> None:
    """Share the strings many assets repeat (owners, access, tags, status, criticality,
    department): one object each instead of one per asset."""
    for key in _SHARED_LISTS:
        value = data.get(key)
        if type(value) is list:
            data[key] = [_intern_text(v) if type(v) is str else v for v in value]
    for key in _SHARED_TEXTS:
        value = data.get(key)
        if type(value) is str:
            data[key] = _intern_text(value)


# --- parsing many files ---------------------------------------------------------------


def parse_file(_: Any, rel: str, raw: bytes | None) -> Record | ErrorFields:
    """An asset file's record, or its error's fields (a ParsePool parse function)."""
    from socialgov.registry.load import asset_id_for, parse_asset

    assert raw is not None  # the caller read it
    try:
        asset_id = asset_id_for(rel)
        if asset_id is None:
            raise AssertionError(rel)  # callers pass asset files only
        record = to_record(parse_asset(asset_id, rel, raw))
    except InputError as exc:
        return error_fields(exc)
    # Plain values only (dates as ISO text, restored by `asset_of`): a record of a worker
    # travels to the parent by marshal, twice as fast as pickle (see ParsePool).
    data, _, dates, _, _ = record
    for *keys, last, _ in dates:
        holder = data
        for key in keys:
            holder = holder[key]
        holder[last] = holder[last].isoformat()
    return record


def read_and_parse(context: tuple[Files, Parse], rel: str, _: bytes | None) -> Any:
    """A file read in a worker (a ParsePool parse function; `context`: the files, and the
    parse function for the bytes): its content key, its key entries (by blob id and by
    stat: see `remember_key`) and what the parse made of it; or the read's error."""
    files, parse = context
    try:
        raw = files.read(rel)
        if raw is None:
            raise InputError("cannot read the file", file=rel)
    except InputError as exc:
        return error_fields(exc)
    key, by_blob = key_entries(rel, raw)
    return [key, by_blob, stat_entry_of(files, rel), parse(None, rel, raw)]


def asset_of(rel: str, outcome: Record | ErrorFields) -> Asset | InputError:
    """The asset (sharing the record's tables) or error that `parse_file` made."""
    if isinstance(outcome, tuple):
        return error_from(outcome)
    data, text, dates, kind, name = outcome
    restore_tables([data, dates])
    _intern(data)
    return Asset(AssetId(_KINDS[kind], sys.intern(name)), rel, data, SourceText(text))


def load_files(
    files: Files,
    rels: Sequence[str],
    stored: ContentCache,
    parse: Parse,
    recall: Callable[[str, str], Any],
    made: Callable[[str, str, Any], Any],
) -> dict[str, Any]:
    """Each file's value, in the order of `rels` (asset or observation files).

    A file whose content key `stored` knows by its stat or blob id is not read; one whose
    key gives a value (`recall(rel, key)`, None when there is none) is not parsed. Any
    other is parsed by `parse` (a ParsePool parse function) and its value is
    `made(rel, key, outcome)`: on all cores when there are many, where the workers read
    and key files on disk themselves. A file that cannot be read is an InputError."""
    from socialgov.registry.files import DiskFiles

    known = {rel: known_key(files, rel, stored) for rel in rels}
    unknown = [rel for rel, key in known.items() if key is None]
    files.prefetch(unknown)  # one batch from git objects
    found: dict[str, Any] = {}  # in file order: errors keep their order
    reader = ParsePool(read_and_parse, len(unknown), context=(files, parse))
    remote = reader.parallel and isinstance(files, DiskFiles)
    with reader, ParsePool(parse, len(unknown)) as parser:
        for rel in rels:
            try:
                seen = known[rel]
                if seen is None and remote:
                    reader.add(rel, None)
                    found[rel] = None
                    continue
                key, raw = (
                    (seen, None) if seen is not None else file_key(files, rel, stored, read=True)
                )
                found[rel] = value = recall(rel, key)
                if value is None:
                    if raw is None:  # known by its stat, but its entry is gone
                        key, raw = file_key(files, rel, stored, read=True)
                    assert raw is not None  # file_key read it
                    parser.add(rel, raw, key)
            except InputError as exc:
                found[rel] = exc
        for rel, _, read in reader.results():
            if isinstance(read, tuple):  # the file could not be read
                found[rel] = error_from(read)
                continue
            key, by_blob, by_stat, outcome = read
            remember_key(stored, key, by_blob, by_stat)
            found[rel] = made(rel, key, outcome)
        for rel, key, outcome in parser.results():
            found[rel] = made(rel, key, outcome)
    return found
