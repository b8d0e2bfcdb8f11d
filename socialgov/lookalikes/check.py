"""`lookalikes --check`: look the lookalikes up through the lookup pool and record the registered.

Each registered lookalike is written to `observations/lookalikes/<name>.toml`: the
observation as `whois --record` writes it, plus `original` and `fuzzer`. A name recorded
before that is now free is written again with `registered = false`, so its finding goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialgov.lookalikes.generate import Lookalike
from socialgov.lookalikes.store import load_lookalikes, relpath
from socialgov.lookup.observation import Observation
from socialgov.lookup.settings import LookupSettings
from socialgov.lookup.source import Progress
from socialgov.model import Registry, Settings
from socialgov.registry.save import dump_new
from socialgov.registry.store import Transaction
from socialgov.words import plural


@dataclass(frozen=True)
class Checked:
    lookalike: Lookalike
    observation: Observation | None  # None: not looked up (defensive, or no --check)
    holder: (
        str  # "organisation" | "organisation-unregistered" | "someone else" | "free" | "unknown"
    )

    def describe(self) -> str:
        o = self.observation
        if self.holder == "organisation":
            return "held by the registry (defensive)"
        if o is None:
            return ""
        if o.registered is None:
            return f"lookup failed: {o.error}"
        if not o.registered:
            return "free"
        who = "(redacted)" if o.registrant_redacted else (o.registrant_org or "(not shown)")
        if self.holder == "organisation-unregistered":
            return f"registered to the organisation ({who}) but not in the registry"
        return f"registered by {who}" + (f" via {o.registrar}" if o.registrar else "")

    def to_json(self) -> dict[str, Any]:
        out = self.lookalike.to_json()
        out["held_by"] = None if self.holder == "unchecked" else self.holder
        o = self.observation
        out["registered"] = True if self.holder == "organisation" else (o.registered if o else None)
        if o is not None:
            out["observation"] = o.to_json()
        return out


def unchecked(lookalikes: Sequence[Lookalike]) -> list[Checked]:
    return [
        Checked(item, None, "organisation" if item.defensive else "unchecked")
        for item in lookalikes
    ]


def holder(observation: Observation, settings: Settings, expected: str | None = None) -> str:
    """Who holds a looked-up lookalike, as far as the observation tells."""
    from socialgov.policy.rules._common import normalise_org

    if observation.registered is None:
        return "unknown"
    if not observation.registered:
        return "free"
    org = observation.registrant_org
    ours = {normalise_org(settings.org_name)} | ({normalise_org(expected)} if expected else set())
    if org and normalise_org(org) in ours:
        return "organisation-unregistered"
    email = observation.registrant_email
    if email and settings.is_company_email(email):
        return "organisation-unregistered"
    return "someone else"


def check_lookalikes(
    registry: Registry,
    lookalikes: Sequence[Lookalike],
    settings: LookupSettings,
    *,
    cache_dir: Path | None,
    progress: Progress | None = None,
) -> list[Checked]:
    """Look up every lookalike the registry does not hold, within the [lookup] limits."""
    from socialgov.changes.observe import look_up

    wanted = [item.name for item in lookalikes if not item.defensive]
    observations = look_up(wanted, settings, cache_dir=cache_dir, progress=progress)
    by_name = dict(zip(wanted, observations, strict=True))
    expected = _expected_registrants(registry)
    results = []
    for item in lookalikes:
        if item.defensive:
            results.append(Checked(item, None, "organisation"))
            continue
        observation = by_name[item.name]
        results.append(
            Checked(
                item,
                observation,
                holder(observation, registry.settings, expected.get(item.original)),
            )
        )
    return results


def _expected_registrants(registry: Registry) -> dict[str, str]:
    from socialgov.model import Kind

    out = {}
    for asset in registry.by_kind(Kind.DOMAIN):
        registrant = asset.section.get("registrant")
        if isinstance(registrant, str):
            out[asset.name] = registrant
    return out


def record_lookalikes(tx: Transaction, registry: Registry, results: Sequence[Checked]) -> None:
    """Write the registered lookalikes, and rewrite recorded ones that are free again."""
    recorded = set(load_lookalikes(_files(registry)))
    written = 0
    freed = 0
    for result in results:
        o = result.observation
        if o is None or o.registered is None:
            continue
        name = result.lookalike.name
        if not o.registered and name not in recorded:
            continue
        table = {
            **o.to_toml(),
            "original": result.lookalike.original,
            "fuzzer": result.lookalike.fuzzer,
        }
        tx.write(relpath(name), dump_new(table))
        if o.registered:
            written += 1
        else:
            freed += 1
    tx.message = f"lookalikes --check: {plural(written, 'registered lookalike')} recorded" + (
        f", {freed} free again" if freed else ""
    )


def _files(registry: Registry) -> Any:
    from socialgov.registry.files import DiskFiles

    return DiskFiles(registry.root)
