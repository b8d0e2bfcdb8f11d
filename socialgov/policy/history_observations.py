"""The observation before the latest one of each domain, read from git history in two git calls.

vcs.previous_versions lists the blob each observation file had before its latest change;
one `git cat-file --batch` (vcs.read_blobs) reads them all.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from socialgov.errors import InputError
from socialgov.lookup.observation import Observation
from socialgov.registry import paths
from socialgov.vcs import previous_versions, read_blobs


def previous_blobs(root: Path) -> dict[str, str]:
    """Domain → blob id of its previous observation, for domains whose latest commit modified it."""
    return {
        name[: -len(".toml")]: blob
        for name, blob in previous_versions(root, paths.OBSERVATIONS_DIR).items()
        if name.endswith(".toml")
    }


def previous_observations(root: Path) -> dict[str, Observation]:
    """Domain → its previous observation (see the module docstring); broken old files are skipped."""
    from socialgov.registry.load import observation_from_table, parse_toml_text

    blobs = previous_blobs(root)
    contents = read_blobs(root, list(blobs.values()))
    result: dict[str, Observation] = {}
    for domain, blob in blobs.items():
        raw = contents.get(blob)
        if raw is None:
            continue
        rel = paths.observation_relpath(domain)
        with contextlib.suppress(InputError):
            data, source = parse_toml_text(raw, rel)
            result[domain] = observation_from_table(data, rel, source)
    return result
