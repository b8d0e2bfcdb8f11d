"""A content-keyed JSON cache in the registry's ignored `.socialgov/cache/` folder.

Every entry is found by a keyed hash of the content it was made from, so a stale entry
can never be served: a changed file has another key. The cache file is untrusted input
(a pull request could commit one), so it is JSON only, and anything in it that is not
what this version wrote is ignored and rebuilt, never an error. The hash is keyed with a
secret kept outside the registry (in the user's cache folder), so entries a pull request
commits never match. Two processes may share a cache: each replaces the file atomically
and the last writer wins.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any, BinaryIO

_enabled = True
UNUSED_SHARE = 0.25


def set_enabled(on: bool) -> None:
    """`--no-cache`: with False, nothing is read from or written to a content cache."""
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled and not os.environ.get("SOCIALGOV_NO_CACHE")


_secret: bytes | None = None
_PROCESS_SECRET = secrets.token_bytes(32)


def _key_secret() -> bytes:
    """The secret that keys every hash: made once per user, outside any registry (a
    process-only one when the user's cache folder cannot be written)."""
    global _secret
    if _secret is None and not enabled():
        return _PROCESS_SECRET  # --no-cache: nothing kept, nothing read
    if _secret is None:
        from socialgov.changes.observe import user_cache_dir

        path = user_cache_dir() / "cache-key"
        secret: bytes | None = None
        with contextlib.suppress(OSError, ValueError):
            secret = bytes.fromhex(path.read_text("ascii").strip())
        if secret is None or len(secret) != 32:
            secret = secrets.token_bytes(32)
            with contextlib.suppress(OSError):
                from socialgov.registry.save import atomic_write

                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, secret.hex().encode(), durable=False)
                os.chmod(path, 0o600)
        _secret = secret
    return _secret


def content_key(*parts: bytes) -> str:
    """The keyed hash of `parts` (each length-prefixed, so parts cannot run together)."""
    digest = hashlib.blake2b(key=_key_secret(), digest_size=20)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _iso(value: Any) -> str:
    """Entries callers restored in place (dates) are written back as the text they were."""
    if isinstance(value, date | time):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def write_cache_file(cache_dir: Path, path: Path, data: Callable[[BinaryIO], None]) -> None:
    """Write `path` under the registry's cache folder atomically (not synced: a cache can be
    rebuilt), the folder ignored by git in any repository, `socialgov init`'s or not."""
    from socialgov.registry.save import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, b"*\n", durable=False)
    atomic_write(path, data, durable=False)


class ContentCache:
    """Entries by content key in one JSON file, `{"format": FORMAT, "entries": {...}}`.

    `path` None: a cache that keeps nothing. The file is written only when a run put or
    dropped an entry: then with the entries it used (read or put), and the others it did
    not use while they are few (see `save`), so that commands with different working sets
    (`audit`, then `check --base`) do not rewrite it in turn, and entries of files that no
    longer exist fall away.
    """

    def __init__(self, path: Path | None, fmt: str) -> None:
        self.path = path if enabled() else None
        self.fmt = fmt
        self.old: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.changed = False
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError, RecursionError):
                loaded = json.loads(self.path.read_bytes())
                if (
                    isinstance(loaded, dict)
                    and loaded.get("format") == fmt
                    and isinstance(loaded.get("entries"), dict)
                ):
                    self.old = loaded["entries"]

    def get(self, key: str) -> Any:
        """The entry under `key`, or None; the caller checks its shape."""
        value = self.old.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value
        if self.old.get(key) != value:  # an entry put again as it was changes nothing
            self.changed = True

    def drop(self, key: str) -> None:
        """Forget an entry whose shape the caller rejected."""
        self.used.pop(key, None)
        self.old.pop(key, None)
        self.changed = True

    def _kept(self) -> dict[str, Any]:
        """What `save` writes: the entries used, and the unused ones while they are at most
        UNUSED_SHARE of those (more means files deleted or a run that read a part only)."""
        unused = {k: v for k, v in self.old.items() if k not in self.used}
        if len(unused) > len(self.used) * UNUSED_SHARE:
            return self.used
        return {**self.used, **unused}

    def _write(self, handle: BinaryIO) -> None:
        """`{"format": …, "entries": {…}}`, an entry at a time (a cache of 100,000 records
        is not held in memory twice more as one text and its bytes)."""
        dumps = json.JSONEncoder(separators=(",", ":"), default=_iso).encode
        handle.write(b'{"format":' + dumps(self.fmt).encode() + b',"entries":{')
        chunk: list[str] = []
        separator = b""
        for key, value in self._kept().items():
            chunk.append(f"{dumps(key)}:{dumps(value)}")
            if len(chunk) == 1000:
                handle.write(separator + ",".join(chunk).encode())
                separator = b","
                chunk.clear()
        if chunk:
            handle.write(separator + ",".join(chunk).encode())
        handle.write(b"}}")

    def save(self) -> None:
        """Write the entries kept (see `_kept`) atomically when a run changed any; a cache that
        cannot be written is no error."""
        if self.path is None or not self.changed:
            return  # the file as it is serves every entry used
        with contextlib.suppress(OSError, ValueError, TypeError):
            write_cache_file(self.path.parent, self.path, self._write)
        self.old, self.changed = self._kept(), False
