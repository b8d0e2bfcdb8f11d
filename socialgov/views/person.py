"""`people show`: everything one person holds — the answer to "what does Alice hold?"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from socialgov.model import TEAM_PREFIX, AssetId, Registry


def describe_person(
    registry: Registry,
    handle: str,
    today: date,
    *,
    observed_emails: Mapping[AssetId, str] | None = None,
    with_findings: bool = True,
) -> dict[str, Any]:
    """The person, their teams and reports, and every asset they hold and how, in one pass.

    `observed_emails`: domains whose latest observation names one of their addresses as
    registrant (see `socialgov.offboard.observed_registrant_emails`).
    """
    from socialgov.changes.people import person_or_error

    person_or_error(registry, handle)
    roster = registry.roster
    person = roster.people[handle]
    emails = set(person.emails)
    teams = sorted(t.name for t in roster.teams.values() if handle in t.members)
    team_owners = {f"{TEAM_PREFIX}{t}" for t in teams}
    observed = observed_emails or {}

    owned: list[dict[str, Any]] = []
    access: list[dict[str, Any]] = []
    recovery: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    held: list[AssetId] = []
    for asset_id in sorted(registry.assets):
        asset = registry.assets[asset_id]
        base = {"asset": str(asset_id), "status": asset.status.value, "file": asset.file}
        touched = False
        for position, owner in enumerate(asset.owners):
            if owner == handle or owner in team_owners:
                owned.append(
                    {
                        **base,
                        "role": "accountable" if position == 0 else "backup",
                        "via": owner if owner in team_owners else None,
                        "criticality": asset.criticality.value,
                    }
                )
                touched = True
        if handle in asset.access:
            access.append(base)
            touched = True
        if any(holder == handle for _, holder, _ in asset.section_holders()):
            recovery.append(base)
            touched = True
        for key, email in asset.contact_emails():
            if email.lower() in emails:
                contacts.append({**base, "key": key, "email": email, "source": "registry"})
                touched = True
        if asset_id in observed:
            contacts.append(
                {
                    **base,
                    "key": "registrant_email",
                    "email": observed[asset_id],
                    "source": "observation",
                }
            )
            touched = True
        if touched:
            held.append(asset_id)

    handover, stranded = _handover(registry, handle, today, observed)
    for row in owned:
        row["successor"] = handover.get(row["asset"]) if row["via"] is None else None
    leaving = None
    if person.leaving_on is not None and not person.departed:
        leaving = {"on": person.leaving_on.isoformat(), "days": (person.leaving_on - today).days}
    return {
        "person": person.to_json(),
        "leaving": leaving,
        "handover_blocked": stranded,
        "teams": teams,
        "manager": person.manager,
        "reports": sorted(p.handle for p in roster.people.values() if p.manager == handle),
        "owned": owned,
        "access": access,
        "recovery_phone": recovery,
        "contacts": contacts,
        "assets": [str(a) for a in held],
        "findings": _findings(registry, held, today) if with_findings else None,
    }


def _handover(
    registry: Registry, handle: str, today: date, observed: Mapping[AssetId, str]
) -> tuple[dict[str, str], list[str]]:
    """Who would receive each asset the person owns if `socialgov offboard HANDLE` ran today
    (no --to), and the active assets that would have no successor."""
    from socialgov.offboard.plan import NoSuccessor, plan_offboarding

    try:
        plan = plan_offboarding(registry, handle, None, today, observed_emails=observed)
    except NoSuccessor as exc:
        return {}, [str(a) for a in exc.assets]
    return {str(r.asset): r.successor for r in plan.reassigned}, []


def _findings(registry: Registry, held: list[AssetId], today: date) -> list[dict[str, Any]] | None:
    """Open (unwaived) findings of the assets the person holds; None when no policy engine exists."""
    if not held:
        return []
    try:
        from socialgov.policy.engine import audit
        from socialgov.policy.inputs import working_tree_inputs
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("socialgov.policy"):
            return None
        raise
    result = audit(working_tree_inputs(registry, assets=held), today=today, assets=held)
    return [f.to_json() for f in result.findings if not f.waived]
