"""An asset's timeline from git: who changed its file and its observation, and which fields."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import tomli

from socialgov.model import AssetId, Kind
from socialgov.registry import paths
from socialgov.vcs import Repo

_SEP = "\x1f"
_MAX_RENAMES = 50
_SPLIT_MIN = 1000  # commits: below this, one walk costs less than starting two
_FORMAT = _SEP.join(["%H", "%aI", "%an", "%ae", "%P", "%s"])


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}

    def describe(self) -> str:
        if isinstance(self.before, list) or isinstance(self.after, list):
            before = self.before or []
            after = self.after or []
            added = [f"+{v}" for v in after if v not in before]
            removed = [f"-{v}" for v in before if v not in after]
            return f"{self.field} {' '.join(added + removed) or 'reordered'}"
        if self.before is None:
            return f"{self.field} set to {_text(self.after)}"
        if self.after is None:
            return f"{self.field} removed (was {_text(self.before)})"
        return f"{self.field} {_text(self.before)} → {_text(self.after)}"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Event:
    commit: str
    date: str
    author: str
    email: str
    message: str
    path: str
    changes: tuple[FieldChange, ...] = field(default_factory=tuple)
    created: bool = False

    @property
    def summary(self) -> str:
        text = "; ".join(c.describe() for c in self.changes) or "no field changed"
        return f"created: {text}" if self.created else text

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "date": self.date,
            "author": self.author,
            "email": self.email,
            "summary": self.summary,
            "message": self.message,
            "file": self.path,
            "created": self.created,
            "changes": [c.to_json() for c in self.changes],
        }


def asset_history(repo: Repo, registry_prefix: str, asset_id: AssetId) -> list[Event]:
    """Every commit that touched the asset's file (following renames) or its observation, oldest first.

    One path-limited `git log` covers both files, in history order (dates can be equal or
    lie); a rename costs one more log of the old name, from the commit before it.
    """
    asset_path = f"{registry_prefix}{asset_id.relpath}"
    watched = {asset_path: ""}
    if asset_id.kind is Kind.DOMAIN:
        watched[f"{registry_prefix}{paths.observation_relpath(asset_id.name)}"] = "observation."
    raw_events: list[tuple[dict[str, str], str, str, str, str]] = []  # newest first
    start = "HEAD"
    for _ in range(_MAX_RENAMES):
        out = _log(repo, start, list(watched))
        entries = [e for e in _parse_log(out) if e[3] in watched]
        raw_events.extend(
            (meta, old, new, shown, watched[shown]) for meta, old, new, shown in entries
        )
        oldest = next(
            (i for i in range(len(raw_events) - 1, -1, -1) if raw_events[i][3] == asset_path), None
        )
        if oldest is None:
            break
        meta, old, new, shown, prefix = raw_events[oldest]
        if set(old) != {"0"} or not meta["parents"]:
            break  # the file was not created there, or created in a root commit: no rename
        renamed = _renamed_from(repo, meta["commit"], asset_path)
        if renamed is None:
            break
        raw_events[oldest] = (meta | {"renamed_from": renamed[0]}, renamed[1], new, shown, prefix)
        asset_path, start = renamed[0], f"{meta['commit']}^"
        watched = {asset_path: ""}  # the observation's whole history was in the first log
    blobs = _read_blobs(repo, {sha for _, old, new, _, _ in raw_events for sha in (old, new)})
    events = [
        Event(
            commit=meta["commit"],
            date=meta["date"],
            author=meta["author"],
            email=meta["email"],
            message=meta["message"],
            path=shown,
            changes=tuple(
                (
                    [FieldChange("file", meta["renamed_from"], shown)]
                    if "renamed_from" in meta
                    else []
                )
                + _diff(_parse(blobs.get(old)), _parse(blobs.get(new)), prefix)
            ),
            created=set(old) == {"0"} and not prefix,
        )
        for meta, old, new, shown, prefix in reversed(raw_events)
    ]
    return _merge_same_commit(events)


def _log(repo: Repo, start: str, paths: list[str]) -> str:
    """`git log --raw` from `start`, limited to `paths`. Its cost is a tree diff per commit, so a
    long linear history is walked as two halves at once: the older from its middle commit, the
    newer down to it; together, in that order, they are exactly the one walk's output."""
    log = ("log", "--raw", "--no-abbrev", "--no-renames", f"--format={_SEP}{_FORMAT}")
    middle = _linear_middle(repo, start) if (os.cpu_count() or 1) > 1 else None
    if middle is None:
        return repo.git(*log, start, "--", *paths).decode("utf-8", "replace")
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        newer = pool.submit(repo.git, *log, start, f"^{middle}", "--", *paths)
        older = pool.submit(repo.git, *log, middle, "--", *paths)
        return (newer.result() + older.result()).decode("utf-8", "replace")


def _linear_middle(repo: Repo, start: str) -> str | None:
    """The middle commit of the history behind `start` when it is long and has no merge."""
    lines = repo.git("rev-list", "--parents", start).split(b"\n")[:-1]
    if len(lines) < _SPLIT_MIN or any(line.count(b" ") > 1 for line in lines):
        return None
    return lines[len(lines) // 2].split(b" ", 1)[0].decode()


def _renamed_from(repo: Repo, commit: str, path: str) -> tuple[str, str] | None:
    """(old name, old blob) when `commit` created `path` by renaming a file, not by copying one."""
    out = repo.git(
        "diff-tree", "-r", "--raw", "-M90%", "--no-abbrev", "--no-commit-id", "-z", "--root", commit
    )
    parts = out.decode("utf-8", "replace").split("\0")
    for i, info in enumerate(parts[:-2]):
        if info.startswith(":") and info.split()[-1].startswith("R") and parts[i + 2] == path:
            return parts[i + 1], info.split()[2]
    return None


def _parse_log(out: str) -> list[tuple[dict[str, str], str, str, str]]:
    """Parse `git log --raw` output whose commit lines start with the separator."""
    entries: list[tuple[dict[str, str], str, str, str]] = []
    meta: dict[str, str] | None = None
    for line in out.splitlines():
        if line.startswith(_SEP):
            parts = line[1:].split(_SEP, 5)
            meta = dict(
                zip(
                    ("commit", "date", "author", "email", "parents", "message"), parts, strict=False
                )
            )
        elif line.startswith(":") and meta is not None:
            info, _, names = line.partition("\t")
            fields = info.split()
            entries.append((meta, fields[2], fields[3], names.split("\t")[-1]))
    return entries


def _read_blobs(repo: Repo, shas: set[str]) -> dict[str, bytes]:
    wanted = sorted(s for s in shas if s and set(s) != {"0"})
    if not wanted:
        return {}
    out = repo.git("cat-file", "--batch", input="".join(s + "\n" for s in wanted).encode())
    blobs: dict[str, bytes] = {}
    offset = 0
    for sha in wanted:
        header_end = out.index(b"\n", offset)
        header = out[offset:header_end].split()
        if len(header) < 3 or header[1] == b"missing":
            offset = header_end + 1
            continue
        size = int(header[2])
        blobs[sha] = out[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return blobs


def _parse(data: bytes | None) -> dict[str, Any]:
    if not data:
        return {}
    from socialgov.errors import InputError
    from socialgov.registry.limits import check_shape

    try:
        text = data.decode("utf-8")
        check_shape(text, "")
        return tomli.loads(text)
    except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError, InputError):
        return {"(unreadable)": True}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = _jsonable(value)
    return flat


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _diff(before: dict[str, Any], after: dict[str, Any], prefix: str) -> list[FieldChange]:
    old, new = _flatten(before), _flatten(after)
    changes = []
    for key in [*old, *(k for k in new if k not in old)]:
        if key == "fetched_at":
            continue
        if old.get(key) != new.get(key):
            changes.append(FieldChange(f"{prefix}{key}", old.get(key), new.get(key)))
    return changes


def _merge_same_commit(events: list[Event]) -> list[Event]:
    merged: list[Event] = []
    for event in events:
        if merged and merged[-1].commit == event.commit:
            last = merged[-1]
            merged[-1] = Event(
                last.commit,
                last.date,
                last.author,
                last.email,
                last.message,
                last.path,
                tuple(
                    sorted(
                        last.changes + event.changes,
                        key=lambda c: c.field.startswith("observation."),
                    )
                ),
            )
        else:
            merged.append(event)
    return merged
