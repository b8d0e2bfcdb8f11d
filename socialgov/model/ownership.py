"""Who holds an asset: active owners, orphaned assets, and what departed people still hold."""

from __future__ import annotations

from dataclasses import dataclass

from socialgov.model import Asset, Roster


def is_orphaned(asset: Asset, roster: Roster) -> bool:
    """An active asset with no active owner: none listed, or every owner departed, unknown or an empty team."""
    return asset.active and not any(roster.is_active_owner(o) for o in asset.owners)


@dataclass(frozen=True, slots=True)
class Holding:
    """One way a person holds an asset."""

    handle: str
    role: str  # "owner", "access", "recovery phone", "contact"
    key: str  # the dotted key at fault, for positions


def holdings(asset: Asset, roster: Roster) -> list[Holding]:
    """Every person who holds the asset as owner, through access, recovery phone or a contact address."""
    found = [Holding(o, "owner", "owners") for o in asset.owners if o in roster.people]
    found += [Holding(h, "access", "access") for h in asset.access]
    found += [Holding(h, role, key) for key, h, role in asset.section_holders()]
    for key, email in asset.contact_emails():
        person = roster.person_by_email.get(email.lower())
        if person is not None:
            found.append(Holding(person.handle, "contact", key))
    return found


def departed_holdings(asset: Asset, roster: Roster) -> list[Holding]:
    return [h for h in holdings(asset, roster) if roster.is_departed(h.handle)]


def is_departed_held(asset: Asset, roster: Roster) -> bool:
    return bool(departed_holdings(asset, roster))
