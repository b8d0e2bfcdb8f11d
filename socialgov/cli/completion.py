"""Shell completion of asset ids and handles (typer's completion for bash, zsh and fish).

Completion runs on every Tab press, so it reads only what it needs, and a registry that
cannot be read completes nothing rather than printing an error into the shell.
"""

from __future__ import annotations

from pathlib import Path

import typer


def _root(ctx: typer.Context) -> Path | None:
    from socialgov.errors import SocialgovError
    from socialgov.registry.paths import find_root

    explicit = ctx.find_root().params.get("registry")
    try:
        return find_root(Path(explicit) if explicit else None)
    except SocialgovError:
        return None


def complete_asset(ctx: typer.Context, incomplete: str) -> list[str]:
    """Asset ids (`domain:example.com`) and their short names, from the file names alone."""
    from socialgov.registry.files import DiskFiles
    from socialgov.registry.load import asset_id_for

    root = _root(ctx)
    if root is None:
        return []
    found: list[str] = []
    for rel in DiskFiles(root).walk("assets"):
        try:
            asset_id = asset_id_for(rel)
        except Exception:  # a misplaced file: nothing to complete from it
            continue
        if asset_id is None:
            continue
        for text in (str(asset_id), asset_id.name):
            if text.startswith(incomplete.lower()):
                found.append(text)
    return sorted(set(found))


def complete_handle(ctx: typer.Context, incomplete: str) -> list[str]:
    return [h for h in _roster_names(ctx, teams=False) if h.startswith(incomplete.lower())]


def complete_owner(ctx: typer.Context, incomplete: str) -> list[str]:
    return [h for h in _roster_names(ctx, teams=True) if h.startswith(incomplete.lower())]


def _roster_names(ctx: typer.Context, *, teams: bool) -> list[str]:
    import tomli

    root = _root(ctx)
    if root is None:
        return []
    try:
        data = tomli.loads((root / "people.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    names = sorted(data.get("people", {}))
    if teams:
        names += sorted(f"team:{t}" for t in data.get("teams", {}))
    return names
