"""Where the registry sits in its git repository, for paths that CI reads from the top."""

from __future__ import annotations

from pathlib import Path


def repo_prefix(root: Path) -> str:
    """The registry's folder relative to the repository top ('' at the top or outside git)."""
    from socialgov.errors import GitError
    from socialgov.vcs import find_git_dir, run_git

    resolved = root.resolve()
    if find_git_dir(resolved) is None:
        return ""
    try:
        top = run_git(resolved, "rev-parse", "--show-toplevel", check=False).decode().strip()
    except GitError:
        return ""
    if not top:
        return ""
    try:
        rel = resolved.relative_to(Path(top).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel
