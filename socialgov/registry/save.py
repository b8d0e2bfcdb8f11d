"""Write registry files: atomically, and keeping the comments and layout of hand-written files."""

from __future__ import annotations

import contextlib
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
    that sync once for many files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                data(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
