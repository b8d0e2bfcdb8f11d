"""Where registry files are read from: the working tree, or a commit's tree read from git objects.

The registry is untrusted input (a pull request in CI): from the working tree only regular
files inside the registry folder are read, each up to MAX_FILE_BYTES — never a device, a
FIFO, a folder or a symlink that leads out of the registry.
"""

from __future__ import annotations

import bisect
import errno
import os
import stat
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from socialgov.errors import InputError

MAX_FILE_BYTES = 8 * 1024 * 1024
# A stat key that is a git blob id (TreeFiles), in the same key space as the blob ids
# computed for files read from the working tree: the same content at the same path.
BLOB_PREFIX = b"blob:"


def read_regular(path: Path, shown: str, *, inside: Path | None = None) -> bytes | None:
    """The bytes of `path` if it is a regular file (None when it does not exist).

    Anything else is an InputError naming `shown`: a symlink loop, a symlink that leaves
    `inside`, a device, a FIFO, a folder, an unreadable or too large file.
    """
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError("is a symlink to nothing", file=shown, line=1) from None
        return None
    except (RuntimeError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOTDIR,):
            return None
        raise InputError("is a symlink loop", file=shown, line=1) from None
    if inside is not None and not real.is_relative_to(inside.resolve()):
        raise InputError(
            f"is a symlink that leads out of the registry (to {real})",
            file=shown,
            line=1,
            hint="registry files must be regular files inside the registry folder",
        )
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except PermissionError:
        raise InputError("cannot be read: permission denied", file=shown, line=1) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", file=shown, line=1) from None
    return _read_fd(fd, shown)


def _read_fd(fd: int, shown: str, info: os.stat_result | None = None) -> bytes:
    """The bytes of an open file that must be regular and not too large (closes `fd`;
    `info`: its fstat, when the caller took it)."""
    try:
        if info is None:
            info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"is {_kind(info.st_mode)}, not a regular file",
                file=shown,
                line=1,
                hint="registry files must be regular files",
            )
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(
                f"is {info.st_size} bytes, more than the {MAX_FILE_BYTES} a registry file may have",
                file=shown,
                line=1,
            )
        # Read what fstat says (os.read, not a file object: a buffered reader costs more
        # than the read), then whatever a file that grew since has, up to the limit.
        parts: list[bytes] = []
        size, wanted = 0, info.st_size + 1
        while size <= MAX_FILE_BYTES:
            part = os.read(fd, min(wanted, MAX_FILE_BYTES + 1 - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
            wanted = MAX_FILE_BYTES + 1 - size
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", file=shown, line=1) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"is more than the {MAX_FILE_BYTES} bytes a registry file may have", file=shown, line=1
        )
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class Files(Protocol):
    """Registry-relative paths (with `/`) to content."""

    def read(self, rel: str) -> bytes | None: ...

    def walk(self, folder: str) -> list[str]:
        """Every file below `folder`, registry-relative, sorted; hidden names skipped."""
        ...

    def stat_key(self, rel: str) -> bytes | None:
        """What identifies the file's content without reading it, or None (read it)."""
        ...

    def prefetch(self, rels: Sequence[str]) -> None:
        """Read these files now, in one go, where that is cheaper than one by one."""
        ...


# A file changed this recently may change again within one tick of the file system's
# clock without its stat changing (git's "racy" entries): its stat identifies nothing.
RACY_SECONDS = 3
_NO_FOLLOW = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)


class DiskFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._prefix = f"{root}{os.sep}"
        self._real: set[str] = set()  # folders walk() found to be folders, not symlinks
        self._settled_before = time.time_ns() - RACY_SECONDS * 1_000_000_000

    def read(self, rel: str) -> bytes | None:
        folder = rel.rpartition("/")[0]
        if folder in self._real and hasattr(os, "O_NOFOLLOW"):
            # A file walk() listed in a real folder: open it without following a symlink;
            # anything but a regular file takes the careful path below, and its errors.
            try:
                fd = os.open(self._prefix + rel, _NO_FOLLOW)
            except OSError:
                fd = -1
            if fd >= 0:
                info = os.fstat(fd)
                if stat.S_ISREG(info.st_mode):
                    return _read_fd(fd, rel, info)
                os.close(fd)
        return read_regular(self.root / rel, rel, inside=self.root)

    def stat_key(self, rel: str) -> bytes | None:
        """What identifies the content of a regular file walk() listed without reading it
        (device, inode, size, and modification and change times to the nanosecond — the
        change time no program can set back), or None: not such a file, or changed too
        recently for its stat to be trusted."""
        if rel.rpartition("/")[0] not in self._real:
            return None
        try:
            info = os.lstat(self._prefix + rel)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self._settled_before:
            return None
        return (
            f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"
        ).encode()

    def prefetch(self, rels: Sequence[str]) -> None:
        pass  # a file is read as cheaply alone

    def walk(self, folder: str) -> list[str]:
        found: list[str] = []
        top = self.root / folder
        if top.is_symlink() or (top.exists() and not top.is_dir()):
            kind = "a symlink" if top.is_symlink() else "not a folder"
            raise InputError(
                f"is {kind}; the registry's {folder} must be a folder of the registry",
                file=folder,
                line=1,
            )
        self._walk(top, folder, found)
        return sorted(found)

    def _walk(self, path: Path, rel: str, found: list[str]) -> None:
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError as exc:
            raise InputError(f"cannot be listed: {exc.strerror}", file=rel, line=1) from None
        self._real.add(rel)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = f"{rel}/{entry.name}"
            if entry.is_dir(follow_symlinks=False) and not entry.name.endswith(".toml"):
                self._walk(Path(entry.path), child, found)
            elif entry.is_dir(follow_symlinks=False):
                found.append(child)  # a folder where a registry file belongs: read() names it
            elif entry.is_file(follow_symlinks=False) or entry.name.endswith(".toml"):
                found.append(child)  # read() refuses symlinks out, FIFOs and devices by name


class TreeFiles:
    """Files of a commit read from git objects: given whole, or (`blobs`: path → blob id)
    read when first asked, in batches through `fetch` (blob ids → contents)."""

    def __init__(
        self,
        contents: Mapping[str, bytes] | None = None,
        *,
        blobs: Mapping[str, str] | None = None,
        fetch: Callable[[list[str]], Mapping[str, bytes]] | None = None,
    ) -> None:
        self.contents = dict(contents or {})
        self.blobs = dict(blobs or {})
        self._fetch = fetch
        self._visible: list[str] | None = None  # the paths walk() lists, sorted

    def read(self, rel: str) -> bytes | None:
        if rel not in self.contents and rel in self.blobs:
            # One batch: the files of this file's folder not read yet (the loaders of asset
            # and observation files prefetch what they must read: most they need not).
            folder = rel.rpartition("/")[0]
            self.prefetch([p for p in self.blobs if p.rpartition("/")[0] == folder])
        return self.contents.get(rel)

    def prefetch(self, rels: Sequence[str]) -> None:
        missing = [r for r in rels if r not in self.contents and r in self.blobs]
        if missing and self._fetch is not None:
            found = self._fetch([self.blobs[r] for r in missing])
            for rel in missing:
                if (content := found.get(self.blobs[rel])) is not None:
                    self.contents[rel] = content

    def stat_key(self, rel: str) -> bytes | None:
        """The file's blob id: what its content is, known without reading it."""
        blob = self.blobs.get(rel)
        return BLOB_PREFIX + blob.encode() if blob else None

    def walk(self, folder: str) -> list[str]:
        if self._visible is None:  # once: a check walks several folders of one large tree
            every = {*self.contents, *self.blobs}
            self._visible = sorted(p for p in every if not p.startswith(".") and "/." not in p)
        prefix = folder.rstrip("/") + "/"
        start = bisect.bisect_left(self._visible, prefix)
        end = bisect.bisect_left(self._visible, prefix[:-1] + chr(ord("/") + 1))
        return self._visible[start:end]
