"""Record an accepted exception: append a [[waiver]] to waivers.toml, validated, comments kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from socialgov.errors import UsageError
from socialgov.model import AssetId, Registry, Waiver
from socialgov.registry import paths
from socialgov.registry.schema import did_you_mean
from socialgov.registry.store import Transaction
from socialgov.words import plural


def add_waiver(
    tx: Transaction,
    registry: Registry,
    *,
    rule: str,
    asset: str,
    reason: str,
    approved_by: str,
    until: date,
    today: date,
) -> AssetId:
    """Plan the waiver inside `tx` and set its commit message; returns the asset's full id."""
    from socialgov.policy.rules import RULES
    from socialgov.registry.query import resolve_id

    if rule not in RULES:
        raise UsageError(
            f"unknown rule {rule!r}",
            hint=did_you_mean(rule, list(RULES)) or "list the rules with `socialgov rules`",
        )
    from socialgov.policy.secret_scan import refuse_secrets

    refuse_secrets({"--reason": reason})
    asset_id = resolve_id(registry, asset)
    approved_by = check_approver(registry, approved_by, today)
    existing = [w for w in current_waivers(registry) if w.rule == rule and w.asset == asset_id]
    if existing:
        raise UsageError(
            f"{paths.WAIVERS_FILE}:{existing[0].line} already waives {rule} on {asset_id} "
            f"(until {existing[0].expires.isoformat()}); nothing changed",
            hint=f"extend it with `socialgov waivers renew {rule} {asset_id} --until DATE`",
        )
    check_until(registry, until, today)
    if not reason.strip():
        raise UsageError("--reason must say why the exception is accepted")
    if not _has_finding(registry, rule, asset_id, today):
        tx.notes.append(
            f"warning: {rule} finds nothing on {asset_id} today; the waiver is recorded, "
            "and waiver-unused will report it while it matches no finding"
        )

    entry = {
        "rule": rule,
        "asset": str(asset_id),
        "reason": reason.strip(),
        "approved_by": approved_by,
        "expires": until,
        "created": today,
    }
    rel = paths.WAIVERS_FILE
    try:
        text = tx.read_text(rel)
    except FileNotFoundError:
        text = "# Accepted exceptions: one [[waiver]] per rule and asset, until a date.\n"
    tx.write(rel, append_waiver(text, entry).encode("utf-8"))
    tx.message = f"waive {rule} on {asset_id} until {until.isoformat()} (approved by {approved_by})"
    return asset_id


def check_approver(registry: Registry, approved_by: str, today: date) -> str:
    """The approver's canonical handle: a person of the roster who has not left."""
    from socialgov.changes.guards import canonical_owner, gone

    handle = canonical_owner(approved_by)
    person = registry.roster.people.get(handle)
    if person is None:
        raise UsageError(
            f"--approved-by {approved_by!r} is not a person of the roster",
            hint=did_you_mean(handle, list(registry.roster.people)),
        )
    reason = gone(person, today)
    if reason is not None:
        raise UsageError(
            f"--approved-by {handle} has {reason} and cannot approve a waiver; nothing changed",
            hint="ask an active person, e.g. their manager, to approve it",
        )
    return handle


def check_until(registry: Registry, until: date, today: date) -> None:
    """A waiver ends in the future and no later than the policy's `[waivers] max_days`."""
    from datetime import timedelta

    if until <= today:
        raise UsageError(
            f"--until {until.isoformat()} is not in the future (today is {today.isoformat()})"
        )
    max_days = registry_policy(registry).waiver_max_days
    if until > today + timedelta(days=max_days):
        raise UsageError(
            f"--until {until.isoformat()} is {plural((until - today).days, 'day')} away; the policy "
            f"allows waivers of at most {plural(max_days, 'day')} (until {(today + timedelta(days=max_days)).isoformat()}); "
            "nothing changed",
            hint="choose an earlier date, and renew the waiver when it runs out "
            "(or raise [waivers] max_days in the policy)",
        )


def registry_policy(registry: Registry) -> Any:
    from socialgov.policy.config import load_registry_policy
    from socialgov.registry.files import DiskFiles

    return load_registry_policy(registry.settings.policy_files, DiskFiles(registry.root))


def current_waivers(registry: Registry) -> list[Waiver]:
    from socialgov.registry.load import load_waivers

    return load_waivers(registry.root, registry.assets)


def _has_finding(registry: Registry, rule: str, asset_id: AssetId, today: date) -> bool:
    from socialgov.policy.engine import audit
    from socialgov.policy.inputs import working_tree_inputs

    inputs = working_tree_inputs(registry, policy=registry_policy(registry), assets=[asset_id])
    result = audit(replace(inputs, waivers=()), today=today, rules=[rule], assets=[asset_id])
    return any(f.rule == rule and f.asset == asset_id for f in result.findings)


def _find(registry: Registry, rule: str, asset: str) -> tuple[int, Waiver]:
    """The index in waivers.toml of the waiver of `rule` on `asset`, and the waiver."""
    from socialgov.registry.query import resolve_id

    asset_id = resolve_id(registry, asset)
    waivers = current_waivers(registry)
    for index, waiver in enumerate(waivers):
        if waiver.rule == rule and waiver.asset == asset_id:
            return index, waiver
    known = sorted({f"{w.rule} {w.asset}" for w in waivers})
    raise UsageError(
        f"no waiver of {rule} on {asset_id} in {paths.WAIVERS_FILE}",
        hint=did_you_mean(f"{rule} {asset_id}", known) or "see `socialgov waivers list`",
    )


def renew_waiver(
    tx: Transaction,
    registry: Registry,
    *,
    rule: str,
    asset: str,
    until: date,
    today: date,
    reason: str | None = None,
    approved_by: str | None = None,
) -> None:
    """Move an existing waiver's end date (and, when given, its reason or approver)."""
    import tomlkit

    index, waiver = _find(registry, rule, asset)
    approver = check_approver(registry, approved_by or waiver.approved_by, today)
    check_until(registry, until, today)
    document = tomlkit.parse(tx.read_text(paths.WAIVERS_FILE))
    entry = document["waiver"][index]
    entry["expires"] = until
    entry["approved_by"] = approver
    if reason is not None and reason.strip():
        entry["reason"] = reason.strip()
    entry["renewed"] = today
    tx.write(paths.WAIVERS_FILE, tomlkit.dumps(document).encode("utf-8"))
    tx.message = (
        f"waivers renew {rule} on {waiver.asset} until {until.isoformat()} (approved by {approver})"
    )


def remove_waiver(tx: Transaction, registry: Registry, *, rule: str, asset: str) -> None:
    import tomlkit

    index, waiver = _find(registry, rule, asset)
    document = tomlkit.parse(tx.read_text(paths.WAIVERS_FILE))
    del document["waiver"][index]
    tx.write(paths.WAIVERS_FILE, tomlkit.dumps(document).encode("utf-8"))
    tx.message = f"waivers remove {rule} on {waiver.asset}"


def append_waiver(text: str, entry: dict[str, object]) -> str:
    import tomlkit

    document = tomlkit.parse(text)
    table = tomlkit.table()
    for key, value in entry.items():
        table[key] = value
    if "waiver" in document:
        document["waiver"].append(table)
    else:
        aot = tomlkit.aot()
        aot.append(table)
        document["waiver"] = aot
    return tomlkit.dumps(document)
