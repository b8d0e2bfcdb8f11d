"""Where things live in a registry, and how to find the registry from the current directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.errors import UsageError

if TYPE_CHECKING:
    from socialgov.model import Kind

SETTINGS_FILE = "socialgov.toml"
PEOPLE_FILE = "people.toml"
WAIVERS_FILE = "waivers.toml"
ASSETS_DIR = "assets"
OBSERVATIONS_DIR = "observations"
CACHE_DIR = ".socialgov"


def find_root(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The registry root: `--registry`, else SOCIALGOV_REGISTRY, else the nearest socialgov.toml above cwd."""
    chosen = explicit or (
        Path(os.environ["SOCIALGOV_REGISTRY"]) if os.environ.get("SOCIALGOV_REGISTRY") else None
    )
    if chosen is not None:
        root = chosen.expanduser().resolve()
        # Present but not a regular file (a folder, FIFO, symlink loop...): the loader reads
        # it as it reads every registry file and names it at socialgov.toml:1.
        if not os.path.lexists(root / SETTINGS_FILE):
            raise UsageError(
                f"{root} is not a socialgov registry: it has no {SETTINGS_FILE}",
                hint="create one with `socialgov init DIR --org NAME --email-domain D`",
            )
        return root
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise UsageError(
        f"no {SETTINGS_FILE} found in {here} or any folder above it",
        hint="pass --registry PATH, set SOCIALGOV_REGISTRY, or create one with `socialgov init`",
    )


def observation_relpath(domain: str) -> str:
    return f"{OBSERVATIONS_DIR}/{domain}.toml"


def asset_path_kind(parts: list[str]) -> Kind | None:
    """The kind whose folder and depth `assets/FOLDER/...NAME.toml` split into `parts` match,
    read from KIND_SPECS; None when no kind's layout fits."""
    from socialgov.model import KIND_SPECS

    for kind, spec in KIND_SPECS.items():
        if len(parts) > 2 and parts[1] == spec.folder and len(parts) == 2 + spec.path_depth:
            return kind
    return None


def asset_path_hint() -> str:
    """Where asset files belong, one path per kind, for error messages."""
    from socialgov.model import KIND_SPECS

    hints = [spec.path_hint for spec in KIND_SPECS.values()]
    return "asset files belong in " + ", ".join(hints[:-1]) + " or " + hints[-1]
