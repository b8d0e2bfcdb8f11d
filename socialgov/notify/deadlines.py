"""The dates that run out: domain and certificate expiries, waiver ends, reviews falling due,
leave dates and credential rotations. `expiring` lists them, `calendar` turns them into
events and `notify` sends reminders at their thresholds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from socialgov.errors import SocialgovError
from socialgov.lookup.observation import Observation
from socialgov.model import Asset, AssetId, Kind, Person, Registry, Waiver
from socialgov.model.ownership import holdings
from socialgov.words import plural

if TYPE_CHECKING:
    from socialgov.lookup.web_observation import WebObservation


class DeadlineKind(StrEnum):
    DOMAIN = "domain"
    CERTIFICATE = "certificate"
    WAIVER = "waiver"
    REVIEW = "review"
    LEAVE = "leave"
    CREDENTIALS = "credentials"


@dataclass(frozen=True, slots=True)
class Certificate:
    """What a recorded web observation says about an asset's TLS certificate."""

    asset: AssetId
    not_after: date
    host: str


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: DeadlineKind
    # Stable identity without the date: calendar UIDs, and with the date the reminder's key.
    key: str
    day: date
    title: str
    action: str  # what a person does
    command: str  # the socialgov command that records it
    asset: AssetId | None = None
    person: str | None = None  # whom it is about: the leaver, the holder of credentials
    detail: str = ""

    def days_left(self, today: date) -> int:
        return (self.day - today).days

    def to_json(self, today: date) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "date": self.day.isoformat(),
            "days": self.days_left(today),
            "asset": str(self.asset) if self.asset else None,
            "person": self.person,
            "what": self.title,
            "detail": self.detail,
            "action": self.action,
            "command": self.command,
        }


def collect(
    registry: Registry,
    *,
    today: date,
    observations: Mapping[str, Observation],
    waivers: Sequence[Waiver],
    certificates: Iterable[Certificate] = (),
    review_max_age: int | None = 180,
) -> list[Deadline]:
    """Every dated deadline of the registry's active assets and its people, soonest first.

    `review_max_age` is the review-overdue rule's `max_age_days` (None when it is disabled).
    """
    found: list[Deadline] = []
    assets = registry.assets
    for asset in assets.values():
        if not asset.active:
            continue
        if asset.kind is Kind.DOMAIN:
            found.extend(_domain(asset, observations.get(asset.name)))
        if review_max_age is not None:
            found.extend(_review(asset, review_max_age, today))
        if asset.kind is Kind.SOCIAL:
            found.extend(_credentials(asset, registry.roster.people))
    for certificate in certificates:
        cert_asset = assets.get(certificate.asset)
        if cert_asset is not None and cert_asset.active:
            found.append(
                Deadline(
                    DeadlineKind.CERTIFICATE,
                    key=f"certificate:{certificate.asset}",
                    day=certificate.not_after,
                    title=f"the TLS certificate of {certificate.host} expires",
                    action="renew the certificate where the site is hosted",
                    command=f"socialgov web {certificate.asset} --record",
                    asset=certificate.asset,
                )
            )
    for waiver in waivers:
        waiver_asset = assets.get(waiver.asset)
        if waiver_asset is None or not waiver_asset.active:
            continue
        found.append(
            Deadline(
                DeadlineKind.WAIVER,
                key=f"waiver:{waiver.rule}:{waiver.asset}",
                day=waiver.expires,
                title=f"the waiver of {waiver.rule} on {waiver.asset} ends",
                action="fix what it waives, or have the waiver renewed",
                command=f"socialgov waive {waiver.rule} {waiver.asset}"
                f" --reason TEXT --approved-by {waiver.approved_by} --until DATE",
                asset=waiver.asset,
                detail=f"approved by {waiver.approved_by}: {waiver.reason}",
            )
        )
    found.extend(_leaving(registry))
    found.sort(key=lambda d: (d.day, d.kind.value, d.key))
    return found


def _domain(asset: Asset, observation: Observation | None) -> Iterable[Deadline]:
    found = asset.effective_expiry(observation)
    if found is None:
        return
    day, source = found
    renew = asset.section.get("auto_renew") is True
    yield Deadline(
        DeadlineKind.DOMAIN,
        key=str(asset.id),
        day=day,
        title=f"{asset.id.display_name} expires",
        action="check that the auto-renewal goes through, then record the new date"
        if renew
        else "renew it at the registrar, then record the new date",
        command=f"socialgov whois {asset.name} --record",
        asset=asset.id,
        detail=("auto-renew on; " if renew else "auto-renew off; ")
        + ("date observed" if source == "observation" else "date recorded by hand"),
    )


def _review(asset: Asset, max_age: int, today: date) -> Iterable[Deadline]:
    reviewed = asset.data.get("last_reviewed")
    if not isinstance(reviewed, date):
        return
    yield Deadline(
        DeadlineKind.REVIEW,
        key=f"review:{asset.id}",
        day=reviewed + timedelta(days=max_age),
        title=f"the review of {asset.id} falls due",
        action="have an owner confirm the entry",
        command=f"socialgov set {asset.id} last_reviewed={today.isoformat()}",
        asset=asset.id,
        detail=f"last reviewed {reviewed.isoformat()}",
    )


def leaving_on(person: Person) -> date | None:
    """A known future last working day (people.toml `leaving_on`, SPEC §6)."""
    value = getattr(person, "leaving_on", None)
    return value if isinstance(value, date) and not person.departed else None


def _credentials(asset: Asset, people: Mapping[str, Person]) -> Iterable[Deadline]:
    """Credentials must be rotated when someone who holds them leaves."""
    rotated = asset.section.get("credentials_rotated")
    rotated = rotated if isinstance(rotated, date) else None
    holders = dict.fromkeys([*asset.owners, *asset.access])
    holders.update(dict.fromkeys(handle for _, handle, _ in asset.section_holders()))
    for handle in holders:
        person = people.get(handle)
        if person is None:
            continue
        day = person.departed_on if person.departed else leaving_on(person)
        if day is None or (rotated is not None and rotated >= day):
            continue
        yield Deadline(
            DeadlineKind.CREDENTIALS,
            key=f"credentials:{asset.id}:{handle}",
            day=day,
            title=f"rotate the credentials of {asset.id}: {handle} "
            + ("left" if person.departed else "leaves"),
            action="rotate the password and tokens, then record the day",
            command=f"socialgov set {asset.id} social.credentials_rotated=DATE",
            asset=asset.id,
            person=handle,
            detail=f"last rotated {rotated.isoformat()}" if rotated else "no rotation recorded",
        )


def _leaving(registry: Registry) -> Iterable[Deadline]:
    leavers = {
        handle: day
        for handle, person in registry.roster.people.items()
        if (day := leaving_on(person)) is not None
    }
    if not leavers:
        return
    held: dict[str, set[AssetId]] = {handle: set() for handle in leavers}
    for asset in registry.assets.values():
        if asset.active:
            for holding in holdings(asset, registry.roster):
                if holding.handle in held:
                    held[holding.handle].add(asset.id)
    for handle, day in leavers.items():
        assets = sorted(held[handle])
        yield Deadline(
            DeadlineKind.LEAVE,
            key=f"leave:{handle}",
            day=day,
            title=f"{handle} leaves"
            + (f" and still holds {plural(len(assets), 'asset')}" if assets else ""),
            action="choose a successor and hand everything over before the last day"
            if assets
            else "mark them departed on their last day",
            command=f"socialgov offboard {handle} --to PERSON --on {day.isoformat()} --branch offboard-{handle}"
            if assets
            else f"socialgov offboard {handle} --on {day.isoformat()}",
            person=handle,
            detail=", ".join(str(a) for a in assets),
        )


def certificates_of(web: Mapping[str, WebObservation]) -> list[Certificate]:
    """The TLS certificates of the recorded web observations (SPEC §8), by asset."""
    found = []
    for observation in web.values():
        if observation.tls is None:
            continue
        try:
            asset = AssetId.parse(observation.asset)
        except SocialgovError:
            continue
        url = observation.final_url or observation.url or str(asset)
        host = url.split("://", 1)[-1].split("/", 1)[0]
        found.append(
            Certificate(asset=asset, not_after=observation.tls.not_after.date(), host=host)
        )
    return found
