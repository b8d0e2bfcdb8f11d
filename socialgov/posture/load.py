"""Read recorded DNS and web observations for an audit: plain functions over the registry's
`Files`, so they read the working tree and a commit's tree alike."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from socialgov.errors import InputError
from socialgov.lookup.dns_observation import DnsObservation
from socialgov.lookup.web_observation import WebObservation
from socialgov.model import Asset, Kind
from socialgov.posture.targets import DNS_DIR, WEB_DIR, blog_host, dns_relpath, web_relpath
from socialgov.registry.files import Files

T = TypeVar("T")


def _parse(raw: bytes, rel: str, build: Callable[[dict[str, Any]], T]) -> T:
    from socialgov.registry.load import parse_toml_text

    data, _ = parse_toml_text(raw, rel)
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise InputError(f"not a valid observation: {exc}", file=rel, line=1) from None


def load_dns_observations(files: Files) -> dict[str, DnsObservation]:
    """Name → its latest DNS observation (observations/dns/<name>.toml)."""
    found: dict[str, DnsObservation] = {}
    for rel in files.walk(DNS_DIR):
        raw = files.read(rel)
        if raw is None or not rel.endswith(".toml") or rel.count("/") != 2:
            continue
        observation = _parse(raw, rel, DnsObservation.from_toml)
        found[observation.name] = observation
    return found


def load_web_observations(files: Files) -> dict[str, WebObservation]:
    """Asset id → its latest web observation (observations/web/<asset-file-stem>.toml)."""
    found: dict[str, WebObservation] = {}
    for rel in files.walk(WEB_DIR):
        raw = files.read(rel)
        if raw is None or not rel.endswith(".toml"):
            continue
        observation = _parse(raw, rel, WebObservation.from_toml)
        found[observation.asset] = observation
    return found


def previous_dns_observations(root: Path) -> dict[str, DnsObservation]:
    """Name → the DNS observation before the latest one, from git history (see
    socialgov.policy.history_observations); broken old files are skipped."""
    from socialgov.policy.history_observations import previous_blobs, read_blobs

    found: dict[str, DnsObservation] = {}
    for name, raw in read_blobs(root, previous_blobs(root, DNS_DIR)).items():
        with contextlib.suppress(InputError):
            found[name] = _parse(raw, dns_relpath(name), DnsObservation.from_toml)
    return found


def asset_posture(
    files: Files, asset: Asset
) -> tuple[DnsObservation | None, WebObservation | None]:
    """The latest DNS observation of an asset (a domain's name, a blog's host) and its latest
    web observation, for `show`."""
    name = asset.name if asset.kind is Kind.DOMAIN else blog_host(asset)
    dns = None
    if name is not None and (raw := files.read(dns_relpath(name))) is not None:
        dns = _parse(raw, dns_relpath(name), DnsObservation.from_toml)
    web = None
    if (raw := files.read(web_relpath(asset.id))) is not None:
        web = _parse(raw, web_relpath(asset.id), WebObservation.from_toml)
    return dns, web
