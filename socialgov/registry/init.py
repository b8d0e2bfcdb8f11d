"""Create a new registry."""

from __future__ import annotations

from pathlib import Path

from socialgov.errors import UsageError
from socialgov.registry import paths
from socialgov.registry.save import dump_new
from socialgov.registry.store import transaction
from socialgov.vcs import Repo

_PEOPLE = """\
# The roster: one [people.HANDLE] table per person, one [teams.NAME] per team.
# [people.alice]
# name = "Alice Example"
# email = "alice@example.com"
# status = "active"            # active | departed | on_leave
"""
_WAIVERS = """\
# Accepted exceptions, one [[waiver]] each:
# [[waiver]]
# rule = "mfa-missing"
# asset = "social:x/examplecorp"
# reason = "Platform has no MFA for brand accounts"
# approved_by = "carol"
# expires = 2027-01-01
"""


def create_registry(
    directory: Path, org: str, email_domains: list[str], *, author: str | None, commit: bool
) -> str | None:
    if not org.strip():
        raise UsageError("--org must name the organisation")
    root = directory.resolve()
    if (root / paths.SETTINGS_FILE).exists():
        raise UsageError(f"{root} already holds a registry ({paths.SETTINGS_FILE})")
    for domain in email_domains:
        if "@" in domain or "." not in domain:
            raise UsageError(f"--email-domain {domain!r}: expected a domain like example.com")
    Repo.init(root)
    settings = {
        "organization": {"name": org.strip(), "email_domains": [d.lower() for d in email_domains]},
        "policy": {"files": []},
        "lookup": {
            "order": ["rdap", "whois"],
            "timeout_s": 10,
            "concurrency": 8,
            "per_server": 2,
            "cache_hours": 24,
        },
    }
    with transaction(root, author=author, commit=commit) as tx:
        tx.write(paths.SETTINGS_FILE, dump_new(settings))
        tx.write(paths.PEOPLE_FILE, _PEOPLE.encode())
        tx.write(paths.WAIVERS_FILE, _WAIVERS.encode())
        if not (root / ".gitignore").exists():
            tx.write(".gitignore", f"{paths.CACHE_DIR}/\n".encode())
        tx.message = f"init socialgov registry for {org.strip()}"
    return tx.commit
