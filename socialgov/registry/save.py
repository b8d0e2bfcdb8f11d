"""Write registry files: atomically, and keeping the comments and layout of hand-written files."""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import tomli_w


def atomic_write(
    path: Path, data: bytes | Callable[[BinaryIO], None], *, durable: bool = True
) -> None:
    """Write through a temporary file in the same folder and rename, so a reader never sees
    half a file. `data` is the bytes, or a function that writes them to the file (a large
    file need not be held in memory whole). `durable=False` skips the fsync, for callers
    that sync once for many files. The file keeps its permissions (a new one: 0644)."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows before Python 3.13
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb", buffering=0 if isinstance(data, bytes) else -1) as handle:
            if isinstance(data, bytes):
                view = memoryview(data)
                while view:
                    view = view[handle.write(view) :]
            else:
                data(handle)
                handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_serial = itertools.count()


def _temporary(path: Path) -> tuple[int, str]:
    """A new file `.NAME.PID.N.tmp` beside `path` (mkstemp's random names cost more, and a
    clash with a leftover of a killed process only sends this to mkstemp)."""
    tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}.{next(_serial)}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        return os.open(tmp, flags, 0o600), tmp
    except FileExistsError:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def dump_new(data: Mapping[str, Any]) -> bytes:
    """A new file, written with tomli-w: top-level keys first, then tables."""
    return tomli_w.dumps(dict(data)).encode("utf-8")


def edit_text(text: str, change: Callable[[Any], None]) -> str:
    """Apply `change` to a tomlkit document of `text` and return the new text, comments kept."""
    import tomlkit

    document = tomlkit.parse(text)
    change(document)
    return tomlkit.dumps(document)


def set_path(document: Any, path: Iterable[str], value: Any) -> None:
    """Set a dotted path in a tomlkit document, creating tables as needed."""
    import tomlkit

    *parents, last = list(path)
    node = document
    for part in parents:
        if part not in node:
            node[part] = tomlkit.table()
        node = node[part]
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(value)
        value = array
    node[last] = value


def delete_path(document: Any, path: Iterable[str]) -> bool:
    *parents, last = list(path)
    node = document
    for part in parents:
        if part not in node:
            return False
        node = node[part]
    if last in node:
        del node[last]
        return True
    return False
