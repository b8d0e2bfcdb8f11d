"""The output of a read-only command, kept for its next run on the same inputs.

A run of `audit` or `list` over a large registry whose files have not changed would load
every record and run every rule again to print the same text. The text is kept, with the
exit code and the note for stderr, under a key made of everything it depends on:

- the command, its options, the date, the registry's place, and socialgov's version and
  its own files (by stat: an editable install changes code under the same version);
- every file of the registry, by its stat (device, inode, size, modification and change
  times: git's test for an unchanged file). A file changed in the last seconds (its stat
  identifies nothing, see files.RACY_SECONDS) or a symlink means no memo for that run;
- the commit HEAD names, which history-reading rules read from (and the stat of a shallow
  clone's or grafts' file, which change what lies behind it);
- not the file the run writes (`--output`), unless it is a TOML file;
- the content of any file read outside the registry (`--policy`, CODEOWNERS), and any other
  fact the caller names (the commit `check --base` compares with).

`.git` (HEAD stands for what is read from it) and `.socialgov` (caches) are not part of the key. Keys
are keyed hashes (content_cache.content_key), so a memo a pull request commits never
matches; one file per command and options, the last KEEP kept.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from socialgov import __version__
from socialgov.errors import SocialgovError
from socialgov.registry import files as registry_files
from socialgov.registry import paths
from socialgov.registry.content_cache import content_key, enabled, write_cache_file

FORMAT = f"socialgov-output/1/{__version__}"
# Not part of the key: git's own files (HEAD stands for what is read of them), and caches.
_NOT_REGISTRY = frozenset({".git", paths.CACHE_DIR})
FOLDER = "outputs"
KEEP = 4
_CHUNK = 1 << 20  # characters encoded at a time


def text_chunks(text: str) -> Iterator[str]:
    """A text a megabyte of characters at a time: a large report is encoded and written bit
    by bit, never held twice."""
    for start in range(0, len(text), _CHUNK):
        yield text[start : start + _CHUNK]


@dataclass(frozen=True)
class Output:
    text: str
    code: int
    note: str = ""


class OutputMemo:
    """The memo of one command run; `key` None when this run can have none."""

    def __init__(
        self,
        root: Path,
        command: Sequence[str],
        today: date,
        files: Sequence[Path] = (),
        facts: Sequence[str] = (),
        written: Path | None = None,
    ) -> None:
        self.key: str | None = None
        self.path: Path | None = None
        # The registry's files as this run found them (None: caching is off).
        self.entries: list[TreeEntry] | None = None
        if not enabled():
            return
        self.entries = tree_entries(root, output_inside(root, written))
        identity = tree_identity(self.entries)
        if identity is None:
            return
        try:
            given = [path.read_bytes() for path in files]
            head = head_of(root)
        except (OSError, SocialgovError):
            return  # the run itself reports the file, or git's failure
        where = str(root.resolve()).encode()
        name = content_key(b"output", where, *(part.encode() for part in command))
        self.path = root / paths.CACHE_DIR / "cache" / FOLDER / name
        self.key = content_key(
            FORMAT.encode(), code_identity(), name.encode(), today.isoformat().encode(),
            head.encode(),
            identity, b"%d" % len(given), *given, *(fact.encode() for fact in facts),
        )  # fmt: skip

    def recall(self) -> Output | None:
        """The output kept for these inputs, or None (none kept, another key, any damage)."""
        if self.path is None:
            return None
        with contextlib.suppress(OSError, ValueError, UnicodeDecodeError, RecursionError):
            with self.path.open("rb") as handle:
                meta = json.loads(handle.readline())
                if not (
                    isinstance(meta, dict)
                    and meta.get("format") == FORMAT
                    and meta.get("key") == self.key
                    and type(meta.get("code")) is int
                    and isinstance(meta.get("note"), str)
                    and type(meta.get("size")) is int
                ):
                    return None
                text = handle.read().decode("utf-8")
            if len(text) != meta["size"]:
                return None  # cut short
            return Output(text, meta["code"], meta["note"])
        return None

    def remember_while(
        self, code: int, note: str, emit: Callable[[Callable[[str], None]], None]
    ) -> None:
        """Run `emit(keep)`, which writes a command's text and gives each chunk of it to
        `keep` as it goes, and keep the text for the next run with the same inputs, with its
        exit code and note. The text is written whatever becomes of the memo: a memo that
        cannot be written is no error, and an error of the output drops the memo."""
        if self.path is None:
            emit(_ignore)
            return
        meta = {"format": FORMAT, "key": self.key, "code": code, "note": note}
        # The size is known at the end: the line is written at the width its largest takes.
        width = len(_meta_line({**meta, "size": 10**18}))
        stage = "before"  # the output: not yet written, being written, or written

        def write(handle: BinaryIO) -> None:
            nonlocal stage
            handle.write(_meta_line({**meta, "size": 0}).ljust(width) + b"\n")
            size = 0
            failed: OSError | None = None

            def keep(chunk: str) -> None:
                nonlocal size, failed
                if failed is None:
                    try:
                        handle.write(chunk.encode("utf-8"))
                        size += len(chunk)
                    except OSError as exc:
                        failed = exc  # the memo is dropped; the output goes on

            stage = "during"
            emit(keep)
            stage = "after"
            if failed is not None:
                raise failed
            handle.seek(0)
            handle.write(_meta_line({**meta, "size": size}).ljust(width))

        try:
            write_cache_file(self.path.parent.parent, self.path, write)
            _evict(self.path.parent)
        except OSError:
            if stage == "during":
                raise  # the output's own error (a closed stdout, a full disk)
            if stage == "before":
                emit(_ignore)


def _meta_line(meta: dict[str, object]) -> bytes:
    return json.dumps(meta).encode()


def _ignore(_: str) -> None:
    pass


def _evict(folder: Path) -> None:
    """Keep the KEEP memos used last (a run rewrites its own)."""
    with contextlib.suppress(OSError):
        kept = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)


def output_inside(root: Path, written: Path | None) -> str | None:
    """The path in the registry of the file the run writes (`--output`), when it is not one a
    registry could read (those are TOML): a report rewritten by every run is no input."""
    if written is None or written.suffix.lower() == ".toml":
        return None
    try:
        return written.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return None


# A file under the registry with its stat: (path, mode, device, inode, size, mtime, ctime).
TreeEntry = tuple[str, int, int, int, int, int, int]


def tree_entries(root: Path, skip: str | None = None) -> list[TreeEntry] | None:
    """Every file under `root` but git's and socialgov's own (and `skip`), with its stat,
    sorted by path; None when one is a symlink (its target could change under an unchanged
    link) or cannot be listed."""
    found: list[TreeEntry] = []
    pending = [(str(root), "")]
    while pending:
        folder, rel = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return None
        for entry in entries:
            if entry.name in _NOT_REGISTRY:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                return None
            if stat.S_ISLNK(info.st_mode):
                return None
            child = f"{rel}{entry.name}"
            if child == skip:
                continue
            if stat.S_ISDIR(info.st_mode):
                pending.append((entry.path, child + "/"))
                continue
            found.append(
                (child, info.st_mode, info.st_dev, info.st_ino, info.st_size,
                 info.st_mtime_ns, info.st_ctime_ns)
            )  # fmt: skip
    found.sort()
    return found


def settled_before() -> int:
    """The time (ns) before which a file's stat identifies its content: a file changed since
    may change again without its stat changing (see files.RACY_SECONDS)."""
    return time.time_ns() - registry_files.RACY_SECONDS * 1_000_000_000


def stat_text(entry: TreeEntry) -> str:
    _, mode, device, inode, size, mtime, ctime = entry
    return f"{mode}:{device}:{inode}:{size}:{mtime}:{ctime}"


def tree_identity(entries: Sequence[TreeEntry] | None) -> bytes | None:
    """The files of `tree_entries` with their stat, as one text; None when there are none,
    or one changed too recently for its stat to be trusted."""
    if entries is None:
        return None
    settled = settled_before()
    parts = []
    for entry in entries:
        if max(entry[5], entry[6]) >= settled:
            return None
        parts.append(f"{entry[0]}\0{stat_text(entry)}")
    return "\n".join(parts).encode("utf-8", "surrogateescape")


@functools.cache
def code_identity() -> bytes:
    """socialgov's own files by path and stat: an output is socialgov's as much as the
    registry's, and an editable install or a rebuild changes code under the same version."""
    package = Path(__file__).resolve().parent.parent
    parts = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}")
    return "\n".join(parts).encode("utf-8", "surrogateescape")


def head_of(root: Path) -> str:
    """The history the run reads: the commit HEAD names in the repository holding `root`
    ("" outside one, or before the first commit), and the stat of the files that change
    which commits git sees behind it (a shallow clone deepened, grafts)."""
    from socialgov.vcs import find_git_dir, head_commit

    git_dir = find_git_dir(root.resolve())
    if git_dir is None:
        return ""
    cut = []
    for name in ("shallow", "info/grafts"):
        with contextlib.suppress(OSError):
            info = (git_dir / name).stat()
            cut.append(f"{name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}")
    return " ".join([head_commit(root) or "", *cut])
