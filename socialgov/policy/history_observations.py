"""The observation before the latest one of each domain, read from git history in two git calls.

`git log --raw` over observations/ lists, newest first, every change with the blob ids
before and after; the first change seen for a file is its latest commit, and its
"before" blob is the previous observation. One `git cat-file --batch` reads them all.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from socialgov.errors import InputError
from socialgov.lookup.observation import Observation
from socialgov.registry import paths
from socialgov.vcs import ZERO, find_git_dir, run_git


def previous_blobs(root: Path, folder: str = paths.OBSERVATIONS_DIR) -> dict[str, str]:
    """Name → blob id of its previous observation, for files directly in `folder` whose
    latest commit modified them."""
    if find_git_dir(root.resolve()) is None:
        return {}
    out = run_git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "--format=",
        "--",
        folder,
        check=False,
    )
    seen: set[str] = set()
    blobs: dict[str, str] = {}
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        if not line.startswith(":"):
            continue
        meta, _, path = line.partition("\t")
        parent, _, name = path.rpartition("/")
        if not (parent == folder or parent.endswith("/" + folder)):
            continue
        if not name.endswith(".toml") or name in seen:
            continue
        seen.add(name)
        fields = meta.split()
        if len(fields) >= 5 and fields[4].startswith("M") and fields[2] != ZERO:
            blobs[name[: -len(".toml")]] = fields[2]
    return blobs


def previous_observations(root: Path) -> dict[str, Observation]:
    """Domain → its previous observation (see the module docstring); broken old files are skipped."""
    from socialgov.registry.load import observation_from_table, parse_toml_text

    result: dict[str, Observation] = {}
    for domain, raw in read_blobs(root, previous_blobs(root)).items():
        rel = paths.observation_relpath(domain)
        with contextlib.suppress(InputError):
            data, source = parse_toml_text(raw, rel)
            result[domain] = observation_from_table(data, rel, source)
    return result


def read_blobs(root: Path, blobs: dict[str, str]) -> dict[str, bytes]:
    """Name → content of each blob id, in one `git cat-file --batch`."""
    if not blobs:
        return {}
    batch = run_git(
        root, "cat-file", "--batch", input="".join(f"{b}\n" for b in blobs.values()).encode()
    )
    result: dict[str, bytes] = {}
    offset = 0
    for name in blobs:
        header_end = batch.index(b"\n", offset)
        header = batch[offset:header_end].split()
        if len(header) < 3 or header[1] != b"blob":
            offset = header_end + 1
            continue
        size = int(header[2])
        start = header_end + 1
        result[name] = batch[start : start + size]
        offset = start + size + 1
    return result
