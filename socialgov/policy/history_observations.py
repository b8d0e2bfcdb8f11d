"""The observation before the current one of each domain, as of a revision of the registry's history.

The latest change of each observation file as of the revision (one `git log --raw`) gives
the blob before and after it. When the file as read is the committed one, the previous
observation is the blob before that change; when it differs (an uncommitted edit in the
working tree), the committed blob is the previous one. One `git cat-file --batch` reads
them all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from pathlib import Path

from socialgov.errors import InputError
from socialgov.lookup.observation import Observation
from socialgov.registry import paths
from socialgov.registry.files import Files


def previous_blobs(
    root: Path,
    rev: str,
    files: Files,
    folder: str = paths.OBSERVATIONS_DIR,
    only: Collection[str] | None = None,
) -> dict[str, str]:
    """Name → blob id of its previous observation, as of `rev`, for the observations in
    `files` that sit directly in `folder` (WHOIS/RDAP by default; DNS in observations/dns);
    with `only`, for those names only."""
    from socialgov.vcs import ZERO, blob_id, latest_changes

    blobs: dict[str, str] = {}
    for path, change in latest_changes(root, rev, folder).items():
        parent, _, name = path.rpartition("/")
        if parent != folder or not name.endswith(".toml"):
            continue
        if only is not None and name[: -len(".toml")] not in only:
            continue
        current = files.read(path)
        if current is None:
            continue
        if change.after != ZERO and blob_id(current, change.after) != change.after:
            blobs[name[: -len(".toml")]] = change.after
        elif change.status == "M" and change.before != ZERO:
            blobs[name[: -len(".toml")]] = change.before
    return blobs


def previous_observations(
    root: Path, rev: str | None, files: Files, only: Collection[str] | None = None
) -> dict[str, Observation]:
    """Domain → its previous observation (see the module docstring); broken old files are
    skipped. `only`: of these domains only.

    `rev` None (no git history, or no commit yet) has no previous observations.
    """
    from socialgov.registry.load import observation_from_table, parse_toml_text
    from socialgov.vcs import read_blobs

    if rev is None:
        return {}
    blobs = previous_blobs(root, rev, files, only=only)
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
