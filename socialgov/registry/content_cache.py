"""A content-keyed JSON cache in the registry's ignored `.socialgov/cache/` folder.

Every entry is found by a keyed hash of the content it was made from, so a stale entry
can never be served: a changed file has another key. The cache file is untrusted input
(a pull request could commit one), so it is JSON only, and anything in it that is not
what this version wrote is ignored and rebuilt, never an error. The hash is keyed with a
secret kept outside the registry (in the user's cache folder), so entries a pull request
commits never match. Two processes may share a cache: each replaces the file atomically
and the last writer wins.

A run that adds a few entries to a large cache appends them as one line to a journal
beside it (`assets.json.log`) rather than rewriting 100 MB for one edited file. Each line
names the generation of the file it extends; a line of another generation, or one cut
short, is ignored. The file is rewritten, and the journal emptied, once the journal holds
more than JOURNAL_SHARE of the file's entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import date, time
from pathlib import Path
from typing import Any, BinaryIO

_enabled = True
UNUSED_SHARE = 0.25
# Journal entries added to a cache of at least JOURNAL_MIN entries, until they are
# JOURNAL_SHARE of it (a small cache is cheaper to rewrite than to extend).
JOURNAL_MIN = 1000
JOURNAL_SHARE = 0.25


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


def before_fork() -> None:
    """Read (or make) the key secret now, in the process about to fork workers: they key with
    its secret, not each with one of its own when the user's has yet to be made."""
    _key_secret()


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


# JSON as the cache files hold it: no spaces, dates as the ISO text they were read from.
# Entries are trees (parsed tables, and lists made of them), never cycles: not checking for
# one makes a cache of 100,000 records encode in half the time.
_compact = json.JSONEncoder(separators=(",", ":"), default=_iso, check_circular=False).encode


# A rewrite of at least this many entries (tens of megabytes of JSON) is written by a forked
# child while the command goes on, when the command allows it (`saving_in_background`).
BACKGROUND_MIN = 20_000
_background: list[Any] | None = None  # the children's jobs, while a command allows them


@contextlib.contextmanager
def saving_in_background() -> Iterator[None]:
    """Within the block (a command), large caches are written by forked children
    (socialgov.forked) while the command goes on — a cold audit of 100,000 assets writes
    300 MB of caches, seconds of serial work. The block ends when they are written; a child
    that failed leaves its file as it was (the parent let the entries go: the next run
    writes it)."""
    global _background
    _background = []
    try:
        yield
    finally:
        jobs, _background = _background, None
        for job in jobs:
            job.result()


def _alone() -> bool:
    """Whether this is the process's only thread."""
    import threading

    return threading.active_count() == 1


def _save_in_background(write: Callable[[], None]) -> bool:
    """Start `write` in a forked child, when the command allows it and no other thread runs
    (one might hold a lock the child would wait for); False: the caller writes."""
    if _background is None or not _alone():
        return False
    from socialgov.forked import Forked, can_fork
    from socialgov.registry import paths, save  # noqa: F401  (imported before the fork)

    if not can_fork():
        return False
    _background.append(Forked(write))
    return True


def check_cache_folder(folder: Path) -> None:
    """Raise OSError when `folder` (in a registry's `.socialgov/`), or a folder between it and
    `.socialgov/`, is a symbolic link: a repository may carry one, and a cache written
    through it would land wherever the repository's author chose."""
    from socialgov.registry.paths import CACHE_DIR

    parts = folder.parts
    if CACHE_DIR not in parts:
        return  # the user's own cache folder
    start = len(parts) - list(reversed(parts)).index(CACHE_DIR)
    for end in range(start, len(parts) + 1):
        if Path(*parts[:end]).is_symlink():
            raise OSError(f"{Path(*parts[:end])} is a symbolic link: no cache is written there")


def write_cache_file(cache_dir: Path, path: Path, data: Callable[[BinaryIO], None]) -> None:
    """Write `path` under the registry's cache folder atomically (not synced: a cache can be
    rebuilt), the folder ignored by git in any repository, `socialgov init`'s or not."""
    from socialgov.registry.save import atomic_write

    check_cache_folder(path.parent)
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

    def __init__(
        self, path: Path | None, fmt: str, encode: Callable[[tuple[Any, ...]], Any] | None = None
    ) -> None:
        self.path = path if enabled() else None
        self.fmt = fmt
        # With `encode`, an entry put as a tuple is made JSON by it only when the cache is
        # written: a run that puts an entry for each of 100,000 assets, from what it holds
        # anyway (its findings), holds no second copy of them meanwhile.
        self.encode = encode
        self.old: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.added: dict[str, Any] = {}
        self.changed = False
        self.dropped = False
        self.generation = ""
        self.in_file = 0  # entries of the file, not counting the journal's
        self.journaled = 0
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError, RecursionError):
                loaded = json.loads(self.path.read_bytes())
                if (
                    isinstance(loaded, dict)
                    and loaded.get("format") == fmt
                    and isinstance(loaded.get("entries"), dict)
                ):
                    self.old = loaded["entries"]
                    self.in_file = len(self.old)
                    generation = loaded.get("generation")
                    self.generation = generation if isinstance(generation, str) else ""
            if self.generation:
                self._read_journal()

    @property
    def journal(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".log")

    def _read_journal(self) -> None:
        """Take the entries of the journal's lines that extend this generation of the file."""
        try:
            raw = self.journal.read_bytes()
        except OSError:
            return
        for line in raw.split(b"\n"):
            if not line:
                continue
            try:
                entry = json.loads(line)
            except (ValueError, RecursionError):
                continue  # cut short by a crash, or not ours
            if (
                isinstance(entry, dict)
                and entry.get("format") == self.fmt
                and entry.get("generation") == self.generation
                and isinstance(entry.get("entries"), dict)
            ):
                self.old.update(entry["entries"])
                self.journaled += len(entry["entries"])

    def get(self, key: str) -> Any:
        """The entry under `key`, or None; the caller checks its shape."""
        value = self.old.get(key)
        if value is not None:
            self.used[key] = value
        return json.loads(self._text(value)) if type(value) is tuple else value

    def put(self, key: str, value: Any) -> None:
        """Keep `value` (JSON, or a tuple for `encode`) under `key`."""
        self.used[key] = value
        old = self.old.get(key)
        if type(value) is tuple:
            same = old is not None and self._text(old) == self._text(value)
        else:
            same = old == value
        if not same:  # an entry put again as it was changes nothing
            if self.generation:  # else the whole file is written: no journal to append to
                self.added[key] = value
            self.changed = True

    def drop(self, key: str) -> None:
        """Forget an entry whose shape the caller rejected."""
        self.used.pop(key, None)
        self.old.pop(key, None)
        self.added.pop(key, None)
        self.changed = self.dropped = True

    def _text(self, value: Any) -> str:
        if type(value) is tuple and self.encode is not None:
            return _compact(self.encode(value))
        return _compact(value)

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
        head = {"format": self.fmt, "generation": self.generation}
        handle.write(_compact(head)[:-1].encode() + b',"entries":{')
        # A thousand entries encoded at once: an encoder call per entry cost twice as much.
        chunk: dict[str, Any] = {}
        separator = b""
        encode = self.encode
        for key, value in self._kept().items():
            chunk[key] = encode(value) if encode is not None and type(value) is tuple else value
            if len(chunk) == 1000:
                handle.write(separator + _compact(chunk)[1:-1].encode())
                separator = b","
                chunk = {}
        if chunk:
            handle.write(separator + _compact(chunk)[1:-1].encode())
        handle.write(b"}}")

    def save(self) -> None:
        """Keep what a run changed, when it changed anything: appended to the journal while
        that is small (see JOURNAL_SHARE), else by rewriting the file with the entries kept
        (see `_kept`) atomically. A cache that cannot be written is no error."""
        if self.path is None or not self.changed:
            return  # the file as it is serves every entry used
        try:
            if self._append():
                return
        except (OSError, ValueError, TypeError):
            self.changed = False  # a journal that cannot be written: the cache is no error
            return
        if len(self.used) >= BACKGROUND_MIN and _save_in_background(self._rewrite_once):
            # The child writes what this process held; here it is let go, and the cache
            # keeps nothing more (should the child fail, the next run writes it again).
            self.path, self.old, self.used, self.added = None, {}, {}, {}
        else:
            self._rewrite()
        self.changed = False

    def _rewrite_once(self) -> None:
        if self.path is not None:  # else the entries were let go: nothing to write
            self._rewrite()

    def _rewrite(self) -> None:
        """Write the file anew with the entries kept, and empty the journal."""
        assert self.path is not None
        with contextlib.suppress(OSError, ValueError, TypeError):
            self.generation = secrets.token_hex(8)
            write_cache_file(self.path.parent, self.path, self._write)
            self.journal.unlink(missing_ok=True)
        self.old, self.changed, self.added = self._kept(), False, {}
        self.in_file, self.journaled, self.dropped = len(self.old), 0, False

    def _append(self) -> bool:
        """Append the entries added to the journal, when that is the cheaper way to keep them."""
        total = self.journaled + len(self.added)
        if (
            self.dropped
            or not self.generation
            or self.in_file < JOURNAL_MIN
            or total > self.in_file * JOURNAL_SHARE
        ):
            return False
        head = _compact({"format": self.fmt, "generation": self.generation})
        entries = ",".join(f"{_compact(k)}:{self._text(v)}" for k, v in self.added.items())
        line = f'{head[:-1]},"entries":{{{entries}}}}}'
        # A leading newline ends a line an earlier writer left cut short.
        data = b"\n" + line.encode() + b"\n"
        check_cache_folder(self.journal.parent)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.journal, flags, 0o644)
        try:
            written = os.write(fd, data)
        finally:
            os.close(fd)
        if written != len(data):
            raise OSError("journal line cut short")
        self.old.update(self.added)
        self.journaled, self.added, self.changed = total, {}, False
        return True
