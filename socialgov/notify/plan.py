"""Who gets what: notices (findings and reminders), their recipients, and the digests that
are due against the sent record. Pure: no files, no network."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from socialgov.model import TEAM_PREFIX, Asset, Person, Registry, Roster, Severity
from socialgov.notify.commands import fix_command
from socialgov.notify.deadlines import Deadline, DeadlineKind
from socialgov.notify.record import Record, Sent
from socialgov.notify.settings import NotifySettings, Webhook
from socialgov.policy.result import AuditResult
from socialgov.words import plural

FINDING = "finding"

# A reminder takes the place of the finding that says the same thing in fewer words.
_SUPERSEDED_BY = {"domain-expiring": DeadlineKind.DOMAIN, "tls-expiring": DeadlineKind.CERTIFICATE}


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell: a finding, or a reminder of a deadline at a threshold."""

    key: str  # finding:FINGERPRINT, or the deadline's key and date
    level: str  # the finding's severity, or the reminder's threshold in days
    severity: Severity
    kind: str  # "finding", or the deadline kind
    topic: str  # the rule id, or the deadline kind
    about: str  # the asset id, or person:HANDLE
    message: str
    hint: str
    command: str
    department: str | None = None
    day: date | None = None

    @property
    def is_reminder(self) -> bool:
        return self.kind != FINDING

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind,
            "rule": self.topic if not self.is_reminder else None,
            "severity": self.severity.value,
            "level": self.level,
            "about": self.about,
            "message": self.message,
            "hint": self.hint,
            "command": self.command,
            "date": self.day.isoformat() if self.day else None,
        }


@dataclass(frozen=True, slots=True)
class Route:
    to: tuple[str, ...]  # handles
    backups: tuple[str, ...] = ()  # handles copied on escalation, with the recipient's manager
    via: str = "owner"


@dataclass(frozen=True, slots=True)
class Item:
    notice: Notice
    why: str  # "new" | "changed" | "reminder" | "escalated"
    escalate: bool = False

    def to_json(self) -> dict[str, object]:
        return {**self.notice.to_json(), "why": self.why, "escalated": self.escalate}


@dataclass(frozen=True)
class Digest:
    recipient: Person
    items: tuple[Item, ...]  # grouped by asset, the most severe group first
    cc: tuple[Person, ...] = ()
    still_open: int = 0  # open notices already sent and not due again
    via: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.recipient.handle

    def groups(self) -> list[tuple[str, list[Item]]]:
        out: dict[str, list[Item]] = {}
        for item in self.items:
            out.setdefault(item.notice.about, []).append(item)
        return list(out.items())

    @property
    def escalated(self) -> bool:
        return any(i.escalate for i in self.items)


@dataclass(frozen=True)
class ChannelMessage:
    webhook: Webhook
    items: tuple[Item, ...]

    @property
    def key(self) -> str:
        return self.webhook.key


@dataclass(frozen=True)
class NotifyPlan:
    today: date
    digests: tuple[Digest, ...]
    channels: tuple[ChannelMessage, ...]
    unrouted: tuple[Notice, ...]
    # recipient key -> every notice open for it (due or not), to update the record with
    open: Mapping[str, Mapping[str, Notice]] = field(repr=False, default_factory=dict)
    only: str | None = None


def notices(
    registry: Registry,
    audit: AuditResult,
    deadlines: Sequence[Deadline],
    settings: NotifySettings,
    today: date,
) -> list[Notice]:
    """The open findings at or above min_severity and the reminders at a threshold today."""
    found: list[Notice] = []
    reminded: set[tuple[str, DeadlineKind]] = set()
    for deadline in deadlines:
        notice = _reminder(deadline, settings, today, registry)
        if notice is not None:
            found.append(notice)
            reminded.add((notice.about, deadline.kind))
    floor = Severity(settings.min_severity).rank
    for finding in audit.findings:
        if finding.waived or finding.severity.rank < floor:
            continue
        superseded = _SUPERSEDED_BY.get(finding.rule)
        if superseded is not None and (str(finding.asset), superseded) in reminded:
            continue
        asset = registry.assets[finding.asset]
        found.append(
            Notice(
                key=f"finding:{finding.fingerprint}",
                level=finding.severity.value,
                severity=finding.severity,
                kind=FINDING,
                topic=finding.rule,
                about=str(finding.asset),
                message=finding.message,
                hint=finding.hint,
                command=fix_command(finding, asset, registry.roster, today),
                department=asset.department,
            )
        )
    return found


def _thresholds(kind: DeadlineKind, settings: NotifySettings) -> tuple[int, ...]:
    if kind is DeadlineKind.REVIEW:
        return settings.review_days
    if kind in (DeadlineKind.LEAVE, DeadlineKind.CREDENTIALS):
        return settings.leave_days
    return settings.expiry_days


def _reminder(
    deadline: Deadline, settings: NotifySettings, today: date, registry: Registry
) -> Notice | None:
    days = deadline.days_left(today)
    reached = [t for t in _thresholds(deadline.kind, settings) if 0 <= days <= t]
    if not reached:
        return None  # not yet, or past: once a date has passed, a rule's finding takes over
    threshold = min(reached)
    # as domain-expiring does by default: high inside 14 days
    severity = Severity.HIGH if days <= 14 else Severity.MEDIUM if days <= 30 else Severity.LOW
    if deadline.asset is not None:
        about = str(deadline.asset)
        asset = registry.assets.get(deadline.asset)
        department = asset.department if asset else None
    else:
        about = f"person:{deadline.person}"
        person = registry.roster.people.get(deadline.person or "")
        department = person.department if person else None
    when = "today" if days == 0 else f"in {plural(days, 'day')}"
    detail = f" ({deadline.detail})" if deadline.detail else ""
    return Notice(
        key=f"{deadline.key}@{deadline.day.isoformat()}",
        level=str(threshold),
        severity=severity,
        kind=deadline.kind.value,
        topic=deadline.kind.value,
        about=about,
        message=f"{deadline.title} on {deadline.day.isoformat()}, {when}{detail}",
        hint=deadline.action,
        command=deadline.command,
        department=department,
        day=deadline.day,
    )


class Router:
    """Resolve who is told about an asset or a person, remembering each answer."""

    def __init__(self, roster: Roster, fallback: str | None) -> None:
        self.roster = roster
        self.fallback = fallback
        self._by_asset: dict[str, Route] = {}

    def _active_people(self, owner: str) -> tuple[str, ...]:
        people = self.roster.people
        return tuple(h for h in self.roster.members(owner) if (p := people.get(h)) and p.active)

    def _fallback(self, why: str) -> Route:
        if self.fallback:
            to = self._active_people(self.fallback)
            if to:
                return Route(to=to, via=f"fallback ({why})")
        return Route(to=(), via=f"nobody ({why}; no active [notify] fallback)")

    def manager_of(self, handle: str) -> str | None:
        """The nearest active manager above a person, skipping managers who left."""
        seen = {handle}
        person = self.roster.people.get(handle)
        while person is not None and person.manager and person.manager not in seen:
            seen.add(person.manager)
            person = self.roster.people.get(person.manager)
            if person is not None and person.active:
                return person.handle
        return None

    def accountable(self, owner: str) -> Route:
        people = self.roster.people
        if owner.startswith(TEAM_PREFIX):
            members = self._active_people(owner)
            return Route(to=members, via=owner) if members else self._fallback(f"{owner} empty")
        person = people.get(owner)
        if person is None:
            return self._fallback(f"unknown owner {owner}")
        if person.active:
            return Route(to=(owner,))
        manager = self.manager_of(owner)
        if manager is not None:
            return Route(to=(manager,), via=f"manager of {owner} ({person.status.value})")
        return self._fallback(f"{owner} {person.status.value}, no active manager")

    def asset(self, asset: Asset) -> Route:
        key = str(asset.id)
        route = self._by_asset.get(key)
        if route is None:
            owners = asset.owners
            route = self.accountable(owners[0]) if owners else self._fallback("no owner")
            backups = dict.fromkeys(h for o in owners[1:] for h in self._active_people(o))
            route = replace(route, backups=tuple(h for h in backups if h not in route.to))
            self._by_asset[key] = route
        return route

    def about(self, notice: Notice, registry: Registry) -> Route:
        route = self._by_asset.get(notice.about)
        if route is not None:
            return route
        if notice.about.startswith("person:"):
            handle = notice.about[len("person:") :]
            manager = self.manager_of(handle)
            return (
                Route(to=(manager,), via=f"manager of {handle}")
                if manager
                else self._fallback(f"{handle} has no active manager")
            )
        from socialgov.model import AssetId

        return self.asset(registry.assets[AssetId.parse(notice.about)])


def plan(
    registry: Registry,
    found: Iterable[Notice],
    record: Record,
    settings: NotifySettings,
    today: date,
    *,
    only: str | None = None,
    channels: bool = True,
) -> NotifyPlan:
    """The digests and channel messages due today against what the record says was sent."""
    router = Router(registry.roster, settings.fallback)
    people = registry.roster.people
    open_by: dict[str, dict[str, Notice]] = {}
    routes: dict[str, Route] = {}
    unrouted: list[Notice] = []
    for notice in found:
        route = router.about(notice, registry)
        routes[notice.key] = route
        if not route.to:
            unrouted.append(notice)
        for handle in route.to:
            open_by.setdefault(handle, {})[notice.key] = notice
        if channels and only is None:
            for webhook in settings.webhooks:
                if webhook.covers(notice.department):
                    open_by.setdefault(webhook.key, {})[notice.key] = notice

    digests = []
    for handle in sorted(open_by):
        if handle.startswith("webhook:") or (only is not None and handle != only):
            continue
        items = _due(open_by[handle], record.get(handle, {}), settings, today, escalation=True)
        if not items:
            continue
        cc: dict[str, None] = {}
        via: dict[str, None] = {}
        for item in items:
            route = routes[item.notice.key]
            via[route.via] = None
            if item.escalate:
                cc.update(dict.fromkeys(route.backups))
                manager = router.manager_of(handle)
                if manager:
                    cc[manager] = None
        cc.pop(handle, None)
        digests.append(
            Digest(
                recipient=people[handle],
                items=_grouped(items),
                cc=tuple(people[h] for h in cc),
                still_open=len(open_by[handle]) - len(items),
                via=tuple(via),
            )
        )
    messages = []
    for webhook in settings.webhooks if channels and only is None else ():
        items = _due(
            open_by.get(webhook.key, {}), record.get(webhook.key, {}), settings, today, False
        )
        if items:
            messages.append(ChannelMessage(webhook=webhook, items=_grouped(items)))
    return NotifyPlan(
        today=today,
        digests=tuple(digests),
        channels=tuple(messages),
        unrouted=tuple(unrouted),
        open=open_by,
        only=only,
    )


def _due(
    open_notices: Mapping[str, Notice],
    sent: Mapping[str, Sent],
    settings: NotifySettings,
    today: date,
    escalation: bool,
) -> list[Item]:
    items = []
    after = settings.escalate_after_days
    for key, notice in open_notices.items():
        previous = sent.get(key)
        if previous is None:
            items.append(Item(notice, "reminder" if notice.is_reminder else "new"))
            continue
        escalate = (
            escalation
            and after > 0
            and previous.escalated is None
            and (today - previous.first).days >= after
        )
        if _changed(notice, previous):
            why = "reminder" if notice.is_reminder else "changed"
            items.append(Item(notice, why, escalate=escalate or previous.escalated is not None))
        elif escalate:
            items.append(Item(notice, "escalated", escalate=True))
    return items


def _changed(notice: Notice, previous: Sent) -> bool:
    if notice.is_reminder:
        try:
            return int(notice.level) < int(previous.level)
        except ValueError:
            return True
    return notice.level != previous.level


def _grouped(items: list[Item]) -> tuple[Item, ...]:
    worst: dict[str, int] = {}
    for item in items:
        about = item.notice.about
        worst[about] = max(worst.get(about, -1), item.notice.severity.rank)
    return tuple(
        sorted(
            items,
            key=lambda i: (
                -worst[i.notice.about],
                i.notice.about,
                -i.notice.severity.rank,
                i.notice.topic,
                i.notice.key,
            ),
        )
    )


def updated_record(record: Record, plan: NotifyPlan, delivered: set[str], today: date) -> Record:
    """The record after a run: what was delivered is entered, what is resolved is forgotten,
    what failed stays as it was so the next run sends it again."""
    due: dict[str, list[Item]] = {d.key: list(d.items) for d in plan.digests}
    due.update({m.key: list(m.items) for m in plan.channels})
    out: Record = {}
    for recipient in set(record) | set(plan.open):
        old = record.get(recipient, {})
        if plan.only is not None and recipient != plan.only:
            if old:
                out[recipient] = dict(old)
            continue
        open_now = plan.open.get(recipient, {})
        entries = {k: v for k, v in old.items() if k in open_now}
        if recipient in delivered:
            for item in due.get(recipient, ()):
                notice = item.notice
                previous = old.get(notice.key)
                escalated = (
                    today if item.escalate and not (previous and previous.escalated) else None
                )
                entries[notice.key] = Sent(
                    about=notice.about,
                    level=notice.level,
                    first=previous.first if previous else today,
                    last=today,
                    escalated=escalated or (previous.escalated if previous else None),
                )
        if entries:
            out[recipient] = entries
    return out


def deadlines_for(registry: Registry, deadlines: Iterable[Deadline], handle: str) -> list[Deadline]:
    """The deadlines a person is told about (as recipient or backup), and their own."""
    router = Router(registry.roster, registry.settings.notify.fallback)
    mine = []
    for deadline in deadlines:
        if deadline.person == handle:
            mine.append(deadline)
            continue
        if deadline.asset is not None:
            asset = registry.assets.get(deadline.asset)
            if asset is None:
                continue
            route = router.asset(asset)
            if handle in route.to or handle in route.backups:
                mine.append(deadline)
        elif deadline.person and router.manager_of(deadline.person) == handle:
            mine.append(deadline)
    return mine
