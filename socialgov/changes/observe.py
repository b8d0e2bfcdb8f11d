"""Look up registration data for domains, and record observations in the registry."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from socialgov.errors import InputError, UsageError
from socialgov.lookup.observation import Observation
from socialgov.lookup.settings import LookupSettings
from socialgov.lookup.source import Progress
from socialgov.model import AssetId, Kind, Registry
from socialgov.registry import paths
from socialgov.registry.save import dump_new
from socialgov.registry.store import Transaction
from socialgov.words import plural


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "socialgov"


def registry_domains(registry: Registry) -> list[str]:
    return sorted(a.name for a in registry.by_kind(Kind.DOMAIN) if a.active)


def normalise_domains(names: Sequence[str]) -> list[str]:
    return [AssetId.of(Kind.DOMAIN, name).name for name in names]


def look_up(
    domains: Sequence[str],
    settings: LookupSettings,
    *,
    cache_dir: Path | None,
    progress: Progress | None,
    now: datetime | None = None,
) -> list[Observation]:
    from socialgov.lookup.pool import lookup_many

    return lookup_many(domains, settings, cache_dir=cache_dir, now=now, progress=progress)


def parse_file(domain: str, path: Path, *, record: bool = False) -> Observation:
    """A saved WHOIS text or RDAP JSON response, parsed offline like a live answer.

    With `record`, a response that names another domain than `domain` (the WHOIS text's
    domain-name field, the RDAP `ldhName`) is refused: recording it would file one domain's
    registration data under another's name."""
    from socialgov.lookup.parse import parse_saved, saved_answer_domain

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if record and (named := saved_answer_domain(raw)) is not None and named != domain:
        raise InputError(
            f"the saved response is for {named}, not {domain}; nothing was recorded",
            file=path,
            line=_line_naming(raw, named),
            hint=f"record it under its own domain (socialgov whois {named} --from-file "
            f"{path} --record), or give the response for {domain}",
        )
    try:
        observation = parse_saved(domain, raw)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        # A saved answer is untrusted input: a field of an unexpected type is a bad file.
        raise InputError(
            f"cannot read a registration record for {domain}: unexpected content ({type(exc).__name__}: {str(exc)[:100]})",
            file=path,
            line=1,
            hint="give a saved WHOIS answer (text) or an RDAP domain response (JSON)",
        ) from None
    if observation.registered is None:
        raise InputError(
            f"cannot read a registration record for {domain}: {observation.error}",
            file=path,
            line=1,
            hint="give a saved WHOIS answer (text) or an RDAP domain response (JSON)",
        )
    return observation.with_fetched_at(datetime.now(UTC))


def _line_naming(raw: bytes, name: str) -> int:
    """The first line of a saved response that names `name` (case-insensitive), else 1."""
    needle = name.encode("ascii", "replace").lower()
    for number, line in enumerate(raw.lower().splitlines(), start=1):
        if needle in line:
            return number
    return 1


def record(tx: Transaction, registry: Registry, observations: Sequence[Observation]) -> list[str]:
    """Write each successful observation to observations/<domain>.toml; returns the domains written."""
    held = {a.name for a in registry.by_kind(Kind.DOMAIN)}
    written = []
    for observation in observations:
        if observation.domain not in held:
            raise UsageError(
                f"{observation.domain} is not a domain of the registry; --record keeps observations of its domains only",
                hint=f"add it first: socialgov add domain {observation.domain} --owner PERSON",
            )
        if observation.registered is None:
            continue  # a failed lookup never replaces what was known
        tx.write(paths.observation_relpath(observation.domain), dump_new(observation.to_toml()))
        written.append(observation.domain)
    failed = len(observations) - len(written)
    tx.message = f"whois --record: {plural(len(written), 'observation')}" + (
        f", {plural(failed, 'lookup')} failed" if failed else ""
    )
    return written
