"""A person with a known leaving date still holds something.

A person whose `leaving_on` (a future last working day, set by hand or by `people import`
and `people sync` from a termination date) is within `notice_days` of today, and who is
still an owner, holds access or the recovery phone, or is a contact address of an asset.
One finding per asset and person lists everything they hold there. The hint is the
`socialgov offboard --branch` command that prepares the hand-over as a branch for review;
departed people are left to `departed-owner` and its siblings.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from socialgov.model import TEAM_PREFIX, Asset, Person, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Option, Rule, RuleContext, RuleInfo
from socialgov.registry.schema import INT
from socialgov.words import plural


def holdings(asset: Asset, person: Person) -> list[tuple[str, str]]:
    """(key, what) for everything `person` holds on `asset` directly: owner, access, phone, contacts."""
    held: list[tuple[str, str]] = []
    owners = asset.owners
    if person.handle in owners:
        role = "accountable owner" if owners[0] == person.handle else "backup owner"
        held.append(("owners", role))
    if person.handle in asset.access:
        held.append(("access", "access"))
    held += [(key, role) for key, h, role in asset.section_holders() if h == person.handle]
    emails = set(person.emails)
    for key, email in asset.contact_emails():
        if email.lower() in emails:
            held.append((key, f"{key.rpartition('.')[2]} {email}"))
    return held


def _leaving(person: Person | None, today: date, notice_days: int) -> bool:
    return (
        person is not None
        and not person.departed
        and person.leaving_on is not None
        and (person.leaving_on - today).days <= notice_days
    )


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    notice_days: int = ctx.options["notice_days"]
    people = ctx.roster.people
    candidates = {h for h in (*asset.owners, *asset.access) if not h.startswith(TEAM_PREFIX)}
    candidates.update(handle for _, handle, _ in asset.section_holders())
    by_email = ctx.roster.person_by_email
    for _key, email in asset.contact_emails():
        if (person := by_email.get(email.lower())) is not None:
            candidates.add(person.handle)
    for handle in sorted(candidates):
        person = people.get(handle)
        if person is None or not _leaving(person, ctx.today, notice_days):
            continue
        assert person.leaving_on is not None
        held = holdings(asset, person)
        if not held:
            continue
        days = (person.leaving_on - ctx.today).days
        when = (
            f"in {plural(days, 'day')}"
            if days > 0
            else "today"
            if days == 0
            else f"{plural(-days, 'day')} ago, still not offboarded"
        )
        day = person.leaving_on.isoformat()
        yield ctx.finding(
            asset,
            keys=tuple(k for k, _ in held),
            message=f"{handle} leaves on {day} ({when}) and holds on {asset.id}: "
            + ", ".join(what for _, what in held),
            hint=f"socialgov offboard {handle} --on {day} --branch offboard/{handle}",
            subject=f"leaving:{handle}",
        )


RULE = Rule(
    RuleInfo(
        id="departure-pending",
        severity=Severity.HIGH,
        summary="A person leaving within `notice_days` (`leaving_on`) still holds something.",
        doc=__doc__ or "",
        options=(
            Option("notice_days", INT, 14, "days before `leaving_on` from which it is flagged"),
        ),
    ),
    check,
)
