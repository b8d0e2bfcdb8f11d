"""What `discover --add` and `discover --record` change in the registry, planned in a transaction."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from typing import Any

from socialgov.discover.candidates import DISCOVERED_TAG, Candidate
from socialgov.discover.names import registrable
from socialgov.model import Kind, Registry
from socialgov.registry.save import dump_new
from socialgov.registry.store import Transaction
from socialgov.words import plural

RECORD_FILE = "observations/discover/candidates.toml"


def add_candidates(tx: Transaction, registry: Registry, candidates: Sequence[Candidate]) -> None:
    """Each candidate as an asset with no owner and the tag `discovered`, so `orphaned` asks
    someone to claim it; through the same checks as `socialgov add`."""
    from socialgov.changes.assets import add_asset

    domains = {a.name for a in registry.by_kind(Kind.DOMAIN)}
    domains |= {c.id.name for c in candidates if c.id.kind is Kind.DOMAIN}
    for candidate in candidates:
        assignments = [
            f"tags={DISCOVERED_TAG}",
            f"notes=found by socialgov discover: {_note(candidate)}",
        ]
        if candidate.id.kind is Kind.DOMAIN:
            if candidate.expires is not None:
                assignments.append(f"domain.expires={candidate.expires.isoformat()}")
            if candidate.registrar:
                assignments.append(f"domain.registrar={candidate.registrar}")
        else:
            assignments.append(f"blog.url={candidate.url}")
            if candidate.platform:
                assignments.append(f"blog.platform={candidate.platform}")
            domain = registrable(candidate.id.name)
            if domain in domains:
                assignments.append(f"blog.domain=domain:{domain}")
        add_asset(tx, registry, candidate.id, [], assignments)
    blogs = sum(1 for c in candidates if c.id.kind is Kind.BLOG)
    tx.message = (
        f"discover --add: {plural(len(candidates), 'asset')} to claim "
        f"({plural(len(candidates) - blogs, 'domain')}, {plural(blogs, 'blog')})"
    )


def _note(candidate: Candidate) -> str:
    # The input's file name only: a local path says nothing to the registry's readers.
    text = f"{candidate.evidence} ({os.path.basename(candidate.source)})"
    return text.replace("\n", " ")


def record_candidates(tx: Transaction, candidates: Sequence[Candidate], today: date) -> None:
    """The candidates as of `today`, for the HTML report's "Not in the registry"."""
    table: dict[str, Any] = {
        "recorded": today,
        "candidate": [
            {
                "id": str(c.id),
                "source": os.path.basename(c.source),
                "evidence": c.evidence,
                **({"expired": True} if c.expired else {}),
            }
            for c in candidates
        ],
    }
    tx.write(RECORD_FILE, dump_new(table))
    tx.message = f"discover --record: {plural(len(candidates), 'candidate')} not in the registry"


def load_recorded(files: Any) -> tuple[date | None, list[dict[str, Any]]]:
    """The recorded candidates (empty when nothing was recorded); `files` is a registry Files."""
    from socialgov.registry.load import parse_toml_text

    raw = files.read(RECORD_FILE)
    if raw is None:
        return None, []
    data, _ = parse_toml_text(raw, RECORD_FILE)
    recorded = data.get("recorded")
    entries = [e for e in data.get("candidate", []) if isinstance(e, dict) and "id" in e]
    return (recorded if isinstance(recorded, date) else None), entries
