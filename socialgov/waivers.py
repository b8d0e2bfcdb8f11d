"""Record an accepted exception: append a [[waiver]] to waivers.toml, validated, comments kept."""

from __future__ import annotations

from datetime import date

from socialgov.errors import UsageError
from socialgov.model import AssetId, Registry
from socialgov.registry import paths
from socialgov.registry.schema import did_you_mean
from socialgov.registry.store import Transaction


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
    from socialgov.secret_scan import refuse_secrets

    refuse_secrets({"--reason": reason})
    asset_id = resolve_id(registry, asset)
    person = registry.roster.people.get(approved_by)
    if person is None:
        raise UsageError(
            f"--approved-by {approved_by!r} is not a person of the roster",
            hint=did_you_mean(approved_by, list(registry.roster.people)),
        )
    if person.departed:
        raise UsageError(f"--approved-by {approved_by!r} has departed and cannot approve")
    if until <= today:
        raise UsageError(
            f"--until {until.isoformat()} is not in the future (today is {today.isoformat()})"
        )
    if not reason.strip():
        raise UsageError("--reason must say why the exception is accepted")

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
