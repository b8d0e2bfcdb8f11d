"""Where things live in a registry, and how to find the registry from the current directory."""

from __future__ import annotations

import os
from pathlib import Path

from socialgov.errors import UsageError

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
        if not (root / SETTINGS_FILE).is_file():
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
