"""Where registry files are read from: the working tree, or a commit's tree read from git objects."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol


class Files(Protocol):
    """Registry-relative paths (with `/`) to content."""

    def read(self, rel: str) -> bytes | None: ...

    def walk(self, folder: str) -> list[str]:
        """Every file below `folder`, registry-relative, sorted; hidden names skipped."""
        ...


class DiskFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, rel: str) -> bytes | None:
        try:
            return (self.root / rel).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def walk(self, folder: str) -> list[str]:
        found: list[str] = []
        self._walk(self.root / folder, folder, found)
        return sorted(found)

    def _walk(self, path: Path, rel: str, found: list[str]) -> None:
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = f"{rel}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                self._walk(Path(entry.path), child, found)
            elif entry.is_file(follow_symlinks=False):
                found.append(child)


class TreeFiles:
    """Files of a commit, read once from git objects (see vcs.Repo.read_tree)."""

    def __init__(self, contents: Mapping[str, bytes]) -> None:
        self.contents = dict(contents)

    def read(self, rel: str) -> bytes | None:
        return self.contents.get(rel)

    def walk(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return sorted(
            p
            for p in self.contents
            if p.startswith(prefix) and not any(part.startswith(".") for part in p.split("/"))
        )
