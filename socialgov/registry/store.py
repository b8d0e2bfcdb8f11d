"""Change the registry safely: under a lock, refusing dirty files, writing atomically, one commit."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialgov.errors import GitError
from socialgov.model import Registry
from socialgov.registry.load import load_registry
from socialgov.registry.save import atomic_write, edit_text
from socialgov.vcs import Repo, find_git_dir


@dataclass
class Transaction:
    """The files one command changes, and the message of its commit."""

    root: Path
    repo: Repo
    message: str = ""
    files: dict[str, bytes | None] = field(default_factory=dict)  # None: delete the file
    outside: dict[Path, bytes] = field(default_factory=dict)
    commit: str | None = None
    # Said to the user after the change (a warning, or what the change leaves behind).
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def read_text(self, rel: str) -> str:
        if rel in self.files:
            data = self.files[rel]
            if data is None:
                raise FileNotFoundError(rel)
            return data.decode("utf-8")
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, data: bytes) -> None:
        self.files[rel] = data

    def delete(self, rel: str) -> None:
        self.files[rel] = None

    def content(self, rel: str) -> bytes:
        """What the change writes to `rel` (which it must write)."""
        data = self.files[rel]
        assert data is not None, rel
        return data

    def write_outside(self, path: Path, data: bytes) -> None:
        """A file of the repository outside the registry folder (e.g. .github/CODEOWNERS)."""
        self.outside[path] = data

    def edit(self, rel: str, change: Callable[[Any], None]) -> None:
        """Edit a hand-written TOML file in place, keeping its comments and layout."""
        self.write(rel, edit_text(self.read_text(rel), change).encode("utf-8"))

    def changed(self) -> dict[Path, bytes | None]:
        """Files whose new content differs from what is on disk (None: deleted), by absolute path."""
        planned: dict[Path, bytes | None] = {
            self.root / rel: data for rel, data in self.files.items()
        }
        planned.update(self.outside)
        return {path: data for path, data in planned.items() if _current(path) != data}


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def transaction(
    root: Path, *, author: str | None = None, commit: bool = True, dry_run: bool = False
) -> Iterator[Transaction]:
    """Hold the registry's lock while the body plans a change, then write and commit it.

    Nothing is written if the body raises, or with `dry_run`. A file the change touches
    that has uncommitted edits makes the whole change refused.
    """
    repo = Repo.find(root)
    with repo.lock():
        tx = Transaction(root=root, repo=repo, dry_run=dry_run)
        yield tx
        changed = tx.changed()
        if not changed or dry_run:
            return
        top_paths = {repo.rel(path): data for path, data in changed.items()}
        if commit:
            dirty = repo.dirty(list(top_paths))
            if dirty:
                raise GitError(
                    "refusing to change files with uncommitted edits: " + ", ".join(sorted(dirty)),
                    hint="commit or discard those edits first, or pass --no-commit",
                )
            tx.commit = repo.commit(dict(top_paths), tx.message, author)
        else:
            for path, data in changed.items():
                if data is None:
                    path.unlink()
                else:
                    atomic_write(path, data)


def recover_if_needed(root: Path) -> None:
    """Complete a change that a killed process left half-written (cheap when there is none)."""
    git_dir = find_git_dir(root)
    if git_dir is not None and (git_dir / "socialgov-pending.json").exists():
        repo = Repo.find(root)
        with repo.lock():
            pass  # Repo.lock() recovers on entry


def load_current(root: Path) -> Registry:
    recover_if_needed(root)
    return load_registry(root)
