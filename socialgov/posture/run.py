"""Observe DNS and the web for a registry's assets, and record what was seen (SPEC §8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from socialgov.errors import UsageError
from socialgov.lookup.dns_observation import DnsObservation
from socialgov.lookup.observation import Observation
from socialgov.lookup.posture_settings import DnsSettings
from socialgov.lookup.source import Progress, gather
from socialgov.lookup.web_observation import WebObservation
from socialgov.model import AssetId, Registry
from socialgov.posture.targets import dns_relpath, dns_targets, web_relpath, web_targets
from socialgov.registry.save import dump_new
from socialgov.registry.store import Transaction
from socialgov.words import plural


def observe_dns(
    registry: Registry | None,
    names: Sequence[str],
    *,
    all_assets: bool,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> list[DnsObservation]:
    """The DNS observation of each name (and with `all_assets`, of every active domain and
    blog host), in order."""
    from socialgov.lookup.dns import DnsSource

    settings = registry.settings.dns if registry is not None else DnsSettings()
    allow_private = registry.settings.web.allow_private if registry is not None else False
    targets = dns_targets(registry, names, all_assets=all_assets)
    if not targets:
        raise UsageError("name at least one domain, or pass --all")
    source = DnsSource(settings, allow_private=allow_private, now=now)
    return gather(source, targets, progress=progress)


def observe_web(
    registry: Registry,
    ids: Sequence[str],
    *,
    all_assets: bool,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> list[WebObservation]:
    """The web observation of each asset named (and with `all_assets`, of every active asset
    with a URL), in order."""
    from socialgov.lookup.web import WebSource

    targets = web_targets(registry, ids, all_assets=all_assets)
    if not targets and not all_assets:
        raise UsageError("name at least one asset with a url, or pass --all")
    source = WebSource(registry.settings.web, registry.settings.dns, root=registry.root, now=now)
    return gather(source, targets, progress=progress)


def record_dns(
    tx: Transaction, registry: Registry, observations: Sequence[DnsObservation]
) -> list[str]:
    """Write observations/dns/<name>.toml for each name the registry holds (a domain asset or
    a blog's host); NXDOMAIN and timeouts are facts and are recorded too."""
    known = {t.name for t in dns_targets(registry, (), all_assets=True)}
    written = []
    for observation in observations:
        if observation.name not in known:
            raise UsageError(
                f"{observation.name} is neither a domain nor a blog host of the registry; "
                "--record keeps observations of the registry's names only",
                hint=f"add it first: socialgov add domain {observation.name} --owner PERSON",
            )
        if observation.error:
            continue  # the lookup could not run: keep what was known
        tx.write(dns_relpath(observation.name), dump_new(observation.to_toml()))
        written.append(observation.name)
    return written


def record_web(
    tx: Transaction, registry: Registry, observations: Sequence[WebObservation]
) -> list[str]:
    """Write observations/web/<asset-file-stem>.toml for each observation."""
    written = []
    for observation in observations:
        asset_id = AssetId.parse(observation.asset)
        if asset_id not in registry.assets:
            raise UsageError(f"{asset_id} is not an asset of the registry")
        tx.write(web_relpath(asset_id), dump_new(observation.to_toml()))
        written.append(observation.asset)
    return written


def message(kind: str, written: int, failed: int = 0) -> str:
    return f"{kind} --record: {plural(written, 'observation')}" + (
        f", {plural(failed, 'lookup')} failed" if failed else ""
    )


@dataclass(frozen=True)
class Refresh:
    """Everything `refresh` observed in one run."""

    whois: list[Observation]
    dns: list[DnsObservation]
    web: list[WebObservation]

    @property
    def whois_failed(self) -> list[Observation]:
        return [o for o in self.whois if o.registered is None]


def refresh(
    registry: Registry,
    *,
    cache_dir: Path | None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Refresh:
    """whois, dns and web for every active asset (each source its own limits)."""
    from socialgov.changes.observe import look_up, registry_domains

    whois = look_up(
        registry_domains(registry),
        registry.settings.lookup,
        cache_dir=cache_dir,
        progress=None,
        now=now,
    )
    dns = (
        observe_dns(registry, (), all_assets=True, now=now, progress=progress)
        if (dns_targets(registry, (), all_assets=True))
        else []
    )
    web = observe_web(registry, (), all_assets=True, now=now, progress=progress)
    return Refresh(whois=whois, dns=dns, web=web)


def record_refresh(tx: Transaction, registry: Registry, result: Refresh) -> None:
    from socialgov.changes.observe import record

    whois = record(tx, registry, result.whois)
    dns = record_dns(tx, registry, result.dns)
    web = record_web(tx, registry, result.web)
    tx.message = (
        f"refresh --record: {len(whois)} whois, {len(dns)} dns, {plural(len(web), 'web observation')}"
        + (
            f", {plural(len(result.whois_failed), 'whois lookup')} failed"
            if result.whois_failed
            else ""
        )
    )
